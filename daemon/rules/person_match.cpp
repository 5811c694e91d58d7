// Name and person matching for same_name() / same_person(); the algorithm is documented in
// person_match.h, step by step, and the steps are marked below.
#include "rules/person_match.h"

#include <algorithm>
#include <array>
#include <utility>

#include "rules/ascii_fold.h"
#include "rules/birth_date.h"
#include "rules/loader.h"  // edit_distance

namespace probity::rules {
namespace {

constexpr std::array<std::string_view, 13> kTitles{
    "MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "SIR", "DAME", "LORD", "LADY", "REV", "REVD"};
constexpr std::array<std::string_view, 20> kParticles{
    "O",     "MC",  "MAC", "VAN", "VON", "DE", "DA", "DI", "DU",  "DEL",
    "DELLA", "DER", "DEN", "LA",  "LE",  "AL", "EL", "ST", "TER", "TEN"};

template <std::size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

bool is_vowel(char c) {
  return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
}

// A word and the hyphen-joined words after it ("SMITH-JONES" is one group of two barrels).
using Group = std::vector<std::string>;

// Step 2 on one part of a name (the whole of it, or one side of its comma). Particles are
// joined to the next word unless they open the name (`first_may_be_forename`).
std::vector<Group> groups_of(std::string_view folded, bool first_may_be_forename) {
  std::vector<Group> groups;
  std::string word;
  bool hyphen_before = false;
  auto flush = [&] {
    if (word.empty() || listed(kTitles, word)) {
      word.clear();
      return;
    }
    if (hyphen_before && !groups.empty())
      groups.back().push_back(std::move(word));
    else
      groups.push_back(Group{std::move(word)});
    word.clear();
    hyphen_before = false;
  };
  for (char c : folded) {
    if (c == '-' || c == ' ') {
      flush();
      if (c == '-') hyphen_before = !groups.empty();
    } else {
      word.push_back(c);
    }
  }
  flush();
  // Particles glued to the word after them: within a group (Al-Hassan), then across groups.
  for (Group& g : groups)
    for (std::size_t i = g.size(); i-- > 1;)
      if (listed(kParticles, g[i - 1])) {
        g[i - 1] += g[i];
        g.erase(g.begin() + static_cast<std::ptrdiff_t>(i));
      }
  const std::size_t first = first_may_be_forename ? 1 : 0;
  for (std::size_t i = groups.size(); i-- > first + 1;) {
    Group& before = groups[i - 1];
    if (before.size() != 1 || !listed(kParticles, before[0])) continue;
    groups[i].front() = before[0] + groups[i].front();
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(i - 1));
  }
  return groups;
}

std::vector<std::string> flatten(std::vector<Group>::const_iterator from,
                                 std::vector<Group>::const_iterator to) {
  std::vector<std::string> out;
  for (; from != to; ++from) out.insert(out.end(), from->begin(), from->end());
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += w;
  return out;
}

std::string consonants(std::string_view key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i)
    if (i == 0 || !is_vowel(key[i])) out.push_back(key[i]);
  return out;
}

// Paul/Paula, Daniel/Danielle: the longer is the shorter and a final A or E.
bool gendered_pair(std::string_view shorter, std::string_view longer) {
  return longer.size() == shorter.size() + 1 && longer.starts_with(shorter) &&
         (longer.back() == 'A' || longer.back() == 'E');
}

bool is_initial_of(std::string_view initial, std::string_view word) {
  return initial.size() == 1 && !word.empty() && word.front() == initial.front();
}

// Step 5, first forenames: spelling, and with the dates agreeing an initial.
bool forename_agrees(std::string_view a, std::string_view b, bool dates_agree) {
  if (same_word(a, b)) return true;
  return dates_agree && (is_initial_of(a, b) || is_initial_of(b, a));
}

bool known_by_middle_name(const std::vector<std::string>& full,
                          const std::vector<std::string>& other) {
  return std::any_of(full.begin() + 1, full.end(),
                     [&](const std::string& middle) { return same_word(middle, other[0]); });
}

bool one_barrel_agrees(const NameReading& a, const NameReading& b) {
  if (a.surname.size() < 2 && b.surname.size() < 2) return false;
  if (!same_word(a.forenames[0], b.forenames[0])) return false;
  return std::any_of(a.surname.begin(), a.surname.end(), [&](const std::string& x) {
    return std::any_of(b.surname.begin(), b.surname.end(),
                       [&](const std::string& y) { return same_word(x, y); });
  });
}

// Step 5.
bool readings_agree(const NameReading& a, const NameReading& b, bool dates_agree) {
  const bool forenames = forename_agrees(a.forenames[0], b.forenames[0], dates_agree) ||
                         (dates_agree && (known_by_middle_name(a.forenames, b.forenames) ||
                                          known_by_middle_name(b.forenames, a.forenames)));
  if (forenames && same_word(joined(a.surname), joined(b.surname))) return true;
  return dates_agree && one_barrel_agrees(a, b);
}

// Step 1.
std::vector<std::string_view> aliases(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '|' && text[i] != ';') continue;
    out.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  return out;
}

bool names_agree(std::string_view a, std::string_view b, bool dates_agree) {
  for (std::string_view x : aliases(a))
    for (const NameReading& rx : read_name(x))
      for (std::string_view y : aliases(b))
        for (const NameReading& ry : read_name(y))
          if (readings_agree(rx, ry, dates_agree)) return true;
  return false;
}

}  // namespace

std::vector<NameReading> read_name(std::string_view name) {
  std::vector<NameReading> out;
  auto add = [&](std::vector<std::string> forenames, std::vector<std::string> surname) {
    if (!forenames.empty() && !surname.empty())
      out.push_back({std::move(forenames), std::move(surname)});
  };
  if (const std::size_t at = name.find(','); at != std::string_view::npos) {
    const auto surname = groups_of(fold_to_ascii(name.substr(0, at)), false);
    const auto forenames = groups_of(fold_to_ascii(name.substr(at + 1)), true);
    add(flatten(forenames.begin(), forenames.end()), flatten(surname.begin(), surname.end()));
    return out;
  }
  const std::string folded = fold_to_ascii(name);
  const auto g = groups_of(folded, true);
  if (g.size() < 2) return out;
  add(flatten(g.begin(), g.end() - 1), g.back());
  if (g.size() >= 3) add(flatten(g.begin(), g.end() - 2), flatten(g.end() - 2, g.end()));
  add(flatten(g.begin() + 1, g.end()), g.front());
  return out;
}

std::string spelling_key(std::string_view word) {
  std::string out;
  auto put = [&](char c) {
    if (out.empty() || out.back() != c) out.push_back(c);
  };
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    const char next = i + 1 < word.size() ? word[i + 1] : '\0';
    const char prev = i > 0 ? word[i - 1] : '\0';
    switch (c) {
      case 'C':
        put(next == 'E' || next == 'I' || next == 'Y' ? 'S' : 'K');
        break;
      case 'P':
        if (next == 'H') {
          put('F');
          ++i;
        } else {
          put('P');
        }
        break;
      case 'H':
        // Sounded only first or between vowels: KH, TH, SH, John, Sarah lose it.
        if (i > 0 && (!is_vowel(prev) || !is_vowel(next))) break;
        put('H');
        break;
      case 'V':
        put('F');
        break;
      case 'Q':
        put('K');
        break;
      case 'X':
        put('K');
        put('S');
        break;
      case 'Z':
        put('S');
        break;
      case 'J':
        put('Y');
        break;
      case 'Y':
        put(i == 0 ? 'Y' : 'I');
        break;
      default:
        if (c >= 'A' && c <= 'Z') put(c);
        break;
    }
  }
  return out;
}

bool same_word(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  std::string x = spelling_key(a);
  std::string y = spelling_key(b);
  if (x.empty() || y.empty()) return false;  // digits or marks only: no name to compare
  if (x == y) return true;
  if (x.size() > y.size()) std::swap(x, y);
  if (x.size() < 5 || gendered_pair(x, y)) return false;
  return consonants(x) == consonants(y) && edit_distance(x, y) <= y.size() / 3;
}

bool same_name(std::string_view a, std::string_view b) { return names_agree(a, b, false); }

bool same_person(std::string_view name_a, std::string_view dob_a, std::string_view name_b,
                 std::string_view dob_b) {
  const auto x = parse_birth_date(dob_a);
  const auto y = parse_birth_date(dob_b);
  return x && y && *x == *y && names_agree(name_a, name_b, true);
}

}  // namespace probity::rules
