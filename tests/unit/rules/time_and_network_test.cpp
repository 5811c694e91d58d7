// hour(), weekday() in time zones (TZif + POSIX rules), and cidr().
#include <gtest/gtest.h>

#include <filesystem>

#include "rules/nodes.h"
#include "rules/time_zone.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

std::int64_t unix_seconds(const char* text) {
  return std::chrono::duration_cast<std::chrono::seconds>(
             event::parse_time(text)->time_since_epoch())
      .count();
}

bool holds_at(const std::string& condition, const char* time, const LoadOptions& options = {},
              const char* ip = nullptr) {
  auto rules = load_ok(
      "- detection: r\n  title: T\n  severity: low\n  condition: '" + condition + "'\n", options);
  if (!rules) return false;
  event::Event e(event::Kind::access);
  if (time) e.set(FieldId::event_time, *event::parse_time(time));
  if (ip) e.set(FieldId::client_ip, std::string(ip));
  TestReference ref;
  return !matching(*rules, e, ref).empty();
}

// The zone tests read the system's zoneinfo; say which package is missing, never skip.
#define REQUIRE_TZDATA()                                                    \
  ASSERT_TRUE(std::filesystem::exists("/usr/share/zoneinfo/Europe/London")) \
      << "these tests need the tzdata package (apt-get install tzdata)"

LoadOptions london() {
  LoadOptions o;
  o.time_zone = "Europe/London";
  return o;
}

}  // namespace

TEST(RuleTimeZone, ReadsTzifTransitionsAndFooter) {
  REQUIRE_TZDATA();
  auto z = TimeZone::load("Europe/London");
  ASSERT_TRUE(z) << z.error().message;
  EXPECT_EQ(z->offset_at(unix_seconds("2026-01-15T12:00:00Z")), 0);
  EXPECT_EQ(z->offset_at(unix_seconds("2026-07-01T12:00:00Z")), 3600);
  EXPECT_EQ(z->offset_at(unix_seconds("2026-03-29T00:59:59Z")), 0);
  EXPECT_EQ(z->offset_at(unix_seconds("2026-03-29T01:00:00Z")), 3600);
  EXPECT_EQ(z->offset_at(unix_seconds("2090-07-01T12:00:00Z")), 3600);  // POSIX footer
  EXPECT_EQ(z->offset_at(unix_seconds("2090-12-01T12:00:00Z")), 0);
}

TEST(RuleTimeZone, NamesGmtAndBstFromTheZoneFileAndItsFooter) {
  REQUIRE_TZDATA();
  auto z = TimeZone::load("Europe/London");
  ASSERT_TRUE(z) << z.error().message;
  EXPECT_EQ(z->abbreviation_at(unix_seconds("2026-01-15T12:00:00Z")), "GMT");
  EXPECT_EQ(z->abbreviation_at(unix_seconds("2026-07-01T12:00:00Z")), "BST");
  EXPECT_EQ(z->abbreviation_at(unix_seconds("2090-07-01T12:00:00Z")), "BST");  // POSIX footer
  EXPECT_EQ(z->abbreviation_at(unix_seconds("2090-12-01T12:00:00Z")), "GMT");
  EXPECT_EQ(z->abbreviation_at(unix_seconds("1970-06-01T12:00:00Z")),
            "BST");  // British Standard Time
  EXPECT_EQ(TimeZone::load("UTC")->abbreviation_at(0), "UTC");
}

TEST(RuleTimeZone, NamesAbbreviationsOfPosixRules) {
  auto z = TimeZone::from_posix("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->abbreviation_at(unix_seconds("2026-01-15T00:00:00Z")), "AEDT");
  EXPECT_EQ(z->abbreviation_at(unix_seconds("2026-07-01T00:00:00Z")), "AEST");
  auto numeric = TimeZone::from_posix("<+03>-3");
  ASSERT_TRUE(numeric);
  EXPECT_EQ(numeric->abbreviation_at(0), "+03");
  EXPECT_EQ(numeric->offset_at(0), 3 * 3600);
}

TEST(RuleTimeZone, EvaluatesSouthernHemispherePosixRules) {
  auto z = TimeZone::from_posix("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->offset_at(unix_seconds("2026-01-15T00:00:00Z")), 11 * 3600);
  EXPECT_EQ(z->offset_at(unix_seconds("2026-07-01T00:00:00Z")), 10 * 3600);
}

TEST(RuleTimeZone, RejectsUnknownAndEscapingNames) {
  EXPECT_FALSE(TimeZone::load("Mars/Olympus_Mons"));
  EXPECT_FALSE(TimeZone::load("../../etc/passwd"));
  EXPECT_TRUE(TimeZone::load("UTC"));
}

TEST(RuleTimeParts, HourAndWeekdayUseTheConfiguredZone) {
  REQUIRE_TZDATA();
  EXPECT_TRUE(holds_at("hour(event.time) == 22", "2026-07-01T22:30:00Z"));
  EXPECT_TRUE(holds_at("hour(event.time) == 23", "2026-07-01T22:30:00Z", london()));
  EXPECT_TRUE(holds_at("hour(event.time, \"UTC\") == 22", "2026-07-01T22:30:00Z", london()));
  // 2026-11-28 is a Saturday; 23:30 UTC on Friday 27 July is Saturday in London.
  EXPECT_TRUE(holds_at("weekday(event.time) in (\"sat\", \"sun\")", "2026-11-28T10:00:00Z"));
  EXPECT_TRUE(holds_at("weekday(event.time) == \"Saturday\"", "2026-06-26T23:30:00Z", london()));
  EXPECT_FALSE(holds_at("weekday(event.time) == \"Saturday\"", "2026-06-26T23:30:00Z"));
  EXPECT_TRUE(holds_at("weekday(event.time) >= 6", "2026-11-29T10:00:00Z"));
  EXPECT_TRUE(holds_at("hour(event.time) < 7 or hour(event.time) >= 19", "2026-11-24T05:00:00Z"));
  EXPECT_FALSE(holds_at("hour(event.time) >= 0", nullptr));  // no time, no hour
}

TEST(RuleTimeParts, ReportsBadZonesAndWeekdays) {
  LoadOptions mars;
  mars.time_zone = "Mars/Olympus_Mons";
  LoadReport report;
  EXPECT_FALSE(load_rules_from_string(
      "- detection: r\n  title: T\n  severity: low\n  condition: hour(event.time) > 1\n",
      "rules.yaml", mars, report));
  EXPECT_NE(report.format().find("error[rules.time_zone]: unknown time zone 'Mars/Olympus_Mons'"),
            std::string::npos)
      << report.format();
  const std::string out = load_errors(
      "- detection: r\n  title: T\n  severity: low\n"
      "  condition: weekday(event.time) == \"caturday\" or hour(event.time, \"Nowhere/X\") > 1\n");
  EXPECT_NE(out.find("rules.yaml:4:37: error[rules.bad_literal]: unknown weekday \"caturday\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("rules.yaml:4:68: error[rules.time_zone]: unknown time zone 'Nowhere/X'"),
            std::string::npos)
      << out;
}

TEST(RuleCidr, MatchesIpv4AndIpv6Networks) {
  const std::string c = R"(cidr(client.ip, "10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32"))";
  EXPECT_TRUE(holds_at(c, nullptr, {}, "10.20.30.40"));
  EXPECT_TRUE(holds_at(c, nullptr, {}, "192.168.1.255"));
  EXPECT_FALSE(holds_at(c, nullptr, {}, "192.168.2.1"));
  EXPECT_TRUE(holds_at(c, nullptr, {}, "2001:db8:1::5"));
  EXPECT_TRUE(holds_at(c, nullptr, {}, "[2001:db8::1]"));
  EXPECT_FALSE(holds_at(c, nullptr, {}, "2001:db9::1"));
  EXPECT_FALSE(holds_at(c, nullptr, {}, "not an address"));
  EXPECT_FALSE(holds_at(c, nullptr, {}, nullptr));
  EXPECT_TRUE(holds_at(R"(cidr(client.ip, "172.16.5.4"))", nullptr, {}, "172.16.5.4"));
  EXPECT_TRUE(holds_at(R"(not cidr(client.ip, "10.1.2.3/8"))", nullptr, {}, "11.0.0.1"));
}

TEST(RuleCidr, ReportsBadNetworksAtLoad) {
  const std::string out = load_errors(
      "- detection: r\n  title: T\n  severity: low\n  condition: cidr(client.ip, "
      "\"10.0.0.0/33\")\n");
  EXPECT_EQ(out.substr(0, out.find('\n')),
            "rules.yaml:4:30: error[rules.bad_literal]: not a network: \"10.0.0.0/33\"");
}
