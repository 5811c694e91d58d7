// Dates of birth as people and systems write them, for same_person() (person_match.h, step
// 6). A calendar date only: no time of day, no time zone.
#pragma once

#include <optional>
#include <string_view>

namespace probity::rules {

struct BirthDate {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const BirthDate&) const = default;
};

/// 1985-03-07, 1985/03/07, 19850307, 07/03/1985, 07.03.1985, 07-03-1985 (day first),
/// 7 Mar 1985, 7th March 1985, March 7, 1985, and 1985-03-07T00:00:00Z. nullopt for a
/// two-digit year, an impossible date, or anything else.
std::optional<BirthDate> parse_birth_date(std::string_view text);

}  // namespace probity::rules
