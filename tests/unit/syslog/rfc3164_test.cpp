// RFC 3164 parser policy (rfc3164.cpp): the shapes real senders use, and where the line
// between HOSTNAME, TAG and MSG falls.
#include <gtest/gtest.h>

#include "syslog/syslog.h"

namespace probity::syslog {
namespace {

SyslogMessage parsed(std::string_view line) {
  auto m = parse_rfc3164(line);
  EXPECT_TRUE(m.has_value()) << line << ": " << (m ? "" : m.error().message);
  return m ? *m : SyslogMessage{};
}

TEST(Rfc3164Parser, KeepsTheBsdTimestampExactlyAsWritten) {
  const auto m = parsed("<34>Aug  7 06:30:00 xxx aaa: message");
  EXPECT_EQ(m.protocol, Protocol::rfc3164);
  EXPECT_EQ(m.timestamp, "Aug  7 06:30:00");
  EXPECT_FALSE(m.version.has_value());
  EXPECT_EQ(parsed("<34>OCT 11 22:14:15 h t: m").timestamp, "OCT 11 22:14:15");
  EXPECT_EQ(parsed("<34>Jun 8 11:54:08 h t: m").timestamp, "Jun 8 11:54:08");
  EXPECT_EQ(parsed("<34>Jun 18 11:54:08.123 h t: m").timestamp, "Jun 18 11:54:08.123");
}

TEST(Rfc3164Parser, AcceptsRfc3339Timestamps) {
  const auto m = parsed("<28>2019-12-02T16:49:23.123456789+02:00 host app[23410]: Test");
  EXPECT_EQ(m.timestamp, "2019-12-02T16:49:23.123456789+02:00");
  EXPECT_EQ(m.hostname, "host");
  EXPECT_EQ(m.app_name, "app");
  EXPECT_EQ(m.proc_id, "23410");
  EXPECT_EQ(m.message, "Test");
}

TEST(Rfc3164Parser, SplitsTagAndPid) {
  const auto m = parsed("<85>Jan 24 15:50:41 ip-172-31-30-110 sudo[6040]: ec2-user : TTY=pts/0");
  EXPECT_EQ(m.hostname, "ip-172-31-30-110");
  EXPECT_EQ(m.app_name, "sudo");
  EXPECT_EQ(m.proc_id, "6040");
  EXPECT_EQ(m.message, "ec2-user : TTY=pts/0");
  EXPECT_EQ(parsed("<13>Jan  1 00:00:00 h postfix/smtpd[9]: x").app_name, "postfix/smtpd");
}

TEST(Rfc3164Parser, HasNoHostnameWhenTheFirstWordIsATag) {
  const auto haproxy = parsed("<133>Jan 13 16:33:35 haproxy[73411]: Proxy started.");
  EXPECT_FALSE(haproxy.hostname.has_value());
  EXPECT_EQ(haproxy.app_name, "haproxy");
  EXPECT_EQ(haproxy.proc_id, "73411");
  const auto su = parsed("<34>Oct 11 22:14:15 su: 'su root' failed");
  EXPECT_FALSE(su.hostname.has_value());
  EXPECT_EQ(su.app_name, "su");
  EXPECT_EQ(su.message, "'su root' failed");
}

TEST(Rfc3164Parser, LeavesAWordWithoutColonInTheMessage) {
  const auto m = parsed("<166>Jul  6 20:33:28 ABC-1-234567 Some message here");
  EXPECT_EQ(m.hostname, "ABC-1-234567");
  EXPECT_FALSE(m.app_name.has_value());
  EXPECT_EQ(m.message, "Some message here");
}

TEST(Rfc3164Parser, KeepsAJsonBodyWhole) {
  const auto m = parsed(R"(<134>Oct 30 16:05:54 opsaudit  {"user": "admin", "ok": true})");
  EXPECT_EQ(m.hostname, "opsaudit");
  EXPECT_FALSE(m.app_name.has_value());
  EXPECT_EQ(m.message, R"({"user": "admin", "ok": true})");
  EXPECT_EQ(parsed(R"(<134>Oct 30 16:05:54 h app: {"a":1})").message, R"({"a":1})");
}

TEST(Rfc3164Parser, TakesAnIpv6AddressAsHostname) {
  const auto m = parsed("<13>Oct 11 22:14:15 fe80::1 sshd[7]: Accepted");
  EXPECT_EQ(m.hostname, "fe80::1");
  EXPECT_EQ(m.app_name, "sshd");
}

TEST(Rfc3164Parser, DefaultsAMissingPriTo13WhenATimestampFollows) {
  const auto m = parsed("Dec 28 16:49:07 web nginx: GET /");
  EXPECT_EQ(m.pri, 13);
  EXPECT_EQ(m.hostname, "web");
  EXPECT_EQ(m.app_name, "nginx");
}

TEST(Rfc3164Parser, RejectsLinesWithNeitherPriNorTimestamp) {
  const auto m = parse_rfc3164("complete and utter gobbledegook");
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, "syslog.not_syslog");
  EXPECT_EQ(parse_rfc3164("").error().code, "syslog.not_syslog");
}

TEST(Rfc3164Parser, RejectsAMalformedPri) {
  EXPECT_EQ(parse_rfc3164("<abc>Oct 11 22:14:15 h t: m").error().code, "syslog.bad_pri");
  EXPECT_EQ(parse_rfc3164("<300>Oct 11 22:14:15 h t: m").error().code, "syslog.bad_pri");
  EXPECT_EQ(parse_rfc3164("<13").error().code, "syslog.bad_pri");
}

TEST(Rfc3164Parser, TakesEverythingAfterPriAsMessageWithoutTimestamp) {
  // RFC 3164 §4.3.2: no TIMESTAMP, so no HOSTNAME or TAG either.
  const auto m = parsed("<189>123: *Mar  1 18:46:11.123: %SYS-5-CONFIG_I: Configured");
  EXPECT_EQ(m.pri, 189);
  EXPECT_FALSE(m.timestamp.has_value());
  EXPECT_FALSE(m.hostname.has_value());
  EXPECT_FALSE(m.app_name.has_value());
  EXPECT_EQ(m.message, "123: *Mar  1 18:46:11.123: %SYS-5-CONFIG_I: Configured");
  EXPECT_FALSE(parsed("<13>").message.has_value());
}

TEST(Rfc3164Parser, LiftsRsyslogStructuredDataAfterTheTag) {
  const auto m = parsed(
      R"(<46>Jan  5 15:33:03 box rsyslogd:  [origin software="rsyslogd" x-pid="20506"] start)");
  ASSERT_TRUE(m.has_structured_data);
  ASSERT_EQ(m.structured_data.size(), 1u);
  EXPECT_EQ(m.structured_data[0].id, "origin");
  EXPECT_EQ(m.structured_data[0].params[1].value, "20506");
  EXPECT_EQ(m.message, "start");
}

TEST(Rfc3164Parser, KeepsBracketedTextThatIsNotStructuredData) {
  const auto kernel = parsed("<13>Nov 22 17:09:42 xxx kernel: [118479565.921459] EXT4-fs warning");
  EXPECT_FALSE(kernel.has_structured_data);
  EXPECT_EQ(kernel.message, "[118479565.921459] EXT4-fs warning");
  const auto bad = parsed(R"(<46>Jan  5 15:33:03 box rsyslogd: [software="rsyslogd"] start)");
  EXPECT_FALSE(bad.has_structured_data);
  EXPECT_EQ(bad.message, R"([software="rsyslogd"] start)");
}

TEST(Rfc3164Parser, TreatsABareColonAsAnEmptyTag) {
  const auto m = parsed("<34>Oct 11 22:14:15 : a message");
  EXPECT_FALSE(m.hostname.has_value());
  EXPECT_FALSE(m.app_name.has_value());
  EXPECT_EQ(m.message, "a message");
}

}  // namespace
}  // namespace probity::syslog
