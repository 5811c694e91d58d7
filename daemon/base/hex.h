// Lower-case hexadecimal of bytes: tokens, digests, short pseudonyms.
#pragma once

#include <cstddef>
#include <string>

namespace probity {

inline std::string to_hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

}  // namespace probity
