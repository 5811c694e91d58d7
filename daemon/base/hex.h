// Lower-case hexadecimal of bytes: tokens, digests, short pseudonyms.
#pragma once

#include <cstddef>
#include <cstdint>
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

/// Appends `v` as 16 lower-case hex digits, most significant first (fixed width, so the
/// text sorts as the number does), without allocating beyond `out`'s growth.
inline void append_hex64(std::string& out, std::uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  char digits[16];
  for (int i = 15; i >= 0; --i, v >>= 4) digits[i] = kHex[v & 15];
  out.append(digits, sizeof digits);
}

}  // namespace probity
