// Reference-data vocabulary for rules: state's enum spellings under the names rules use.
#include "rules/vocab.h"

#include <string>

namespace probity::rules {

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

std::optional<state::AbsenceKind> parse_absence_kind(std::string_view s) {
  return state::absence_kind_from_string(s);
}

std::optional<state::TenderStatus> parse_tender_status(std::string_view s) {
  return state::tender_status_from_string(s);
}

}  // namespace probity::rules
