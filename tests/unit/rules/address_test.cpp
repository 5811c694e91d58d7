// same_address(): the spellings HR and records systems use for one dwelling agree; near
// neighbours and number-less text do not.
#include "rules/address.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace probity::rules {
namespace {

TEST(ParseAddress, NormalisesWordsNumbersAndPostcode) {
  const ParsedAddress a = parse_address("Flat 2, 14 Moor Road, Harwick, nm24lb");
  EXPECT_EQ(a.postcode, "NM2 4LB");
  EXPECT_EQ(a.numbers, "2 14");
  const std::vector<std::string> words{"2", "14", "MOOR", "RD", "HARWICK"};
  EXPECT_EQ(a.words, words);
}

TEST(ParseAddress, RecognisesEveryOutwardShape) {
  for (const char* pc : {"M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB"})
    EXPECT_EQ(parse_address(std::string("1 High St ") + pc).postcode, pc) << pc;
  EXPECT_EQ(parse_address("1 High St 123 4AB").postcode, "");
}

TEST(SameAddress, HrAndGazetteerSpellingsAgree) {
  EXPECT_TRUE(same_address("Flat 2, 14 Moor Road, Harwick, NM2 4LB",
                           "FLAT 2 14 MOOR ROAD HARWICK NM2 4LB"));
  EXPECT_TRUE(same_address("86 Scar Top, Oakworth, NM7 7RX", "86 SCAR TOP OAKWORTH NM77RX"));
  EXPECT_TRUE(same_address("2/14 Moor Rd", "Flat 2, 14 Moor Road"));
  EXPECT_TRUE(same_address("12 Mill Lane, Exton", "12 MILL LN"));
  EXPECT_TRUE(same_address("12 St. Mary's Street", "12 ST MARYS ST"));
}

TEST(SameAddress, NeighboursAndOtherTownsDoNot) {
  EXPECT_FALSE(same_address("14 Moor Road, Harwick, NM2 4LB", "16 Moor Road, Harwick, NM2 4LB"));
  EXPECT_FALSE(same_address("Flat 2, 14 Moor Road, NM2 4LB", "Flat 3, 14 Moor Road, NM2 4LB"));
  EXPECT_FALSE(same_address("14 Moor Road, NM2 4LB", "14 Moor Road, NM2 4LD"));
  EXPECT_FALSE(same_address("14 Moor Road", "140 Moor Road"));
  EXPECT_FALSE(same_address("12 Mill Lane, Exton", "12 Mill Lane, Wyford"));
}

TEST(SameAddress, TextThatNamesNoDwellingNeverMatches) {
  EXPECT_FALSE(same_address("", ""));
  EXPECT_FALSE(same_address("Moor Road", "Moor Road"));
  EXPECT_FALSE(same_address("HARTLEY", "HARTLEY"));
  // Named houses: the postcode and the name.
  EXPECT_TRUE(same_address("Rose Cottage, Low Lane, NM2 4LB", "ROSE COTTAGE LOW LN NM2 4LB"));
  EXPECT_FALSE(same_address("Rose Cottage, NM2 4LB", "Ivy Cottage, NM2 4LB"));
}

// The second text's parse is remembered per thread: an answer must follow the text, not
// where it is held, and stay right as remembered parses make way for others.
TEST(SameAddress, ARememberedParseAnswersOnlyForItsOwnText) {
  const std::vector<std::tuple<std::string, std::string, bool>> cases{
      {"Flat 2, 14 Moor Road, Harwick, NM2 4LB", "FLAT 2 14 MOOR ROAD HARWICK NM2 4LB", true},
      {"16 Moor Road, Harwick, NM2 4LB", "14 Moor Road, Harwick, NM2 4LB", false},
      {"12 Mill Lane, Exton", "12 MILL LN", true},
      {"12 Mill Lane, Exton", "12 Mill Lane, Wyford", false},
      {"Rose Cottage, Low Lane, NM2 4LB", "ROSE COTTAGE LOW LN NM2 4LB", true},
      {"Rose Cottage, NM2 4LB", "Ivy Cottage, NM2 4LB", false},
  };
  std::string held;  // one buffer for every second text: the same place, other texts
  for (int round = 0; round < 3; ++round) {
    for (const auto& [a, b, same] : cases) {
      held = b;
      EXPECT_EQ(same_address(a, held), same) << a << " / " << b << " (round " << round << ")";
      // Other second texts in between; in one round more than are remembered.
      for (int i = 0; i < (round == 1 ? 4100 : 10); ++i) {
        held = std::to_string(20 + i) + " Moor Road, Harwick, NM2 4LB";
        EXPECT_FALSE(same_address(a, held)) << a << " / " << held;
      }
    }
  }
}

// same_address() skips parsing a text it can tell names no dwelling. Whatever it skips must
// be text whose parse has neither postcode nor number: a text compared with itself matches
// exactly when its parse names a dwelling, written every way the tokens allow (apostrophes
// inside tokens, lower case, postcodes with and without their space).
TEST(SameAddress, TextSkippedUnparsedNeverNamesADwelling) {
  const std::string alphabet = "0123456789 nmlbNMLB',-/";
  std::mt19937 random(7);
  std::size_t dwellings = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const std::size_t length = 1 + random() % 10;
    for (std::size_t k = 0; k < length; ++k) text += alphabet[random() % alphabet.size()];
    const ParsedAddress parsed = parse_address(text);
    const bool names_dwelling =
        !parsed.numbers.empty() || (!parsed.postcode.empty() && !parsed.words.empty());
    dwellings += names_dwelling;
    EXPECT_EQ(same_address(text, text), names_dwelling) << '"' << text << '"';
  }
  EXPECT_GT(dwellings, 1000u);  // the alphabet makes both kinds
  EXPECT_TRUE(same_address("nm24l'b rose cottage", "Rose Cottage, NM2 4LB"));
  EXPECT_TRUE(same_address("Flat 2/14, n'm2 4lb", "FLAT 2 14 MOOR RD NM2 4LB"));
}

// The rule address.h states, computed from the two parses alone: what same_address() must
// answer whatever it skips to answer sooner.
bool same_by_parses(std::string_view a, std::string_view b) {
  const ParsedAddress x = parse_address(a), y = parse_address(b);
  if (x.postcode.empty() && x.numbers.empty()) return false;
  if (!x.postcode.empty() && !y.postcode.empty()) {
    if (x.postcode != y.postcode || x.numbers != y.numbers) return false;
    return !x.numbers.empty() ||
           (!x.words.empty() && !y.words.empty() && x.words.front() == y.words.front());
  }
  if (x.numbers.empty() || x.numbers != y.numbers) return false;
  const auto& shorter = x.words.size() <= y.words.size() ? x.words : y.words;
  const auto& longer = x.words.size() <= y.words.size() ? y.words : x.words;
  return std::equal(shorter.begin(), shorter.end(), longer.begin());
}

TEST(SameAddress, RefusalsBeforeParsingNeverRefuseAMatch) {
  // Pairs from few pieces, so that many agree: numbers split by apostrophes and letters,
  // postcodes with and without their space, street words in both spellings.
  const std::vector<std::string> pieces = {"1",      "2",    "14",   "1'4",  "14A",   "2/14", " ",
                                           ", ",     "Flat", "Moor", "Road", "RD",    "NM2",  "4LB",
                                           "nm24lb", "Rose", "-",    "'",    "10-17", "P123"};
  std::mt19937 random(11);
  auto text = [&] {
    std::string t;
    const std::size_t n = 1 + random() % 6;
    for (std::size_t k = 0; k < n; ++k) t += pieces[random() % pieces.size()] + " ";
    return t;
  };
  std::size_t matches = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string a = text(), b = text();
    const bool expected = same_by_parses(a, b);
    matches += expected;
    ASSERT_EQ(same_address(a, b), expected) << '"' << a << "\" and \"" << b << '"';
  }
  EXPECT_GT(matches, 100u);  // the pieces make matches as well as misses
}

TEST(SamePostcodeSector, ComparesPostcodesLessTheirLastTwoLetters) {
  EXPECT_TRUE(same_postcode_sector("14 Moor Road, Harwick, NM2 4LB", "2 Dale View NM24ZZ"));
  EXPECT_TRUE(same_postcode_sector("nm2 4lb", "Flat 1, 9 High St, NM2 4AD"));
  EXPECT_TRUE(same_postcode_sector("EC1A 1BB", "ec1a1ab"));
  EXPECT_FALSE(same_postcode_sector("NM2 4LB", "NM2 5LB"));            // the next sector
  EXPECT_FALSE(same_postcode_sector("NM2 4LB", "NM22 4LB"));           // another district
  EXPECT_FALSE(same_postcode_sector("14 Moor Road", "14 Moor Road"));  // no postcodes
  EXPECT_FALSE(same_postcode_sector("", "NM2 4LB"));
}

TEST(DoorsApart, CountsHousesOnOneStreet) {
  EXPECT_EQ(doors_apart("14 Moor Road, Harwick, NM2 4LB", "18 MOOR RD HARWICK NM2 4LD"), 2);
  EXPECT_EQ(doors_apart("14 Moor Road", "15 Moor Road"), 1);
  EXPECT_EQ(doors_apart("Flat 2, 14 Moor Road", "14A Moor Road"), 0);
  EXPECT_EQ(doors_apart("86 Scar Top, Oakworth, NM7 7RX", "90 SCAR TOP OAKWORTH NM7 7RX"), 2);
}

TEST(DoorsApart, OtherStreetsAndDistrictsAreNotNeighbours) {
  EXPECT_EQ(doors_apart("14 Moor Road", "16 Mill Road"), std::nullopt);
  EXPECT_EQ(doors_apart("14 Moor Road, NM2 4LB", "16 Moor Road, NM9 4LB"), std::nullopt);
  EXPECT_EQ(doors_apart("Moor Road", "16 Moor Road"), std::nullopt);
  EXPECT_EQ(doors_apart("", ""), std::nullopt);
}

}  // namespace
}  // namespace probity::rules
