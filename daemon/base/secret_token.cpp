// random_hex_token and sha256_hex (secret_token.h) over OpenSSL.
#include "base/secret_token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace probity {

namespace {

std::string hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

std::string random_hex_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes");
  return hex(bytes, sizeof bytes);
}

std::string sha256_hex(std::string_view secret) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(secret.data(), secret.size(), md, &n, EVP_sha256(), nullptr);
  return hex(md, n);
}

}  // namespace probity
