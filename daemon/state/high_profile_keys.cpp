// Blocking keys for the high-profile register (high_profile_keys.h).
#include "state/high_profile_keys.h"

#include <algorithm>

namespace probity::state {
namespace {

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_high(char c) { return static_cast<unsigned char>(c) >= 0x80; }

char letter_class(char c) {
  switch (upper(c)) {
    case 'B':
    case 'F':
    case 'P':
    case 'V':
      return '1';
    case 'C':
    case 'G':
    case 'K':
    case 'Q':
    case 'S':
    case 'X':
    case 'Z':
      return '2';
    case 'D':
    case 'T':
      return '3';
    case 'L':
      return '4';
    case 'M':
    case 'N':
      return '5';
    case 'R':
      return '6';
    default:
      return '0';
  }
}

/// Runs of letters (non-ASCII bytes inside a word are skipped, not separators), at most
/// kMaxKeyWords, each as its ASCII letters upper-cased.
std::vector<std::string> letter_words(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i <= text.size() && words.size() < kMaxKeyWords; ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (is_letter(c)) {
      word += upper(c);
    } else if (!is_high(c) && !word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  return words;
}

/// Upper-case alphanumeric tokens of `text`; everything else separates.
std::vector<std::string> tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string t;
  for (std::size_t i = 0; i <= text.size() && out.size() < 64; ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    if (is_letter(c) || is_digit(c)) {
      t += upper(c);
    } else if (!t.empty()) {
      out.push_back(std::move(t));
      t.clear();
    }
  }
  return out;
}

/// Letter (L) and digit (9) shape of a token: "NM2" -> "LL9".
std::string shape(std::string_view t) {
  std::string s;
  for (const char c : t) s += is_digit(c) ? '9' : 'L';
  return s;
}

bool is_outward(std::string_view t) {
  const std::string s = shape(t);
  return s == "L9" || s == "L99" || s == "LL9" || s == "LL99" || s == "L9L" || s == "LL9L";
}
bool is_inward(std::string_view t) { return shape(t) == "9LL"; }

}  // namespace

std::string name_key(std::string_view word) {
  std::string key;
  char last = 0;
  for (const char c : word) {
    if (!is_letter(c)) continue;
    const char k = letter_class(c);
    if (key.empty()) {
      key += k;
    } else if (k != '0' && k != last) {
      key += k;
    }
    if (k != '0') last = k;
  }
  return key;
}

std::vector<std::string> name_keys(std::string_view text) {
  const auto words = letter_words(text);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].size() >= 2) keys.push_back(name_key(words[i]));
    if (i + 1 < words.size()) keys.push_back(name_key(words[i] + words[i + 1]));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::string postcode_key(std::string_view text) {
  const auto t = tokens(text);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (is_outward(t[i]) && i + 1 < t.size() && is_inward(t[i + 1])) return t[i] + t[i + 1];
    // Unspaced: an outward code followed by the three inward characters.
    if (t[i].size() >= 5 && t[i].size() <= 7) {
      const std::string_view all = t[i];
      if (is_inward(all.substr(all.size() - 3)) && is_outward(all.substr(0, all.size() - 3)))
        return t[i];
    }
  }
  return {};
}

std::string street_key(std::string_view text) {
  const auto t = tokens(text);
  for (std::size_t i = 0; i + 1 < t.size(); ++i) {
    if (!is_digit(t[i].front())) continue;
    const std::string& next = t[i + 1];
    if (next.empty() || is_digit(next.front())) continue;
    std::string number;
    for (const char c : t[i]) {
      if (!is_digit(c)) break;
      number += c;
    }
    return number + " " + next;
  }
  return {};
}

}  // namespace probity::state
