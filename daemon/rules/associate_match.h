// Whether an event's subject is one of a staff member's declared associates: by an id in any
// system, by name and date of birth, or by living at an associate's address. The rules'
// associated(), associated_person() and at_associate_address() answer from here, over the
// user's rows fetched once per event (state::ReferenceData::associations_of_staff).
//
// THE ALGORITHM
//
// Ids. The subject's id agrees with the association's party_id or with any of its party_ids.
//   Both sides are compared without ASCII case, without spaces, and without a system label:
//   text before the first ':' made of 2 to 16 letters, digits, spaces, '_' or '-' with at
//   least one letter ("PNC:", "Niche: ", "PND:"). So "PNC:12/345678X" declared agrees with a
//   subject id "12/345678x" from PNC and with "pnc: 12/345678X"; the label documents where the
//   id came from and does not restrict which system's events it matches (a force's systems
//   are named differently in every feed).
// Name and date of birth. same_person() (person_match.h) of the subject's name and date of
//   birth with the party_name, and with each of party_aliases, against party_dob: names
//   agree across spellings, transliterations, order, titles and barrels; the dates must both
//   be readable and equal. No date of birth on either side: no match (namesakes).
// Address. same_address() (address.h) of the subject's address with party_address: the one
//   dwelling however written (flat and house numbers must agree; a neighbour is not a match).
// Kinds. Each question takes a set of kinds (none: any kind).
#pragma once

#include <cstdint>
#include <string_view>

#include "state/reference.h"

namespace probity::rules {

/// A set of association kinds as bits (association_bit); 0 is "any kind".
using KindMask = std::uint16_t;
bool kind_in(state::AssociationKind kind, KindMask kinds);

/// `id` without its system label ("PNC:12/345678X" → "12/345678X"), spaces kept.
std::string_view without_system_label(std::string_view id);
/// Two ids are one: labels dropped, ASCII case and spaces ignored. Empty agrees with nothing.
bool same_id(std::string_view a, std::string_view b);

/// The subject id is the association's party_id or one of its party_ids.
bool declares_id(const state::Association& a, std::string_view subject_id);
/// The subject (name, date of birth) is the declared party or goes by one of its aliases.
bool declares_person(const state::Association& a, std::string_view name, std::string_view dob);
/// The subject's address is the declared party's address.
bool declares_address(const state::Association& a, std::string_view address);

}  // namespace probity::rules
