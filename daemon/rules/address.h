// Postal addresses compared as people write them: HR keeps "Flat 2, 14 Moor Road, Harwick,
// NM2 4LB", a records system "FLAT 2 14 MOOR RD HARWICK NM24LB". The rules' same_address()
// answers from the parsed forms below; nothing here knows about events or reference data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probity::rules {

/// An address reduced to what identifies a dwelling. Built by parse_address:
/// - text upper-cased, apostrophes dropped, every other run of punctuation and spaces one space;
/// - street words in one spelling (ROAD and RD -> RD, STREET and ST -> ST, AVENUE -> AVE, ...)
///   and FLAT / APARTMENT / UNIT dropped, so "Flat 2, 14" and "2/14" agree;
/// - a UK postcode found anywhere, written with its one space ("NM24LB" -> "NM2 4LB").
struct ParsedAddress {
  std::vector<std::string> words;  ///< every token but the postcode, normalised, in order
  std::string numbers;             ///< the tokens that start with a digit, joined by spaces
  std::string postcode;            ///< "NM2 4LB", or empty when none was found
};

ParsedAddress parse_address(std::string_view text);

/// Whether two texts name the same dwelling:
/// - both with a postcode: the same postcode and the same house/flat numbers (or, for
///   named houses without numbers, the same first word);
/// - otherwise: the same house number and the shorter's words a prefix of the longer's
///   ("12 Mill Lane" and "12 MILL LN EXTON"), so a missing town still matches.
/// Empty or number-less texts without a postcode never match: they name no dwelling.
bool same_address(std::string_view a, std::string_view b);

/// Whether two texts carry postcodes in one sector, the postcode less its last two letters
/// ("NM2 4LB" and "nm24lz": NM2 4), a few thousand households: "lives locally". False when
/// either has no postcode.
bool same_postcode_sector(std::string_view a, std::string_view b);

/// How many doors apart two houses on one street are, for "a neighbour's house" rules:
/// - the street is the two words after the house number ("14 Moor Road" -> MOOR RD), and
///   must agree; with a postcode on both sides the postcode district ("NM2") must too;
/// - the house number is the number just before the street ("Flat 2, 14" -> 14; "14A" -> 14);
/// - the answer is half the difference of the numbers, rounded up: 14 and 18 are 2 doors
///   apart on the even side, 14 and 15 face each other (1); the same number is 0.
/// nullopt when either has no house number or the streets differ.
std::optional<std::int64_t> doors_apart(std::string_view a, std::string_view b);

}  // namespace probity::rules
