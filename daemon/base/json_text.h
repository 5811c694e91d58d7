// JSON string literals written straight into a buffer, for the hot paths that serialise every
// event (correlation evidence, alerts) where building a DOM first costs more than the rest of
// the work. The output is what nlohmann::json::dump gives with ensure_ascii off and invalid
// UTF-8 replaced, so readers see no difference. Not a JSON library: parse with nlohmann.
// Also a check that text is JSON of the plain kind those writers give, so it can be copied
// into a larger text (evidence into an alert) without being parsed.
#pragma once

#include <string>
#include <string_view>

namespace probity {

/// Appends `text` as a quoted JSON string: quote, backslash and control characters escaped,
/// each maximal invalid UTF-8 subsequence replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

/// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
/// forms, no surrogates, nothing above U+10FFFF), or npos when all of `text` is: then
/// append_json_string replaces nothing in it. Control characters are well-formed.
std::size_t find_invalid_utf8(std::string_view text);

/// True when `text` is one JSON value of the plain kind Probity's writers give, which
/// nlohmann parses too: objects, arrays, strings (well-formed UTF-8; any escape but a
/// \u surrogate), integers of up to 18 digits, true, false, null, spaces and tabs between
/// tokens (no line break), nested up to 64 deep. False means only "not certainly": parse
/// the text to know. Cost: one pass, no allocation.
bool is_plain_json(std::string_view text);

}  // namespace probity
