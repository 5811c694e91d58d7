// Internal to decode/: mail-address handling for email events (display names, angle
// brackets, recipient lists, domains). Deliberately forgiving, not an RFC 5322 parser:
// gateways log addresses in many shapes and a rule only needs the address and domain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/mail_address.h"  // bare_address, strip_angles

namespace probity::decode {

/// Lower-cased domain of a bare address, without a trailing dot; nullopt when there is
/// no '@' or nothing after it.
std::optional<std::string> address_domain(std::string_view address);

/// Splits a recipient list on ',' and ';' outside "quoted display names" and <...>;
/// items are bare addresses, empty ones dropped.
std::vector<std::string> split_addresses(std::string_view text);

/// Whether `domain` (lower-case) is one of `internal_domains` or a subdomain of one.
bool is_internal_domain(std::string_view domain, const std::vector<std::string>& internal_domains);

}  // namespace probity::decode
