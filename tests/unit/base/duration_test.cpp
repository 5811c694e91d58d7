// The one duration parser shared by the config file and rule files.
#include "base/duration.h"

#include <gtest/gtest.h>

namespace probity {
namespace {

using std::chrono::microseconds;

TEST(ParseDuration, ReadsEveryUnitTheRulesUse) {
  EXPECT_EQ(parse_duration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("15m"), std::chrono::minutes(15));
  EXPECT_EQ(parse_duration("24h"), std::chrono::hours(24));
  EXPECT_EQ(parse_duration("7d"), std::chrono::hours(7 * 24));
  EXPECT_EQ(parse_duration("2w"), std::chrono::hours(14 * 24));
  EXPECT_EQ(parse_duration("0s"), microseconds(0));
}

TEST(ParseDuration, MillisecondsOnlyWhenAsked) {
  EXPECT_FALSE(parse_duration("500ms"));
  EXPECT_EQ(parse_duration("500ms", Milliseconds::accepted), std::chrono::milliseconds(500));
  EXPECT_EQ(parse_duration("2w", Milliseconds::accepted), std::chrono::hours(14 * 24));
}

TEST(ParseDuration, RejectsAnythingButDigitsAndOneUnit) {
  for (const char* bad :
       {"", "d", "7", "7 d", " 7d", "7d ", "-7d", "1.5h", "7D", "7dd", "7y", "7days", "h7"})
    EXPECT_FALSE(parse_duration(bad, Milliseconds::accepted)) << bad;
}

TEST(ParseDuration, RejectsWhatDoesNotFitInMicroseconds) {
  EXPECT_TRUE(parse_duration("15250284w"));  // about 292,000 years: still fits
  EXPECT_FALSE(parse_duration("15250285w"));
  EXPECT_FALSE(parse_duration("99999999999999999999s"));
}

}  // namespace
}  // namespace probity

namespace probity {
namespace {

TEST(FormatDuration, UsesTheLargestUnitThatDividesExactly) {
  EXPECT_EQ(format_duration(std::chrono::hours(14 * 24)), "2w");
  EXPECT_EQ(format_duration(std::chrono::hours(30 * 24)), "30d");
  EXPECT_EQ(format_duration(std::chrono::minutes(90)), "90m");
  EXPECT_EQ(format_duration(std::chrono::hours(2)), "2h");
  EXPECT_EQ(format_duration(std::chrono::seconds(61)), "61s");
  EXPECT_EQ(format_duration(std::chrono::microseconds(0)), "0s");
}

TEST(FormatDuration, DropsSubSecondRemainders) {
  EXPECT_EQ(format_duration(std::chrono::milliseconds(1500)), "1s");
  EXPECT_EQ(format_duration(std::chrono::microseconds(999'999)), "0s");
}

TEST(FormatDuration, ReadsBackThroughParseDuration) {
  for (const char* text : {"90s", "15m", "25h", "30d", "2w", "1d", "8d"})
    EXPECT_EQ(format_duration(*parse_duration(text)), text);
}

}  // namespace
}  // namespace probity
