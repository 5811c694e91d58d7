// Names of reference-data enums as rules write them (vetting levels, HR statuses,
// association kinds), delegating to state/reference.h's one spelling list; and ASCII
// case-insensitive string helpers.
#pragma once

#include <optional>
#include <string_view>

#include "state/reference.h"

namespace probity::rules {

/// "NPPV3" / "nppv3" -> nppv3 (case-insensitive); "none" is the lowest level.
std::optional<state::VettingLevel> parse_vetting_level(std::string_view);
std::string_view vetting_level_name(state::VettingLevel);  // "NPPV3"
std::string_view hr_status_name(state::HrStatus);          // "active"
bool is_hr_status_name(std::string_view);
/// "media", "private_investigator" (or "pi"), "criminal", "family", "other".
std::optional<state::AssociationKind> parse_association_kind(std::string_view);
/// "open", "awarded", "closed".
std::optional<state::TenderStatus> parse_tender_status(std::string_view);

/// ASCII case folding, used for every case-insensitive comparison.
inline char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool iequals(std::string_view a, std::string_view b);
/// <0, 0, >0 comparing case-insensitively.
int icompare(std::string_view a, std::string_view b);
std::size_t ifind(std::string_view hay, std::string_view needle);
bool istarts_with(std::string_view s, std::string_view prefix);
bool iends_with(std::string_view s, std::string_view suffix);
std::string lowered(std::string_view);

}  // namespace probity::rules
