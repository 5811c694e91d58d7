// Keyed pseudonyms for staff identities (PRODUCT.md: identities are pseudonymised outside
// the audited reveal). The key never leaves the state directory; without it a pseudonym
// cannot be reversed or recomputed from a staff list. Not for deciding what is an
// identity (identity_mask.h).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sys/types.h>

#include "base/result.h"

namespace probity::alerts {

/// Reads the 32-byte key at `key_file`. Errors: missing, unreadable, wrong size, or
/// readable or writable by anyone but its owner (it reverses pseudonyms). Never creates it.
Result<std::string> read_pseudonym_key(const std::filesystem::path& key_file);

/// Creates a new random key at `key_file` (mode 0600) unless one exists; only the daemon
/// calls it, at start. Errors: no randomness, the file cannot be written.
Result<void> create_pseudonym_key_if_missing(const std::filesystem::path& key_file);

/// Replaces the key by a new random one, atomically (the old key is destroyed: pseudonyms
/// shown before stay with their alerts and can no longer be linked to new ones). Returns
/// the new key's id.
Result<std::string> rotate_pseudonym_key(const std::filesystem::path& key_file);

/// "PSN-" + 12 hex digits of HMAC-SHA256(key, lower-cased identity): stable across
/// restarts and alerts, so investigators can see that two alerts name the same person.
std::string pseudonym(std::string_view key, std::string_view identity);

/// 8 hex digits naming a key (a hash of it), stored with each alert's shown view.
std::string key_id(std::string_view key);

/// The current key, re-read when the file changes (a `keys rotate` takes effect at the
/// next alert, no restart). One thread at a time (of() remembers what it computed).
class PseudonymKey {
 public:
  static Result<PseudonymKey> open(std::filesystem::path key_file);
  /// Re-reads the key if the file was replaced; on error keeps the key it has.
  Result<void> refresh();
  /// pseudonym() under the key, remembered: an alert names its user three or four times,
  /// and a storm names the same few people thousands of times a second.
  std::string of(std::string_view identity) const;
  const std::string& id() const { return id_; }

 private:
  static constexpr std::size_t kRemembered = 4096;  // then forgotten all at once
  std::filesystem::path file_;
  std::string key_, id_;
  mutable std::unordered_map<std::string, std::string> remembered_;  // lower-cased → pseudonym
  ino_t inode_ = 0;
  std::int64_t mtime_ns_ = 0;
};

}  // namespace probity::alerts
