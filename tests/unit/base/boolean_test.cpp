// base/boolean.h: the one yes/no grammar of the config file and rule files.
#include "base/boolean.h"

#include <gtest/gtest.h>

namespace probity {
namespace {

TEST(ParseBool, ReadsEveryYesWordInAnyCase) {
  for (const char* yes : {"true", "yes", "on", "y", "1", "TRUE", "Yes", "ON", "Y"})
    EXPECT_EQ(parse_bool(yes), true) << yes;
}

TEST(ParseBool, ReadsEveryNoWordInAnyCase) {
  for (const char* no : {"false", "no", "off", "n", "0", "False", "NO", "Off", "N"})
    EXPECT_EQ(parse_bool(no), false) << no;
}

TEST(ParseBool, RejectsAnythingElse) {
  for (const char* bad : {"", "2", "-1", " yes", "yes ", "yess", "t", "f", "enabled", "nope"})
    EXPECT_EQ(parse_bool(bad), std::nullopt) << bad;
}

}  // namespace
}  // namespace probity
