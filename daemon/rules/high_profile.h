// Whether an event's subject is on the high-profile register, by the four ways a look-up can
// reach a person: a record id, a name with a date of birth, a name search's terms, an address.
// Reference data gives the candidates through its index (state/high_profile_keys.h); this
// file confirms them with the exact matchers. The rules' high_profile_*() functions call it.
//
// THE ALGORITHM (per question, candidates from the index, each confirmed):
// - by id: the id is one of the entry's record ids (case-insensitive, exact);
// - by person: same_person(name, dob, entry) where the entry's names are "Surname,
//   Forenames" and each alias: both dates readable and equal, names agreeing (a name with
//   no date of birth never matches: namesakes);
// - by search terms: the text's words (folded to ASCII, split at anything but a letter or
//   digit, at most 32) name the entry, or one of its aliases, when
//     every word of the surname agrees (same_word: spelling variants, O'Brien = OBRIEN, two
//     adjacent words may join: "O BRIEN") with a distinct word of the text, and
//     either the first forename agrees with another distinct word (forename + surname in any
//     order and format) and the text holds no date of birth other than the entry's,
//     or the text holds the entry's date of birth (surname + date of birth);
//   a surname alone, or a forename and surname with another date of birth (a namesake),
//   never matches;
// - by address: same_address(text, entry address).
// An entry counts on the event's day when added_on <= day <= until (either may be absent);
// an event without a time counts every entry. A value is read to its first 512 bytes.
#pragma once

#include <optional>
#include <string_view>

#include "event/event.h"
#include "state/reference.h"

namespace probity::rules {

enum class HighProfileBy : std::uint8_t { id, person, search, address };

/// Whether `entry` is listed at `at` (no time: listed).
bool high_profile_listed(const state::HighProfilePerson& entry, std::optional<event::Timestamp> at);

/// Whether the search text names the entry (see THE ALGORITHM, by search terms).
bool search_names_entry(std::string_view terms, const state::HighProfilePerson& entry);

/// The question `by` for one value (`dob` only for `person`), against `ref`'s register.
bool is_high_profile(const state::ReferenceData& ref, HighProfileBy by, std::string_view value,
                     std::string_view dob, std::optional<event::Timestamp> at);

}  // namespace probity::rules
