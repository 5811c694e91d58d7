// Token reduction and containment for sequence links (link_text.h).
#include "rules/link_text.h"

#include <cctype>

#include <algorithm>

#include "base/ascii.h"

namespace probity::rules {
namespace {

bool contains(const std::vector<std::string_view>& tokens, std::string_view t) {
  return std::find(tokens.begin(), tokens.end(), t) != tokens.end();
}

}  // namespace

namespace {
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Bytes of an apostrophe at text[i] inside a word ("O'Connor", "D’Souza"), 0 otherwise: names
// are written with and without one ("OCONNOR"), so it joins rather than splits.
std::size_t inner_apostrophe(std::string_view text, std::size_t i) {
  if (i == 0 || !is_ascii_letter(text[i - 1])) return 0;
  std::size_t n = 0;
  if (text[i] == '\'' || text[i] == '`')
    n = 1;
  else if (text.substr(i, 3) == "\xE2\x80\x99")  // U+2019, the typographic apostrophe
    n = 3;
  return n > 0 && i + n < text.size() && is_ascii_letter(text[i + n]) ? n : 0;
}
}  // namespace

namespace {
/// link_tokens into `out`, emptied first (its capacity kept).
void link_tokens_into(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  bool gap = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (const std::size_t n = inner_apostrophe(text, i)) {
      i += n - 1;
      continue;
    }
    const char c = ascii_lower(text[i]);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (gap && !out.empty()) out += ' ';
      out += c;
      gap = false;
    } else {
      gap = true;
    }
  }
}

/// split_tokens into `out`, emptied first.
void split_tokens_into(std::string_view tokens, std::vector<std::string_view>& out) {
  out.clear();
  while (!tokens.empty()) {
    const std::size_t end = std::min(tokens.find(' '), tokens.size());
    if (end > 0) out.push_back(tokens.substr(0, end));
    tokens.remove_prefix(std::min(end + 1, tokens.size()));
  }
}
}  // namespace

std::string link_tokens(std::string_view text) {
  std::string out;
  link_tokens_into(text, out);
  return out;
}

std::vector<std::string_view> split_tokens(std::string_view tokens) {
  std::vector<std::string_view> out;
  split_tokens_into(tokens, out);
  return out;
}

bool is_linkable(std::string_view tokens) {
  int words = 0;
  for (const auto t : split_tokens(tokens)) {
    if (ascii_has_digit(t)) {
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
    if (ascii_has_digit(t)) {
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
    if (ascii_has_digit(t)) {
      if (squashed.find(t) == std::string::npos) return false;
    } else {
      if (first_word.empty()) first_word = t;
      last_word = t;
    }
  }
  if (first_word.empty()) return true;
  if (squashed.find(first_word) != std::string::npos ||
      squashed.find(last_word) != std::string::npos)
    return true;
  // Initials then digits ("zr4595@gmail.com" for Zoe Rowe) is how many people pick a
  // private address; only an address's local part is read that way, in either name order
  // (records write "ROWE, Zoe" as often as "Zoe Rowe").
  if (first_word.data() == last_word.data()) return false;
  const char a = first_word[0], b = last_word[0];
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    std::size_t start = at;
    while (start > 0 && std::isalnum(static_cast<unsigned char>(text[start - 1]))) --start;
    const std::string_view local = text.substr(start, at - start);
    if (local.size() < 3 || !std::isdigit(static_cast<unsigned char>(local[2]))) continue;
    const char x = static_cast<char>(std::tolower(static_cast<unsigned char>(local[0])));
    const char y = static_cast<char>(std::tolower(static_cast<unsigned char>(local[1])));
    if ((x == a && y == b) || (x == b && y == a)) return true;
  }
  return false;
}

bool names_person(std::string_view text, std::string_view forenames, std::string_view surname) {
  // Asked of every record look-up by several rules: the texts and word lists are kept per
  // thread and refilled, not allocated six times a call.
  thread_local std::string text_tokens, surname_tokens, forename_tokens;
  thread_local std::vector<std::string_view> words, surnames, forename;
  link_tokens_into(surname, surname_tokens);
  split_tokens_into(surname_tokens, surnames);
  link_tokens_into(forenames, forename_tokens);
  split_tokens_into(forename_tokens, forename);
  if (surnames.empty() || forename.empty()) return false;
  link_tokens_into(text, text_tokens);
  split_tokens_into(text_tokens, words);
  auto take = [&](std::string_view w) {
    const auto it = std::find(words.begin(), words.end(), w);
    if (it == words.end()) return false;
    words.erase(it);
    return true;
  };
  for (const auto s : surnames)
    if (!take(s)) return false;
  return take(forename.front());
}

}  // namespace probity::rules
