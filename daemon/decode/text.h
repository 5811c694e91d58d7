// Internal to decode/: small text helpers shared by the payload decoders and the mapper
// (UTF-8 repair, quoting untrusted text for logs). Trimming, case folding and globbing are
// base/ascii.h's, included here because every decoder uses them.
// Not for parsing formats.
#pragma once

#include <string>
#include <string_view>

#include "base/ascii.h"

namespace probity::decode {

/// Replaces invalid UTF-8 sequences and NUL bytes with U+FFFD in place, so events render
/// as valid JSON and mail; the replacement keeps distinct identifiers distinct.
void make_safe_text(std::string& s);
bool is_safe_text(std::string_view s);

/// `"text"` for error messages: control and non-ASCII bytes as \xHH, cut at max_len.
std::string quote_for_log(std::string_view s, std::size_t max_len = 64);

}  // namespace probity::decode
