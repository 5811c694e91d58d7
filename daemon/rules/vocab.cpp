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
