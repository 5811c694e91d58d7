// Blocking keys for the high-profile register: the coarse keys the register index files an
// entry under and a rule looks an event's text up by, so a look-up costs a few hash probes,
// not a scan of the register. Keys only narrow: every candidate is confirmed by the exact
// matchers in rules/ (same_person, names_person, same_address). Both ends call these same
// functions, so the Store and MemoryReference find the same candidates.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace probity::state {

/// Words of a text considered for name keys: bounds the work on an attacker's long field.
inline constexpr std::size_t kMaxKeyWords = 24;

/// The blocking key of one word, coarser than rules' same_word() so that every pair of
/// spellings it accepts shares a key: ASCII letters only (other bytes skipped, so "Seán"
/// keys as "Sen"), upper-cased; the first letter's class, then the classes of the following
/// consonants with repeats collapsed. Classes (Soundex's, with J and Y as vowels since
/// same_word reads J as Y): vowels AEIOUYJHW = 0 (kept only as the first letter), BFPV = 1,
/// CGKQSXZ = 2, DT = 3, L = 4, MN = 5, R = 6. Mohammed, Muhammad: "5253"; Catherine,
/// Katherine: "2365". Empty for a word with no letters.
std::string name_key(std::string_view word);

/// The name keys of a text: of every word of two or more letters and of every two adjacent
/// words joined (so "O Brien" finds "O'Brien" and "SMITHJONES" finds "Smith-Jones"), over
/// the first kMaxKeyWords words; words split at anything but a letter or a non-ASCII byte.
/// Sorted, without repeats.
std::vector<std::string> name_keys(std::string_view text);

/// The UK postcode written anywhere in `text`, upper-cased without its space ("NM24LB"),
/// written with or without the space; empty when there is none. Outward codes A9, A99, AA9,
/// AA99, A9A, AA9A; inward 9AA.
std::string postcode_key(std::string_view text);

/// For an address with no postcode: the house number (its digits) and the first word after
/// it, "14 MOOR" for "Flat 2, 14 Moor Road" and "14a moor rd"; empty when there is no number
/// followed by a word.
std::string street_key(std::string_view text);

}  // namespace probity::state
