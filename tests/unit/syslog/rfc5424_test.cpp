// RFC 5424 parser behaviour beyond the peers' vectors: error codes and offsets, timestamp
// ranges, SD escapes, views into the input, and which parser parse_syslog picks.
#include <gtest/gtest.h>

#include <string>

#include "syslog/syslog.h"

namespace probity::syslog {
namespace {

Error error_of(std::string_view line) {
  const auto got = parse_rfc5424(line);
  EXPECT_FALSE(got.has_value()) << line;
  return got ? Error{} : got.error();
}

TEST(Rfc5424Parser, ParsesTheRfcExampleWithStructuredData) {
  const std::string line =
      "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
      "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"] An application event";
  const auto m = parse_rfc5424(line);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->pri, 165);
  EXPECT_EQ(m->facility(), 20);
  EXPECT_EQ(m->severity(), 5);
  EXPECT_EQ(m->version, 1);
  EXPECT_EQ(m->timestamp, "2003-10-11T22:14:15.003Z");
  EXPECT_EQ(m->hostname, "mymachine.example.com");
  EXPECT_EQ(m->app_name, "evntslog");
  EXPECT_FALSE(m->proc_id.has_value());
  EXPECT_EQ(m->msg_id, "ID47");
  ASSERT_TRUE(m->has_structured_data);
  ASSERT_EQ(m->structured_data.size(), 1u);
  EXPECT_EQ(m->structured_data[0].id, "exampleSDID@32473");
  ASSERT_EQ(m->structured_data[0].params.size(), 2u);
  EXPECT_EQ(m->structured_data[0].params[1].name, "eventSource");
  EXPECT_EQ(m->structured_data[0].params[1].value, "Application");
  EXPECT_EQ(m->message, "An application event");
}

TEST(Rfc5424Parser, FieldsAreViewsIntoTheInput) {
  const std::string line = "<1>1 - host app 42 mid [a b=\"c\"] text";
  const auto m = parse_rfc5424(line);
  ASSERT_TRUE(m.has_value());
  const auto inside = [&](std::string_view v) {
    return v.data() >= line.data() && v.data() + v.size() <= line.data() + line.size();
  };
  EXPECT_TRUE(inside(*m->hostname));
  EXPECT_TRUE(inside(*m->message));
  EXPECT_TRUE(inside(m->structured_data[0].params[0].value));
}

TEST(Rfc5424Parser, ErrorNamesTheFieldAndTheByteOffset) {
  const Error e = error_of("<1>1 - host\nname - - - -");
  EXPECT_EQ(e.code, "syslog.bad_hostname");
  EXPECT_EQ(e.pos.offset, 11u);
  EXPECT_NE(e.message.find("HOSTNAME"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("byte 11"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("LF"), std::string::npos) << e.message;
}

TEST(Rfc5424Parser, UsesStableCodesPerField) {
  EXPECT_EQ(error_of("").code, "syslog.bad_pri");
  EXPECT_EQ(error_of("<192>1 - - - - - -").code, "syslog.bad_pri");
  EXPECT_EQ(error_of("<01>1 - - - - - -").code, "syslog.bad_pri");
  EXPECT_EQ(error_of("<1>0 - - - - - -").code, "syslog.bad_version");
  EXPECT_EQ(error_of("<1>1000 - - - - - -").code, "syslog.bad_version");
  EXPECT_EQ(error_of("<1>1 2003-13-01T00:00:00Z - - - - -").code, "syslog.bad_timestamp");
  EXPECT_EQ(error_of("<1>1 - - " + std::string(49, 'a') + " - - -").code, "syslog.bad_app_name");
  EXPECT_EQ(error_of("<1>1 - - - " + std::string(129, 'p') + " - -").code, "syslog.bad_proc_id");
  EXPECT_EQ(error_of("<1>1 - - - - " + std::string(33, 'm') + " -").code, "syslog.bad_msg_id");
  EXPECT_EQ(error_of("<1>1 - - - - - x").code, "syslog.bad_structured_data");
  EXPECT_EQ(error_of("<1>1 - - - - - [a][a]").code, "syslog.duplicate_sd_id");
  EXPECT_EQ(error_of("<1>1 - - - - - [a b=\"\\n\"]").code, "syslog.bad_escape");
  EXPECT_EQ(error_of("<1>1 - - - - - [" + std::string(33, 'i') + "]").code, "syslog.bad_sd_id");
}

TEST(Rfc5424Parser, RejectsUnterminatedStructuredData) {
  EXPECT_EQ(error_of("<1>1 - - - - - [a b=\"c\"").code, "syslog.bad_structured_data");
  EXPECT_EQ(error_of("<1>1 - - - - - [a b=\"c").code, "syslog.bad_sd_param");
  EXPECT_EQ(error_of("<1>1 - - - - - [a").code, "syslog.bad_structured_data");
}

TEST(Rfc5424Parser, AcceptsFieldsAtTheirMaximumLength) {
  const std::string line = "<1>1 - " + std::string(255, 'h') + " " + std::string(48, 'a') + " " +
                           std::string(128, 'p') + " " + std::string(32, 'm') + " [" +
                           std::string(32, 'i') + " " + std::string(32, 'n') + "=\"v\"]";
  const auto m = parse_rfc5424(line);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->hostname->size(), 255u);
  EXPECT_EQ(m->structured_data[0].params[0].name.size(), 32u);
}

TEST(Rfc5424Parser, ValidatesCalendarDaysAndLeapYears) {
  EXPECT_TRUE(parse_rfc5424("<1>1 2020-02-29T00:00:00Z - - - - -").has_value());
  EXPECT_TRUE(parse_rfc5424("<1>1 2000-02-29T00:00:00Z - - - - -").has_value());
  EXPECT_FALSE(parse_rfc5424("<1>1 1900-02-29T00:00:00Z - - - - -").has_value());
  EXPECT_FALSE(parse_rfc5424("<1>1 2019-02-29T00:00:00Z - - - - -").has_value());
  EXPECT_FALSE(parse_rfc5424("<1>1 2019-04-31T00:00:00Z - - - - -").has_value());
  EXPECT_TRUE(parse_rfc5424("<1>1 2019-12-31T23:59:59.123456+14:00 - - - - -").has_value());
}

TEST(Rfc5424Parser, RejectsLeapSecondsAndLowerCaseSeparators) {
  // RFC 5424 §6.2.3: TIME-SECOND is 00-59, and "T" and "Z" MUST be upper case.
  EXPECT_EQ(error_of("<1>1 2016-12-31T23:59:60Z - - - - -").code, "syslog.bad_timestamp");
  EXPECT_EQ(error_of("<1>1 2016-12-31t23:59:59Z - - - - -").code, "syslog.bad_timestamp");
  EXPECT_EQ(error_of("<1>1 2016-12-31T23:59:59z - - - - -").code, "syslog.bad_timestamp");
  EXPECT_EQ(error_of("<1>1 2016-12-31T23:59:59.1234567Z - - - - -").code, "syslog.bad_timestamp");
}

TEST(Rfc5424Parser, AllowsLfOnlyInsideMsg) {
  EXPECT_TRUE(parse_rfc5424("<1>1 - - - - - - line one\nline two").has_value());
  EXPECT_EQ(error_of("<1>1 - - - - - [a b=\"x\ny\"]").code, "syslog.bad_sd_param");
  EXPECT_EQ(error_of("<1>1 - - - - -\n-").code, "syslog.bad_msg_id");
}

TEST(Rfc5424Parser, MarksEscapedParamValuesAndUnescapesThem) {
  const auto m = parse_rfc5424(R"(<1>1 - - - - - [a x="p\]q\"r\\s" y="plain"])");
  ASSERT_TRUE(m.has_value()) << m.error().message;
  const auto& params = m->structured_data[0].params;
  EXPECT_TRUE(params[0].escaped);
  EXPECT_EQ(params[0].value, R"(p\]q\"r\\s)");
  EXPECT_EQ(unescape_param_value(params[0].value), R"(p]q"r\s)");
  EXPECT_FALSE(params[1].escaped);
  // §6.3.3: any other backslash is kept as written.
  EXPECT_EQ(unescape_param_value(R"(a\nb\)"), R"(a\nb\)");
}

TEST(Rfc5424Parser, RejectsDuplicateSdIdAmongManyElements) {
  std::string line = "<1>1 - - - - - ";
  for (int k = 0; k < 40; ++k) line += "[id" + std::to_string(k) + "]";
  EXPECT_TRUE(parse_rfc5424(line).has_value());
  line += "[id7]";
  const Error e = error_of(line);
  EXPECT_EQ(e.code, "syslog.duplicate_sd_id");
  EXPECT_EQ(e.pos.offset, line.size() - 4);
}

TEST(Rfc5424Parser, KeepsTheBomAndRejectsABomFollowedByBrokenUtf8) {
  const auto m = parse_rfc5424("<1>1 - - - - - - \xEF\xBB\xBFh\xC3\xA9");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->message, "\xEF\xBB\xBFh\xC3\xA9");
  const Error e = error_of("<1>1 - - - - - - \xEF\xBB\xBFok\xC0\xAF");
  EXPECT_EQ(e.code, "syslog.bad_utf8");
  EXPECT_EQ(e.pos.offset, 22u);
  // Without a BOM the MSG is MSG-ANY (§6.4): Latin-1 bytes are fine.
  EXPECT_TRUE(parse_rfc5424("<1>1 - - - - - - caf\xE9").has_value());
}

TEST(Rfc5424Parser, TreatsAnEmptyMsgAsNil) {
  const auto m = parse_rfc5424("<1>1 - - - - - - ");
  ASSERT_TRUE(m.has_value());
  EXPECT_FALSE(m->message.has_value());
}

TEST(SyslogDispatch, PicksTheParserFromTheHeader) {
  EXPECT_EQ(parse_syslog("<13>1 - - - - - -")->protocol, Protocol::rfc5424);
  EXPECT_EQ(parse_syslog("<13>Oct 11 22:14:15 host app: x")->protocol, Protocol::rfc3164);
  EXPECT_EQ(parse_syslog("<28>2019-12-02T16:49:23+02:00 host app: x")->protocol, Protocol::rfc3164);
  EXPECT_EQ(parse_syslog("Oct 11 22:14:15 host app: x")->protocol, Protocol::rfc3164);
  // A line that claims 5424 and breaks it is that 5424 error, never re-read as BSD.
  const auto broken = parse_syslog("<13>1 - - - - - [bad");
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code, "syslog.bad_structured_data");
  EXPECT_EQ(parse_syslog("<13>0 - - - - - -").error().code, "syslog.bad_version");
}

}  // namespace
}  // namespace probity::syslog
