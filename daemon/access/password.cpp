// Password rules and Argon2id hashing (access.h), through libsodium.
#include <sodium.h>

#include <mutex>

#include "access/access.h"

namespace probity::access {

namespace {

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
  });
}

}  // namespace

Result<void> check_password(std::string_view account, std::string_view password) {
  if (password.size() < 12)
    return fail("access.weak_password", "the password must be at least 12 characters");
  if (password.size() > 256)
    return fail("access.weak_password", "the password must be at most 256 characters");
  if (password == account)
    return fail("access.weak_password", "the password must not be the account name");
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return fail("access.hash", "cannot hash the password (out of memory)");
  return std::string(out);
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  init_sodium();
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  char stored[crypto_pwhash_STRBYTES] = {};
  stored_hash.copy(stored, stored_hash.size());
  return crypto_pwhash_str_verify(stored, password.data(), password.size()) == 0;
}

const std::string& decoy_hash() {
  static const std::string decoy = [] {
    char random[33];
    init_sodium();
    randombytes_buf(random, sizeof random - 1);
    random[32] = 0;
    return hash_password(std::string_view(random, 32)).value_or(std::string());
  }();
  return decoy;
}

}  // namespace probity::access
