// Random bearer secrets (session cookies, API tokens) and the digest kept in their place,
// so neither memory nor the store holds a usable secret. Not for passwords: those are
// guessable and need a slow hash (access/'s Argon2id); these are 256 random bits.
#pragma once

#include <string>
#include <string_view>

namespace probity {

/// 32 bytes from OpenSSL's CSPRNG as 64 lower-case hex digits. Throws std::runtime_error
/// when the generator cannot be seeded (the daemon cannot run safely without it).
std::string random_hex_token();

/// SHA-256 of `secret`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view secret);

}  // namespace probity
