// Reference-data vocabulary and ASCII case-insensitive string helpers for rules.
#include "rules/vocab.h"

#include <algorithm>
#include <string>

namespace probity::rules {
namespace {

using state::VettingLevel;
constexpr std::pair<std::string_view, VettingLevel> kLevels[] = {
    {"none", VettingLevel::none},   {"RV", VettingLevel::rv},       {"MV", VettingLevel::mv},
    {"NPPV1", VettingLevel::nppv1}, {"NPPV2", VettingLevel::nppv2}, {"NPPV3", VettingLevel::nppv3},
    {"CTC", VettingLevel::ctc},     {"SC", VettingLevel::sc},       {"DV", VettingLevel::dv},
};

}  // namespace

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

std::optional<state::VettingLevel> parse_vetting_level(std::string_view s) {
  for (const auto& [name, level] : kLevels)
    if (iequals(name, s)) return level;
  return std::nullopt;
}

std::string_view vetting_level_name(state::VettingLevel v) {
  for (const auto& [name, level] : kLevels)
    if (level == v) return name;
  return "none";
}

std::string_view hr_status_name(state::HrStatus s) {
  switch (s) {
    case state::HrStatus::active:
      return "active";
    case state::HrStatus::suspended:
      return "suspended";
    case state::HrStatus::leaving:
      return "leaving";
    case state::HrStatus::left:
      return "left";
  }
  return "active";
}

bool is_hr_status_name(std::string_view s) {
  return iequals(s, "active") || iequals(s, "suspended") || iequals(s, "leaving") ||
         iequals(s, "left");
}

std::optional<state::AssociationKind> parse_association_kind(std::string_view s) {
  using K = state::AssociationKind;
  if (iequals(s, "media")) return K::media;
  if (iequals(s, "private_investigator") || iequals(s, "pi")) return K::private_investigator;
  if (iequals(s, "criminal")) return K::criminal;
  if (iequals(s, "family")) return K::family;
  if (iequals(s, "other")) return K::other;
  return std::nullopt;
}

std::optional<state::TenderStatus> parse_tender_status(std::string_view s) {
  using S = state::TenderStatus;
  if (iequals(s, "open")) return S::open;
  if (iequals(s, "awarded")) return S::awarded;
  if (iequals(s, "closed")) return S::closed;
  return std::nullopt;
}

}  // namespace probity::rules
