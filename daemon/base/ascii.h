// ASCII character classes, case folding and trimming for protocol text, identifiers and
// config words, where the bytes matter and not the language. Not Unicode-aware on purpose:
// bytes >= 0x80 are never changed or matched, so UTF-8 passes through intact.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace probity {

constexpr bool ascii_is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool ascii_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool ascii_is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool ascii_is_alpha(char c) { return ascii_is_upper(c) || ascii_is_lower(c); }
constexpr bool ascii_is_alnum(char c) { return ascii_is_alpha(c) || ascii_is_digit(c); }
/// Whether any byte of `s` is an ASCII digit.
constexpr bool ascii_has_digit(std::string_view s) {
  for (const char c : s)
    if (ascii_is_digit(c)) return true;
  return false;
}
/// Space, tab, CR and LF: the blanks that wrap values in logs and files (not \v or \f).
constexpr bool ascii_is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// 'A'..'Z' → 'a'..'z'; every other byte unchanged.
constexpr char ascii_lower(char c) {
  return ascii_is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

/// A lower-cased copy (ASCII letters only).
std::string to_lower(std::string_view s);
/// An upper-cased copy (ASCII letters only).
std::string to_upper(std::string_view s);
void lower_in_place(std::string& s);
/// Appends `s` lower-cased to `out`: for building keys without a temporary.
void append_lower(std::string& out, std::string_view s);

/// '*' matches any run of characters (including none); everything else literally ("pnc-*").
/// Linear in practice and never exponential, whoever wrote the pattern.
bool glob_match(std::string_view pattern, std::string_view text, bool case_insensitive = false);

/// Comparisons that ignore ASCII case. Inline: rules, caches and gateway fields call it
/// millions of times, mostly on texts of another length.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}
/// <0, 0, >0, ordering bytes as unsigned after folding.
int icompare(std::string_view a, std::string_view b);
/// The first position of `needle` in `hay`, or npos; an empty needle is found at 0.
std::size_t ifind(std::string_view hay, std::string_view needle);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);

/// `s` without leading and trailing ascii_is_space() bytes.
std::string_view trim(std::string_view s);
/// `s` without leading and trailing bytes that are any of `chars`.
std::string_view trim(std::string_view s, std::string_view chars);

}  // namespace probity
