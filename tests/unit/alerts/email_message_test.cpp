#include "alerts/email_message.h"

#include <gtest/gtest.h>

#include "alerts/identity_mask.h"
#include "alerts/outbox.h"
#include "alerts/sinks.h"

using namespace probity;
using namespace probity::alerts;

namespace {

Alert mail_alert() {
  Alert a;
  a.id = "20261124T200000.000001Z-000000";
  a.rule_id = "lookup-then-media-email";
  a.title = "Look-up followed by email to a media domain";
  a.severity = "critical";
  a.message = "pc1234 looked up P-77, then mailed news.example";
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  a.raised_at = *event::parse_time("2026-11-24T20:00:00Z");
  a.user_id = "pc1234";
  a.fields = {{"user.id", "pc1234"}, {"email.to.domain", "news.example"}};
  a.events_json = {R"({"event.kind":"access","user.id":"pc1234","subject.id":"P-77"})"};
  a.shown = unmasked(a);
  return a;
}

EmailConfig mail_config() {
  EmailConfig c;
  c.from = "Probity <probity@force.example>";
  c.to = "psd@force.example";
  return c;
}

std::string headers_of(const std::string& m) { return m.substr(0, m.find("\r\n\r\n") + 2); }
std::string body_of(const std::string& m) { return m.substr(m.find("\r\n\r\n") + 4); }

}  // namespace

TEST(EmailMessage, HasRfc5322HeadersWithCrlf) {
  const std::string m = compose_email(mail_alert(), mail_config());
  const std::string h = headers_of(m);
  EXPECT_NE(h.find("Date: Tue, 24 Nov 2026 20:00:00 +0000\r\n"), std::string::npos) << h;
  EXPECT_NE(h.find("From: Probity <probity@force.example>\r\n"), std::string::npos);
  EXPECT_NE(h.find("To: psd@force.example\r\n"), std::string::npos);
  EXPECT_NE(h.find("Subject: [Probity][CRITICAL] Look-up followed by email to a media domain\r\n"),
            std::string::npos);
  EXPECT_NE(h.find("Message-ID: <probity.20261124T200000.000001Z-000000@force.example>\r\n"),
            std::string::npos);
  EXPECT_NE(h.find("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                   "Content-Transfer-Encoding: 7bit\r\n"),
            std::string::npos);
  // No bare LF anywhere: every LF is part of a CRLF.
  for (std::size_t i = 0; i < m.size(); ++i)
    if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
    }
}

TEST(EmailMessage, BodyNamesRuleSeverityTimesIdFieldsAndEvidence) {
  const std::string b = render_body(mail_alert());
  EXPECT_NE(b.find("Rule:       lookup-then-media-email\n"), std::string::npos) << b;
  EXPECT_NE(b.find("Severity:   CRITICAL\n"), std::string::npos);
  EXPECT_NE(b.find("Event time: 2026-11-24T19:59:58.000000Z\n"), std::string::npos);
  EXPECT_NE(b.find("Alert id:   20261124T200000.000001Z-000000\n"), std::string::npos);
  EXPECT_NE(b.find("  pc1234 looked up P-77, then mailed news.example\n"), std::string::npos);
  EXPECT_NE(b.find("  email.to.domain: news.example\n"), std::string::npos);
  EXPECT_NE(b.find("Evidence (1 event)\n  [1]\n  {\n    \"event.kind\": \"access\",\n"),
            std::string::npos)
      << b;
}

TEST(EmailMessage, HeaderInjectionIsFlattenedAndNonAsciiEncoded) {
  Alert a = mail_alert();
  a.title = "Café\r\nBcc: evil@example";
  const std::string h = headers_of(compose_email(a, mail_config()));
  EXPECT_EQ(h.find("\r\nBcc:"), std::string::npos) << h;
  EXPECT_NE(h.find("Subject: =?UTF-8?B?"), std::string::npos) << h;
  EXPECT_EQ(encode_header_value("plain ascii"), "plain ascii");
  EXPECT_EQ(encode_header_value("Café"), "=?UTF-8?B?Q2Fmw6k=?=");
}

TEST(EmailMessage, LongTitlesAreShortenedInTheSubjectOnly) {
  Alert a = mail_alert();
  a.title = std::string(300, 't');
  const std::string m = compose_email(a, mail_config());
  EXPECT_NE(headers_of(m).find("Subject: [Probity][CRITICAL] " + std::string(200, 't') + "...\r\n"),
            std::string::npos);
  EXPECT_NE(body_of(m).find("Title:      " + a.title + "\r\n"), std::string::npos);
}

TEST(EmailMessage, LongOrNonAsciiBodiesAreQuotedPrintable) {
  Alert a = mail_alert();
  a.message = "Zoë " + std::string(1200, 'x');
  a.shown = unmasked(a);
  const std::string m = compose_email(a, mail_config());
  EXPECT_NE(headers_of(m).find("Content-Transfer-Encoding: quoted-printable\r\n"),
            std::string::npos);
  const std::string b = body_of(m);
  EXPECT_NE(b.find("Zo=C3=AB"), std::string::npos);
  for (std::size_t start = 0, end; start < b.size(); start = end + 2) {
    end = b.find("\r\n", start);
    if (end == std::string::npos) end = b.size();
    EXPECT_LE(end - start, 76u);
  }
  EXPECT_EQ(quoted_printable("a = b \nc"), "a =3D b=20\r\nc");
}

TEST(EmailMessage, CarriesTheShownViewOnly) {
  Alert a = mail_alert();
  a.shown->user = "PSN-0123456789ab";
  a.shown->message = "PSN-0123456789ab looked up P-77, then mailed news.example";
  a.shown->fields = {{"user.id", "PSN-0123456789ab"}};
  a.shown->events_json = {R"({"event.kind":"access","user.id":"PSN-0123456789ab"})"};
  const std::string m = compose_email(a, mail_config());
  EXPECT_EQ(m.find("pc1234"), std::string::npos) << m;
  EXPECT_NE(m.find("User:       PSN-0123456789ab\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("PSN-0123456789ab looked up P-77"), std::string::npos);
  a.shown.reset();  // stored before shown views existed: nothing but the title goes out
  const std::string bare = compose_email(a, mail_config());
  EXPECT_EQ(bare.find("pc1234"), std::string::npos) << bare;
  EXPECT_EQ(bare.find("P-77"), std::string::npos) << bare;
}

TEST(Mbox, QuotesFromLinesMboxrdStyle) {
  EXPECT_EQ(mbox_quote("From here\n>From there\nnot From\n>>From x\nFromage\n"),
            ">From here\n>>From there\nnot From\n>>>From x\nFromage\n");
}

TEST(Mbox, EntryHasSeparatorLfEndingsAndBlankLine) {
  const std::string msg = "Subject: x\r\n\r\nFrom the desk\r\nbye\r\n";
  const auto when =
      std::chrono::sys_days{std::chrono::year{2026} / 11 / 24} + std::chrono::hours(20);
  EXPECT_EQ(mbox_entry(msg, "probity@localhost", when),
            "From probity@localhost Tue Nov 24 20:00:00 2026\n"
            "Subject: x\n\n>From the desk\nbye\n\n");
}

TEST(RetrySchedule, BacksOffExponentiallyUpToMax) {
  RetrySchedule s(std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
  EXPECT_EQ(s.backoff(1).count(), 100);
  EXPECT_EQ(s.backoff(2).count(), 200);
  EXPECT_EQ(s.backoff(4).count(), 800);
  EXPECT_EQ(s.backoff(5).count(), 1000);
  EXPECT_EQ(s.backoff(500).count(), 1000);
}

TEST(RetrySchedule, HoldsTheSinkAfterAFailureButDoesNotLetOneEntryBlockOthers) {
  using namespace std::chrono_literals;
  RetrySchedule s(100ms, 10s);
  const auto t0 = RetrySchedule::Clock::now();
  s.add("a", 0, t0);
  s.add("b", 0, t0);
  EXPECT_EQ(s.pick(t0), "a");
  s.failed("a", t0);  // a: due t0+100ms; sink on hold until t0+100ms
  EXPECT_FALSE(s.pick(t0 + 50ms));
  EXPECT_EQ(s.next_wake(), t0 + 100ms);
  EXPECT_EQ(s.pick(t0 + 100ms), "b");  // b was due earlier than a's retry
  s.failed("b", t0 + 100ms);           // second failure in a row: hold 200ms
  EXPECT_FALSE(s.pick(t0 + 250ms));
  EXPECT_EQ(s.pick(t0 + 300ms), "a");
  s.succeeded("a");
  EXPECT_EQ(s.size(), 1u);
}
