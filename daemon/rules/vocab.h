// Names of reference-data enums as rules write them (vetting levels, HR statuses,
// association kinds), delegating to state/reference.h's one spelling list.
#pragma once

#include <optional>
#include <string_view>

#include "base/ascii.h"  // iequals, to_lower: every case-insensitive comparison in rules/
#include "state/reference.h"

namespace probity::rules {

/// "NPPV3" / "nppv3" -> nppv3 (case-insensitive); "none" is the lowest level.
std::optional<state::VettingLevel> parse_vetting_level(std::string_view);
std::string_view vetting_level_name(state::VettingLevel);  // "NPPV3"
std::string_view hr_status_name(state::HrStatus);          // "active"
bool is_hr_status_name(std::string_view);
/// "media", "private_investigator" (or "pi"), "criminal", "family", "other".
std::optional<state::AssociationKind> parse_association_kind(std::string_view);
/// "sick", "career_break", ... with state's spellings ("Sick Leave", "career-break").
std::optional<state::AbsenceKind> parse_absence_kind(std::string_view);
/// "open", "awarded", "closed".
std::optional<state::TenderStatus> parse_tender_status(std::string_view);

}  // namespace probity::rules
