// Reference-data vocabulary and ASCII case-insensitive string helpers for rules.
#include "rules/vocab.h"

#include <algorithm>
#include <string>

namespace probity::rules {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != fold(b[i])) return false;
  return true;
}

int icompare(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = static_cast<unsigned char>(fold(a[i]));
    const unsigned char y = static_cast<unsigned char>(fold(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

std::size_t ifind(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return 0;
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                        [](char x, char y) { return fold(x) == fold(y); });
  return it == hay.end() ? std::string_view::npos : static_cast<std::size_t>(it - hay.begin());
}

bool istarts_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && iequals(s.substr(0, p.size()), p);
}

bool iends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && iequals(s.substr(s.size() - p.size()), p);
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = fold(c);
  return out;
}

// The enum spellings are state's (state/reference.cpp), so rule literals, inline tests
// and import files accept the same words.
std::optional<state::VettingLevel> parse_vetting_level(std::string_view s) {
  return state::vetting_level_from_string(s);
}

std::string_view vetting_level_name(state::VettingLevel v) { return state::to_string(v); }

std::string_view hr_status_name(state::HrStatus s) { return state::to_string(s); }

bool is_hr_status_name(std::string_view s) { return state::hr_status_from_string(s).has_value(); }

std::optional<state::AssociationKind> parse_association_kind(std::string_view s) {
  return state::association_kind_from_string(s);
}

std::optional<state::TenderStatus> parse_tender_status(std::string_view s) {
  return state::tender_status_from_string(s);
}

}  // namespace probity::rules
