// Fixed-width unsigned integers as big-endian bytes, for on-disk records whose byte order
// must not depend on the machine (and whose keys sort in number order).
#pragma once

#include <cstddef>
#include <cstdint>

namespace probity {

template <class T>
void put_big_endian(char* out, T v) {
  for (int shift = 8 * static_cast<int>(sizeof(T)) - 8; shift >= 0; shift -= 8)
    *out++ = static_cast<char>((v >> shift) & 0xff);
}

template <class T>
T get_big_endian(const char* in) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i)
    v = static_cast<T>((v << 8) | static_cast<unsigned char>(in[i]));
  return v;
}

}  // namespace probity
