// JSON string literals written straight into a buffer, for the hot paths that serialise every
// event (correlation evidence, alerts) where building a DOM first costs more than the rest of
// the work. The output is what nlohmann::json::dump gives with ensure_ascii off and invalid
// UTF-8 replaced, so readers see no difference. Not a JSON library: parse with nlohmann.
#pragma once

#include <string>
#include <string_view>

namespace probity {

/// Appends `text` as a quoted JSON string: quote, backslash and control characters escaped,
/// each maximal invalid UTF-8 subsequence replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace probity
