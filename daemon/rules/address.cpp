// Address parsing for same_address(); see address.h for what is normalised and why.
#include "rules/address.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>
#include <utility>

#include "base/ascii.h"

namespace probity::rules {
namespace {

// One spelling per street word (Royal Mail's common abbreviations, both directions), and the
// flat prefixes that carry no information once the number is kept.
constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kWords{{
    {"ROAD", "RD"},        {"STREET", "ST"},     {"SAINT", "ST"},   {"AVENUE", "AVE"},
    {"AV", "AVE"},         {"LANE", "LN"},       {"DRIVE", "DR"},   {"CLOSE", "CL"},
    {"COURT", "CT"},       {"CRESCENT", "CRES"}, {"CRESC", "CRES"}, {"PLACE", "PL"},
    {"GARDENS", "GDNS"},   {"TERRACE", "TER"},   {"TERR", "TER"},   {"GROVE", "GR"},
    {"SQUARE", "SQ"},      {"PARK", "PK"},       {"MOUNT", "MT"},   {"HOUSE", "HO"},
    {"COTTAGES", "COTTS"}, {"NORTH", "N"},       {"SOUTH", "S"},    {"EAST", "E"},
    {"WEST", "W"},         {"UPPER", "UPR"},     {"LOWER", "LWR"},  {"GREEN", "GRN"},
    {"HIGHWAY", "HWY"},    {"PARADE", "PDE"},
}};
constexpr std::array<std::string_view, 5> kDropped{"FLAT", "APARTMENT", "APT", "UNIT", "NO"};

// A postcode's outward part: A9, A9A, A99, AA9, AA9A, AA99.
bool is_outward(std::string_view s) {
  if (s.size() < 2 || s.size() > 4 || !ascii_is_upper(s[0])) return false;
  std::size_t i = ascii_is_upper(s[1]) ? 2 : 1;
  if (i >= s.size() || !ascii_is_digit(s[i])) return false;
  ++i;
  if (i == s.size()) return true;
  if (i + 1 != s.size()) return false;
  return ascii_is_digit(s[i]) || ascii_is_upper(s[i]);
}

// The inward part: 9AA.
bool is_inward(std::string_view s) {
  return s.size() == 3 && ascii_is_digit(s[0]) && ascii_is_upper(s[1]) && ascii_is_upper(s[2]);
}

std::vector<std::string> tokens(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == '\'') continue;  // "St Mary's" and "ST MARYS" are one word
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (ascii_is_upper(u) || ascii_is_digit(u)) {
      cur.push_back(u);
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string canonical_word(std::string word) {
  for (const auto& [long_form, short_form] : kWords)
    if (word == long_form) return std::string(short_form);
  return word;
}

bool starts_with_words(const std::vector<std::string>& longer,
                       const std::vector<std::string>& shorter) {
  return shorter.size() <= longer.size() &&
         std::equal(shorter.begin(), shorter.end(), longer.begin());
}

}  // namespace

ParsedAddress parse_address(std::string_view text) {
  ParsedAddress a;
  std::vector<std::string> raw = tokens(text);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string& t = raw[i];
    if (a.postcode.empty()) {
      if (i + 1 < raw.size() && is_outward(t) && is_inward(raw[i + 1])) {
        a.postcode = t + ' ' + raw[i + 1];
        ++i;
        continue;
      }
      if (t.size() >= 5 && t.size() <= 7 && is_outward(t.substr(0, t.size() - 3)) &&
          is_inward(std::string_view(t).substr(t.size() - 3))) {
        a.postcode = t.substr(0, t.size() - 3) + ' ' + t.substr(t.size() - 3);
        continue;
      }
    }
    if (std::find(kDropped.begin(), kDropped.end(), t) != kDropped.end()) continue;
    if (ascii_is_digit(t[0])) {
      if (!a.numbers.empty()) a.numbers.push_back(' ');
      a.numbers += t;
    }
    a.words.push_back(canonical_word(std::move(t)));
  }
  return a;
}

namespace {

// The pack compares what an event names with the user's own address (staff(user.id).address,
// the second text) up to five times an event, and for every event of that user: parsing it
// each time was most of what the comparisons cost. Parses are kept per thread, found by their
// text: as many as a busy hour's users (events from many users interleave, and eight kept
// missed nearly every time), then all dropped at once. A long text is parsed every time, so
// that what is kept stays small whatever an event carries.
const ParsedAddress& parsed_remembered(std::string_view text) {
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  constexpr std::size_t kKept = 4096, kLongest = 256;
  thread_local std::unordered_map<std::string, ParsedAddress, Hash, std::equal_to<>> kept;
  thread_local ParsedAddress uncached;
  if (text.size() > kLongest) return uncached = parse_address(text);
  if (const auto it = kept.find(text); it != kept.end()) return it->second;
  if (kept.size() >= kKept) kept.clear();
  return kept.emplace(std::string(text), parse_address(text)).first->second;
}

// Whether parse_address(text) can find a postcode or a house number in it, without parsing:
// some token (as tokens() cuts them) starts with a digit, or a digit is followed by two
// letters (a postcode without its space, "NM24LB"). Most searches and ids the pack compares
// with an address have neither ("SMITH JOHN", "P1234567") and name no dwelling.
bool may_name_dwelling(std::string_view text) {
  bool token_start = true;
  int letters_after_digit = -1;  // since the token's last digit; -1: no digit yet
  for (const char c : text) {
    if (c == '\'') continue;
    if (ascii_is_digit(c)) {
      if (token_start) return true;
      letters_after_digit = 0;
    } else if (ascii_is_alpha(c)) {
      if (letters_after_digit >= 0 && ++letters_after_digit == 2) return true;
    } else {
      token_start = true;
      letters_after_digit = -1;
      continue;
    }
    token_start = false;
  }
  return false;
}

// Whether every digit run of `numbers` (a parse's house numbers) is a whole digit run of
// `text`, as tokens() reads it (apostrophes skipped). Equal numbers need it: the runs of a
// parse's numbers are the text's runs, for tokens are the text's letters and digits.
bool carries_digit_runs(std::string_view text, std::string_view numbers) {
  std::string runs = " ";  // " 12 14 " : each run between spaces
  for (const char c : text) {
    if (c == '\'') continue;
    if (ascii_is_digit(c)) {
      runs.push_back(c);
    } else if (runs.back() != ' ') {
      runs.push_back(' ');
    }
  }
  if (runs.back() != ' ') runs.push_back(' ');
  std::string wanted = " ";
  for (std::size_t i = 0; i < numbers.size();) {
    if (!ascii_is_digit(numbers[i])) {
      ++i;
      continue;
    }
    wanted.resize(1);
    while (i < numbers.size() && ascii_is_digit(numbers[i])) wanted.push_back(numbers[i++]);
    wanted.push_back(' ');
    if (runs.find(wanted) == std::string::npos) return false;
  }
  return true;
}

}  // namespace

bool same_address(std::string_view a, std::string_view b) {
  if (!may_name_dwelling(a)) return false;
  // Cheap refusals before `a` is parsed (most texts an event carries are not the user's
  // address): a match needs b to name a dwelling and a to carry b's house numbers.
  const ParsedAddress& y = parsed_remembered(b);
  if (y.postcode.empty() && y.numbers.empty()) return false;
  if (!carries_digit_runs(a, y.numbers)) return false;
  const ParsedAddress x = parse_address(a);
  // Without a postcode or a number, `a` names no dwelling, whatever `b` is.
  if (x.postcode.empty() && x.numbers.empty()) return false;
  if (!x.postcode.empty() && !y.postcode.empty()) {
    if (x.postcode != y.postcode || x.numbers != y.numbers) return false;
    if (!x.numbers.empty()) return true;
    return !x.words.empty() && !y.words.empty() && x.words.front() == y.words.front();
  }
  if (x.numbers.empty() || x.numbers != y.numbers) return false;
  return x.words.size() <= y.words.size() ? starts_with_words(y.words, x.words)
                                          : starts_with_words(x.words, y.words);
}

namespace {

struct House {
  std::int64_t number = 0;
  std::string street;  ///< the two words after the number, space-separated
};

// The last number followed by a word: "2 14 MOOR RD HARWICK" -> 14, "MOOR RD".
std::optional<House> house_of(const ParsedAddress& a) {
  for (std::size_t i = a.words.size(); i-- > 0;) {
    const std::string& w = a.words[i];
    if (!ascii_is_digit(w[0]) || i + 1 >= a.words.size() || ascii_is_digit(a.words[i + 1][0]))
      continue;
    House h;
    std::size_t end = 0;
    while (end < w.size() && ascii_is_digit(w[end]) && end < 9)
      h.number = h.number * 10 + (w[end++] - '0');
    h.street = a.words[i + 1];
    if (i + 2 < a.words.size() && !ascii_is_digit(a.words[i + 2][0]))
      h.street += ' ' + a.words[i + 2];
    return h;
  }
  return std::nullopt;
}

std::string_view district(const std::string& postcode) {
  return std::string_view(postcode).substr(0, postcode.find(' '));
}

}  // namespace

bool same_postcode_sector(std::string_view a, std::string_view b) {
  if (!may_name_dwelling(a) || !may_name_dwelling(b)) return false;
  const std::string x = parse_address(a).postcode;
  const std::string& y = parsed_remembered(b).postcode;
  // Postcodes are kept as "OUTWARD DIGIT+LETTERS"; the sector ends at the inward digit.
  return !x.empty() && !y.empty() && x.substr(0, x.size() - 2) == y.substr(0, y.size() - 2);
}

std::optional<std::int64_t> doors_apart(std::string_view a, std::string_view b) {
  if (!may_name_dwelling(a) || !may_name_dwelling(b)) return std::nullopt;
  const ParsedAddress x = parse_address(a);
  const ParsedAddress& y = parsed_remembered(b);
  if (!x.postcode.empty() && !y.postcode.empty() && district(x.postcode) != district(y.postcode))
    return std::nullopt;
  const auto hx = house_of(x);
  const auto hy = house_of(y);
  if (!hx || !hy || hx->street != hy->street) return std::nullopt;
  const std::int64_t gap =
      hx->number > hy->number ? hx->number - hy->number : hy->number - hx->number;
  return (gap + 1) / 2;
}

}  // namespace probity::rules
