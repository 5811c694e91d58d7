// Mail-address helpers for email events (see email.h).
#include "decode/email.h"

#include "decode/decode.h"
#include "decode/text.h"

namespace probity::decode {

std::optional<std::string> address_domain(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view domain = trim(address.substr(at + 1));
  while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  if (domain.empty()) return std::nullopt;
  return to_lower(domain);
}

std::vector<std::string> split_addresses(std::string_view text) {
  std::vector<std::string> out;
  bool in_quotes = false, in_angle = false;
  std::size_t start = 0;
  const auto take = [&](std::size_t end) {
    const std::string_view item = bare_address(text.substr(start, end - start));
    if (!item.empty()) out.emplace_back(item);
    start = end + 1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' && !in_angle)
      in_quotes = !in_quotes;
    else if (c == '<' && !in_quotes)
      in_angle = true;
    else if (c == '>' && !in_quotes)
      in_angle = false;
    else if ((c == ',' || c == ';') && !in_quotes && !in_angle)
      take(i);
  }
  take(text.size());
  return out;
}

// "mail.force.police.uk" is internal when "force.police.uk" is: a label boundary, so
// "notforce.police.uk" is not.
bool is_internal_domain(std::string_view domain, const std::vector<std::string>& internal_domains) {
  for (const auto& d : internal_domains) {
    if (domain.size() < d.size() || !iequals(domain.substr(domain.size() - d.size()), d)) continue;
    if (domain.size() == d.size() || domain[domain.size() - d.size() - 1] == '.') return true;
  }
  return false;
}

std::optional<std::string_view> derive_direction(std::string_view from_domain,
                                                 std::string_view to_domain,
                                                 const std::vector<std::string>& internal_domains) {
  if (from_domain.empty() || to_domain.empty()) return std::nullopt;
  const bool from_inside = is_internal_domain(from_domain, internal_domains);
  const bool to_inside = is_internal_domain(to_domain, internal_domains);
  if (from_inside) return to_inside ? "internal" : "outbound";
  if (to_inside) return "inbound";
  return std::nullopt;  // external to external: a relay or forward, not the force's mail
}

}  // namespace probity::decode
