// Keyed pseudonyms for staff identities in alert email (PRODUCT.md: identities are
// pseudonymised by default; a reveal needs a stated reason and is recorded). The key
// never leaves the state directory; without it a pseudonym cannot be reversed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "alerts/alerts.h"
#include "base/result.h"

namespace probity::alerts {

/// Reads the 32-byte key at `key_file`, creating it (mode 0600, random) when missing.
/// Errors: the file cannot be read or created, or holds the wrong number of bytes.
Result<std::string> load_or_create_pseudonym_key(const std::filesystem::path& key_file);

/// "PSN-" + 12 hex digits of HMAC-SHA256(key, lower-cased identity): stable across
/// restarts and alerts, so investigators can see that two alerts name the same person.
std::string pseudonym(std::string_view key, std::string_view identity);

/// A Pseudonymiser over pseudonym() with this key.
Pseudonymiser make_pseudonymiser(std::string key);

}  // namespace probity::alerts
