// FNV-1a, 64 bits: a fast, stable, non-cryptographic hash for text whose hash is stored or
// shown (rule versions, bounded correlation keys), so it must never change between builds.
// Not for anything an attacker could exploit by choosing collisions.
#pragma once

#include <cstdint>
#include <string_view>

namespace probity {

inline constexpr std::uint64_t kFnv64Offset = 14695981039346656037ull;
inline constexpr std::uint64_t kFnv64Prime = 1099511628211ull;

/// FNV-1a 64 of `bytes`, starting from `seed` (the standard offset basis unless a caller
/// must keep hashes it has already stored).
constexpr std::uint64_t fnv1a_64(std::string_view bytes, std::uint64_t seed = kFnv64Offset) {
  std::uint64_t h = seed;
  for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * kFnv64Prime;
  return h;
}

}  // namespace probity
