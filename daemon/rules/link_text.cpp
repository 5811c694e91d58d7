// Token reduction and containment for sequence links (link_text.h).
#include "rules/link_text.h"

#include <algorithm>

#include "base/ascii.h"

namespace probity::rules {
namespace {

bool has_digit(std::string_view token) {
  return std::any_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool contains(const std::vector<std::string_view>& tokens, std::string_view t) {
  return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
}

}  // namespace

std::string link_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool gap = false;
  for (const char ch : text) {
    const char c = ascii_lower(ch);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (gap && !out.empty()) out += ' ';
      out += c;
      gap = false;
    } else {
      gap = true;
    }
  }
  return out;
}

std::vector<std::string_view> split_tokens(std::string_view tokens) {
  std::vector<std::string_view> out;
  while (!tokens.empty()) {
    const std::size_t end = std::min(tokens.find(' '), tokens.size());
    if (end > 0) out.push_back(tokens.substr(0, end));
    tokens.remove_prefix(std::min(end + 1, tokens.size()));
  }
  return out;
}

bool is_linkable(std::string_view tokens) {
  int words = 0;
  for (const auto t : split_tokens(tokens)) {
    if (has_digit(t)) {
      if (t.size() >= 4) return true;
    } else if (t.size() >= 2) {
      ++words;
    }
  }
  return words >= 2;
}

bool appears_in(std::string_view value_tokens, const std::vector<std::string_view>& text_tokens) {
  std::string_view first_word, last_word;
  for (const auto t : split_tokens(value_tokens)) {
    if (has_digit(t)) {
      if (!contains(text_tokens, t)) return false;
    } else {
      if (first_word.empty()) first_word = t;
      last_word = t;
    }
  }
  if (!first_word.empty() && !contains(text_tokens, first_word)) return false;
  return last_word.empty() || contains(text_tokens, last_word);
}

bool mentioned_in(std::string_view value_tokens, std::string_view text) {
  const std::string lowered = link_tokens(text);
  std::string squashed;  // without spaces: "ann lee77 gmail com" -> "annlee77gmailcom"
  for (const char c : lowered)
    if (c != ' ') squashed += c;
  std::string_view first_word, last_word;
  for (const auto t : split_tokens(value_tokens)) {
    if (has_digit(t)) {
      if (squashed.find(t) == std::string::npos) return false;
    } else {
      if (first_word.empty()) first_word = t;
      last_word = t;
    }
  }
  if (first_word.empty()) return true;
  return squashed.find(first_word) != std::string::npos ||
         squashed.find(last_word) != std::string::npos;
}

}  // namespace probity::rules
