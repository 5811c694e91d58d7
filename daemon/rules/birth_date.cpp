// Date-of-birth parsing for same_person(); see birth_date.h for the accepted forms.
#include "rules/birth_date.h"

#include <array>
#include <cctype>
#include <string>
#include <vector>

namespace probity::rules {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  return true;
}

int number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// Words of letters or digits, upper-cased; "7th" loses its ordinal ending.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.size() > 2 && std::isdigit(static_cast<unsigned char>(cur[0])) != 0) {
      const std::string_view end = std::string_view(cur).substr(cur.size() - 2);
      if (end == "ST" || end == "ND" || end == "RD" || end == "TH") cur.resize(cur.size() - 2);
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0)
      cur.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    else
      flush();
  }
  flush();
  return out;
}

// 1-12 for a month's name or its first three letters (SEPT too), 0 otherwise.
int month_named(std::string_view w) {
  if (w.size() < 3 || !std::isalpha(static_cast<unsigned char>(w[0]))) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (w.substr(0, 3) == kMonths[i]) return static_cast<int>(i) + 1;
  return 0;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::optional<BirthDate> valid(int year, int month, int day) {
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1000 || month < 1 || month > 12 || day < 1) return std::nullopt;
  const int last = kDays[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
  if (day > last) return std::nullopt;
  return BirthDate{year, month, day};
}

bool day_or_month(std::string_view w) { return is_digits(w) && w.size() <= 2; }
bool year(std::string_view w) { return is_digits(w) && w.size() == 4; }

}  // namespace

std::optional<BirthDate> parse_birth_date(std::string_view text) {
  // An ISO date with a time after it: the date is all that is kept.
  if (text.size() > 10 && (text[10] == 'T' || text[10] == ' ') && is_digits(text.substr(0, 4)) &&
      text[4] == '-')
    text = text.substr(0, 10);
  const std::vector<std::string> w = words(text);
  if (w.size() == 1 && w[0].size() == 8 && is_digits(w[0]))
    return valid(number(w[0].substr(0, 4)), number(w[0].substr(4, 2)), number(w[0].substr(6)));
  if (w.size() != 3) return std::nullopt;
  if (year(w[0]) && day_or_month(w[1]) && day_or_month(w[2]))
    return valid(number(w[0]), number(w[1]), number(w[2]));
  if (day_or_month(w[0]) && year(w[2])) {
    if (day_or_month(w[1])) return valid(number(w[2]), number(w[1]), number(w[0]));
    return valid(number(w[2]), month_named(w[1]), number(w[0]));
  }
  if (day_or_month(w[1]) && year(w[2])) return valid(number(w[2]), month_named(w[0]), number(w[1]));
  return std::nullopt;
}

}  // namespace probity::rules
