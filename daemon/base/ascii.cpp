// The out-of-line half of base/ascii.h. Byte loops only: no locale, no allocation beyond the
// returned string.
#include "base/ascii.h"

#include <algorithm>

namespace probity {

std::string to_lower(std::string_view s) {
  std::string out(s);
  lower_in_place(out);
  return out;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (ascii_is_lower(c)) c = static_cast<char>(c - 'a' + 'A');
  return out;
}

void lower_in_place(std::string& s) {
  for (char& c : s) c = ascii_lower(c);
}

void append_lower(std::string& out, std::string_view s) {
  // Copied, then folded in place: one length check, not one per byte (keys are built with
  // this for every correlation an event feeds).
  const std::size_t at = out.size();
  out.append(s);
  for (std::size_t i = at; i < out.size(); ++i) out[i] = ascii_lower(out[i]);
}

// Rule conditions compare event text with constants thousands of times a second, and the
// bytes mostly match as they are: equal bytes are passed over before any folding.
int icompare(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    const auto x = static_cast<unsigned char>(ascii_lower(a[i]));
    const auto y = static_cast<unsigned char>(ascii_lower(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

std::size_t ifind(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return 0;
  const auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                              [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
  return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && ascii_is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && ascii_is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim(std::string_view s, std::string_view chars) {
  const std::size_t first = s.find_first_not_of(chars);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(chars) - first + 1);
}

bool glob_match(std::string_view pattern, std::string_view text, bool case_insensitive) {
  // Iterative wildcard match with one backtrack point: linear in practice, and never
  // exponential on hostile input (a pattern comes from config, text from the wire).
  const auto same = [&](char a, char b) {
    return case_insensitive ? ascii_lower(a) == ascii_lower(b) : a == b;
  };
  std::size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && same(pattern[p], text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace probity
