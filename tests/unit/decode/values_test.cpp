// Value conversions and address helpers used by the mapper (internal headers).
#include "decode/values.h"

#include <gtest/gtest.h>

#include "decode/email.h"
#include "decode/text.h"
#include "test_support.h"

namespace probity::decode {
namespace {

using testing::at;

TEST(ParseInteger, AcceptsSignedDecimalOnly) {
  EXPECT_EQ(parse_integer("42"), 42);
  EXPECT_EQ(parse_integer("+7"), 7);
  EXPECT_EQ(parse_integer("-3"), -3);
  EXPECT_EQ(parse_integer(""), std::nullopt);
  EXPECT_EQ(parse_integer("4 2"), std::nullopt);
  EXPECT_EQ(parse_integer("9223372036854775808"), std::nullopt);
}

TEST(ParseTimeAs, ReadsEpochUnitsAndFractions) {
  EXPECT_EQ(parse_time_as("0", TimeFormat::epoch), at("1970-01-01T00:00:00Z"));
  EXPECT_EQ(parse_time_as("1.5", TimeFormat::epoch_ms), at("1970-01-01T00:00:00.0015Z"));
  EXPECT_EQ(parse_time_as("1000001", TimeFormat::epoch_us), at("1970-01-01T00:00:01.000001Z"));
  EXPECT_EQ(parse_time_as("-1", TimeFormat::epoch), std::nullopt);
  EXPECT_EQ(parse_time_as("1.", TimeFormat::epoch), std::nullopt);
  EXPECT_EQ(parse_time_as("99999999999999999", TimeFormat::epoch), std::nullopt);
}

TEST(ParseHeaderTime, InfersTheYearOfBsdTimestamps) {
  using syslog::Protocol;
  const auto now = at("2026-01-01T00:10:00Z");
  // A December line read just after New Year belongs to last year.
  EXPECT_EQ(parse_header_time("Dec 31 23:59:59", Protocol::rfc3164, now),
            at("2025-12-31T23:59:59Z"));
  EXPECT_EQ(parse_header_time("Jan  1 00:09:00", Protocol::rfc3164, now),
            at("2026-01-01T00:09:00Z"));
  // Less than a day ahead (clock skew) stays this year.
  EXPECT_EQ(parse_header_time("Jan  1 12:00:00.250", Protocol::rfc3164, now),
            at("2026-01-01T12:00:00.25Z"));
  EXPECT_EQ(parse_header_time("Feb 29 10:00:00", Protocol::rfc3164, at("2028-03-01T00:00:00Z")),
            at("2028-02-29T10:00:00Z"));
  EXPECT_EQ(parse_header_time("Foo  1 00:00:00", Protocol::rfc3164, now), std::nullopt);
  EXPECT_EQ(parse_header_time("Jan  1 00:00:00", Protocol::rfc5424, now), std::nullopt);
  EXPECT_EQ(parse_header_time("2026-01-01T00:00:00Z", Protocol::rfc3164, now),
            at("2026-01-01T00:00:00Z"));
}

TEST(SplitList, PrefersSemicolons) {
  EXPECT_EQ(split_list("a; b,c ;;"), (std::vector<std::string>{"a", "b,c"}));
  EXPECT_EQ(split_list(" a , b "), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_list("  ").empty());
}

TEST(Addresses, StripDisplayNamesAndComments) {
  EXPECT_EQ(bare_address(" Jane <j@x.org> "), "j@x.org");
  EXPECT_EQ(bare_address("<j@x.org>"), "j@x.org");
  EXPECT_EQ(bare_address("j@x.org (Jane)"), "j@x.org");
  EXPECT_EQ(bare_address("<>"), "");
  EXPECT_EQ(address_domain("j@Sub.X.ORG."), "sub.x.org");
  EXPECT_EQ(address_domain("postmaster"), std::nullopt);
  EXPECT_EQ(split_addresses(R"("Doe, J" <j@x.org>; k@y.org,,)"),
            (std::vector<std::string>{"j@x.org", "k@y.org"}));
}

TEST(Text, GlobAndSafeText) {
  EXPECT_TRUE(glob_match("a*c", "ABBC", true));
  EXPECT_FALSE(glob_match("a*c", "ABBC", false));
  EXPECT_TRUE(glob_match("*", "", false));
  EXPECT_FALSE(glob_match(std::string(64, '*') + "b", std::string(5000, 'a'), false));
  std::string s("ok\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80", 12);
  make_safe_text(s);
  EXPECT_TRUE(is_safe_text(s));
  EXPECT_EQ(s.substr(0, 2), "ok");
  EXPECT_TRUE(is_safe_text("h\xC3\xA9llo \xF0\x9F\x98\x80"));
}

TEST(Text, SafeTextFindsBadBytesAnywhereInLongAsciiRuns) {
  const std::string ascii = "0123456789abcdefghijklmnopqrstuvwxyz";
  EXPECT_TRUE(is_safe_text(ascii));
  for (std::size_t at = 0; at < ascii.size(); ++at) {
    for (const char bad : {'\0', '\xFF', '\xC3'}) {
      std::string s = ascii;
      s[at] = bad;
      EXPECT_FALSE(is_safe_text(s)) << at;
    }
    std::string ok = ascii;  // a valid two-byte sequence at every offset
    ok.replace(at, 1, "\xC3\xA9");
    EXPECT_TRUE(is_safe_text(ok)) << at;
  }
}

}  // namespace
}  // namespace probity::decode
