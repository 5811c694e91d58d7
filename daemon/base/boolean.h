// Yes/no settings as administrators write them, in the config file and in rule files alike:
// one grammar, so `enabled: yes` means the same in both. Not for rule expressions, where
// `true` and `false` are keywords of the condition language (rules/lexer.cpp).
#pragma once

#include <optional>
#include <string_view>

#include "base/ascii.h"

namespace probity {

/// For error messages: the words parse_bool() accepts.
inline constexpr std::string_view kBooleanWords = "true/false, yes/no, on/off, y/n, 1/0";

/// true, yes, on, y, 1 → true; false, no, off, n, 0 → false, in any ASCII case (YAML 1.1's
/// booleans, which is what people who write YAML expect, and the 1/0 of spreadsheet and HR
/// exports that import files come from); nullopt for anything else, including text with
/// spaces around it.
inline std::optional<bool> parse_bool(std::string_view text) {
  for (const std::string_view yes : {"true", "yes", "on", "y", "1"})
    if (iequals(text, yes)) return true;
  for (const std::string_view no : {"false", "no", "off", "n", "0"})
    if (iequals(text, no)) return false;
  return std::nullopt;
}

}  // namespace probity
