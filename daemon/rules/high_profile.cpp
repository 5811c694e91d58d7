// Confirming high-profile candidates (high_profile.h).
#include "rules/high_profile.h"

#include <chrono>
#include <string>
#include <vector>

#include "rules/address.h"
#include "rules/ascii_fold.h"
#include "rules/birth_date.h"
#include "rules/person_match.h"

namespace probity::rules {
namespace {

constexpr std::size_t kMaxTermWords = 32;
constexpr std::size_t kMaxTermsBytes = 512;

bool alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/// Upper-case ASCII words of letters and digits, at most kMaxTermWords.
std::vector<std::string> words_of(std::string_view text) {
  const std::string folded = fold_to_ascii(text.substr(0, kMaxTermsBytes));
  std::vector<std::string> out;
  std::string w;
  for (std::size_t i = 0; i <= folded.size() && out.size() < kMaxTermWords; ++i) {
    const char c = i < folded.size() ? folded[i] : ' ';
    if (alnum(c)) {
      w += c;
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  return out;
}

/// The dates of birth written in `text`: numeric runs ("1985-03-12", "DOB:12/03/1985") and
/// three-word forms ("7 Mar 1985", "March 7 1985").
std::vector<BirthDate> dates_in(std::string_view text) {
  text = text.substr(0, kMaxTermsBytes);
  std::vector<BirthDate> out;
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!is_digit(text[i]) || (i > 0 && is_digit(text[i - 1]))) continue;
    std::size_t end = i;
    while (end < text.size() &&
           (is_digit(text[end]) || text[end] == '/' || text[end] == '-' || text[end] == '.'))
      ++end;
    std::size_t last = end;
    while (last > i && !is_digit(text[last - 1])) --last;
    if (last - i >= 8)
      if (const auto d = parse_birth_date(text.substr(i, last - i))) out.push_back(*d);
    i = end;
  }
  const auto words = words_of(text);
  for (std::size_t i = 0; i + 2 < words.size(); ++i) {
    if (const auto d = parse_birth_date(words[i] + " " + words[i + 1] + " " + words[i + 2]))
      out.push_back(*d);
  }
  return out;
}

/// Marks and returns whether an unused word of `words` (or two adjacent unused words joined)
/// agrees with `name_word`.
bool take(const std::vector<std::string>& words, std::vector<bool>& used,
          std::string_view name_word) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (used[i] || !same_word(words[i], name_word)) continue;
    used[i] = true;
    return true;
  }
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (used[i] || used[i + 1] || !same_word(words[i] + words[i + 1], name_word)) continue;
    used[i] = used[i + 1] = true;
    return true;
  }
  return false;
}

/// One name of the entry as a reading: surname words and forenames.
bool search_names(const std::vector<std::string>& words, const NameReading& name,
                  const std::optional<BirthDate>& dob, const std::vector<BirthDate>& dates) {
  if (name.surname.empty()) return false;
  std::vector<bool> used(words.size(), false);
  for (const auto& s : name.surname)
    if (!take(words, used, s)) return false;
  bool has_dob = false, other_date = false;
  for (const auto& d : dates) {
    if (dob && d == *dob) {
      has_dob = true;
    } else {
      other_date = true;
    }
  }
  if (has_dob) return true;                                // surname + date of birth
  if (other_date || name.forenames.empty()) return false;  // a namesake, or a surname alone
  return take(words, used, name.forenames.front());
}

std::string full_names(const state::HighProfilePerson& e) {
  std::string names = e.surname + ", " + e.forenames;
  if (!e.aliases.empty()) names += "|" + e.aliases;
  return names;
}

}  // namespace

bool high_profile_listed(const state::HighProfilePerson& entry,
                         std::optional<event::Timestamp> at) {
  if (!at) return true;
  if (entry.added_on && *at < *entry.added_on) return false;
  // until is a calendar day, stored as its midnight: the whole day counts.
  if (entry.until && *at >= *entry.until + std::chrono::hours(24)) return false;
  return true;
}

bool search_names_entry(std::string_view terms, const state::HighProfilePerson& entry) {
  const auto words = words_of(terms);
  if (words.size() < 2) return false;
  const auto dob = parse_birth_date(entry.dob);
  const auto dates = dates_in(terms);
  // The register's own name: its columns say which words are the surname.
  NameReading own;
  for (const auto& w : words_of(entry.surname)) own.surname.push_back(w);
  for (const auto& w : words_of(entry.forenames)) own.forenames.push_back(w);
  if (search_names(words, own, dob, dates)) return true;
  // Aliases are full names: any reading of them.
  std::string_view aliases = entry.aliases;
  while (!aliases.empty()) {
    const auto cut = aliases.find_first_of("|;");
    const auto alias = aliases.substr(0, cut);
    aliases.remove_prefix(cut == std::string_view::npos ? aliases.size() : cut + 1);
    for (const auto& reading : read_name(alias))
      if (search_names(words, reading, dob, dates)) return true;
  }
  return false;
}

bool is_high_profile(const state::ReferenceData& ref, HighProfileBy by, std::string_view value,
                     std::string_view dob, std::optional<event::Timestamp> at) {
  if (value.empty()) return false;
  value = value.substr(0, kMaxTermsBytes);  // no id, name or address is longer: bounded work
  switch (by) {
    case HighProfileBy::id:
      for (const auto& e : ref.high_profile_with_id(value))
        if (high_profile_listed(e, at)) return true;
      return false;
    case HighProfileBy::person:
      if (dob.empty()) return false;
      for (const auto& e : ref.high_profile_named(value))
        if (high_profile_listed(e, at) && same_person(value, dob, full_names(e), e.dob))
          return true;
      return false;
    case HighProfileBy::search:
      for (const auto& e : ref.high_profile_named(value))
        if (high_profile_listed(e, at) && search_names_entry(value, e)) return true;
      return false;
    case HighProfileBy::address:
      for (const auto& e : ref.high_profile_at(value))
        if (high_profile_listed(e, at) && same_address(value, e.address)) return true;
      return false;
  }
  return false;
}

}  // namespace probity::rules
