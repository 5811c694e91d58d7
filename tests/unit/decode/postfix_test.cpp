// The "postfix" gateway source: maillog lines assembled by queue id into email events.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

SourceMapping postfix_source() {
  SourceMapping s = default_source("postfix");
  s.internal_domains = {"force.police.uk"};
  return s;
}

// Two messages interleaved, one with a short (hex) and one with a long queue id.
constexpr std::string_view kInterleaved[] = {
    "Mar  1 11:00:00 mx1 postfix/smtpd[1001]: connect from ws12.force.police.uk[10.1.2.3]",
    "Mar  1 11:00:00 mx1 postfix/smtpd[1001]: 4F2A31C0F3A: client=ws12.force.police.uk[10.1.2.3], "
    "sasl_method=PLAIN, sasl_username=jdoe",
    "Mar  1 11:00:00 mx1 postfix/smtpd[1005]: 3Pt2mN2VXxznjll: "
    "client=mail.other.example[198.51.100.7]",
    "Mar  1 11:00:00 mx1 postfix/cleanup[1002]: 4F2A31C0F3A: "
    "message-id=<20260301110000.1@force.police.uk>",
    "Mar  1 11:00:00 mx1 postfix/cleanup[1002]: 4F2A31C0F3A: warning: header Subject: Tonight's "
    "story from ws12.force.police.uk[10.1.2.3]; from=<jane.doe@force.police.uk> "
    "to=<newsdesk@paper.example> proto=ESMTP helo=<ws12>",
    "Mar  1 11:00:00 mx1 postfix/cleanup[1006]: 3Pt2mN2VXxznjll: message-id=<x1@other.example>",
    "Mar  1 11:00:01 mx1 postfix/qmgr[900]: 4F2A31C0F3A: from=<jane.doe@force.police.uk>, "
    "size=2048, nrcpt=2 (queue active)",
    "Mar  1 11:00:01 mx1 postfix/qmgr[900]: 3Pt2mN2VXxznjll: from=<press@other.example>, "
    "size=999, nrcpt=1 (queue active)",
    "Mar  1 11:00:02 mx1 postfix/smtp[1003]: 4F2A31C0F3A: to=<newsdesk@paper.example>, "
    "relay=mx.paper.example[203.0.113.5]:25, delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=2.0.0, "
    "status=sent (250 2.0.0 Ok: queued as ABC)",
    "Mar  1 11:00:02 mx1 postfix/lmtp[1007]: 3Pt2mN2VXxznjll: to=<jane.doe@force.police.uk>, "
    "relay=mbx1[10.0.0.9]:24, delay=0.4, delays=0.1/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 "
    "Ok)",
    "Mar  1 11:00:02 mx1 postfix/lmtp[1004]: 4F2A31C0F3A: to=<bob@force.police.uk>, "
    "orig_to=<bob.smith@force.police.uk>, relay=mbx1[10.0.0.9]:24, delay=1, "
    "delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK)",
    "Mar  1 11:00:02 mx1 postfix/qmgr[900]: 3Pt2mN2VXxznjll: removed",
    "Mar  1 11:00:02 mx1 postfix/qmgr[900]: 4F2A31C0F3A: removed",
    "Mar  1 11:00:03 mx1 postfix/smtpd[1001]: disconnect from ws12.force.police.uk[10.1.2.3]",
};

TEST(PostfixGateway, InterleavedMessagesGiveOneEventPerDeliveredRecipient) {
  GatewayHarness h(postfix_source());
  for (auto line : kInterleaved) ASSERT_TRUE(h.line(std::string(line))) << line;
  ASSERT_EQ(h.events.size(), 3u);
  EXPECT_EQ(h.open_messages(), 0u);

  const auto& out = h.events[0];
  EXPECT_EQ(out.kind(), event::Kind::email);
  EXPECT_EQ(str(out, F::email_from), "jane.doe@force.police.uk");
  EXPECT_EQ(str(out, F::email_to), "newsdesk@paper.example");
  EXPECT_EQ(str(out, F::email_to_domain), "paper.example");
  EXPECT_EQ(str(out, F::email_subject), "Tonight's story");
  EXPECT_EQ(str(out, F::email_message_id), "20260301110000.1@force.police.uk");
  EXPECT_EQ(integer(out, F::email_size), 2048);
  EXPECT_EQ(str(out, F::email_action), "delivered");
  EXPECT_EQ(str(out, F::email_direction), "outbound");
  EXPECT_EQ(str(out, F::gateway), "postfix");
  EXPECT_EQ(str(out, F::source_host), "mx1");
  EXPECT_EQ(event::format_time(*out.time()), "2026-03-01T11:00:02.000000Z");
  EXPECT_EQ(raw_or_empty(out, "queue_id"), "4F2A31C0F3A");
  EXPECT_EQ(raw_or_empty(out, "sasl_username"), "jdoe");
  EXPECT_EQ(raw_or_empty(out, "client_ip"), "10.1.2.3");
  EXPECT_EQ(raw_or_empty(out, "relay"), "mx.paper.example[203.0.113.5]:25");
  EXPECT_EQ(raw_or_empty(out, "dsn"), "2.0.0");

  const auto& in = h.events[1];  // long queue id, inbound
  EXPECT_EQ(raw_or_empty(in, "queue_id"), "3Pt2mN2VXxznjll");
  EXPECT_EQ(str(in, F::email_from), "press@other.example");
  EXPECT_EQ(str(in, F::email_direction), "inbound");
  EXPECT_EQ(str(in, F::email_message_id), "x1@other.example");
  EXPECT_FALSE(in.has(F::email_subject));

  const auto& internal = h.events[2];
  EXPECT_EQ(str(internal, F::email_to), "bob@force.police.uk");
  EXPECT_EQ(raw_or_empty(internal, "orig_to"), "bob.smith@force.police.uk");
  EXPECT_EQ(str(internal, F::email_direction), "internal");
  EXPECT_NE(str(out, F::event_id), str(internal, F::event_id));
  EXPECT_EQ(h.counters.decoded.load(), 3u);
}

TEST(PostfixGateway, SameLinesGiveSameEventIds) {
  GatewayHarness a(postfix_source()), b(postfix_source());
  for (auto line : kInterleaved) {
    ASSERT_TRUE(a.line(std::string(line)));
    ASSERT_TRUE(b.line(std::string(line)));
  }
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i)
    EXPECT_EQ(str(a.events[i], F::event_id), str(b.events[i], F::event_id));
}

TEST(PostfixGateway, DeferralIsReportedOnceThenDeliveryAgain) {
  GatewayHarness h(postfix_source());
  h.lines({
      "Mar  1 11:00:01 mx1 postfix/qmgr[900]: 1A2B3C4D5E: from=<jane.doe@force.police.uk>, "
      "size=10, nrcpt=1 (queue active)",
      "Mar  1 11:00:02 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<a@slow.example>, relay=none, "
      "delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to "
      "slow.example[192.0.2.1]:25: "
      "Connection timed out)",
      "Mar  1 11:10:02 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<a@slow.example>, relay=none, "
      "delay=630, delays=0/600/30/0, dsn=4.4.1, status=deferred (connect to slow.example: timeout)",
      "Mar  1 11:20:02 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<a@slow.example>, "
      "relay=slow.example[192.0.2.1]:25, delay=1230, delays=0/1200/20/10, dsn=2.0.0, "
      "status=sent (250 ok)",
  });
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_action), "deferred");
  EXPECT_EQ(raw_or_empty(h.events[0], "reply"),
            "connect to slow.example[192.0.2.1]:25: Connection timed out");
  EXPECT_EQ(str(h.events[1], F::email_action), "delivered");
}

TEST(PostfixGateway, BouncedAndExpiredAreRejected) {
  GatewayHarness h(postfix_source());
  h.lines({
      "Mar  1 11:00:01 mx1 postfix/qmgr[900]: 1A2B3C4D5F: from=<jane.doe@force.police.uk>, "
      "size=10, nrcpt=2 (queue active)",
      "Mar  1 11:00:02 mx1 postfix/smtp[1]: 1A2B3C4D5F: to=<nobody@paper.example>, "
      "relay=mx.paper.example[203.0.113.5]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, "
      "status=bounced (host mx.paper.example[203.0.113.5] said: 550 5.1.1 no such user)",
      "Mar  1 11:00:02 mx1 postfix/smtp[1]: 1A2B3C4D5F: to=<desk@gone.example>, relay=none, "
      "delay=1, delays=0/0/1/0, dsn=4.4.1, status=deferred (no route)",
      "Mar  6 11:00:02 mx1 postfix/qmgr[900]: 1A2B3C4D5F: from=<jane.doe@force.police.uk>, "
      "status=expired, returned to sender",
  });
  ASSERT_EQ(h.events.size(), 3u);
  EXPECT_EQ(str(h.events[0], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[0], "status"), "bounced");
  EXPECT_EQ(str(h.events[1], F::email_action), "deferred");
  EXPECT_EQ(str(h.events[2], F::email_to), "desk@gone.example");
  EXPECT_EQ(str(h.events[2], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[2], "status"), "expired");
}

TEST(PostfixGateway, NoqueueRejectGivesARejectedEvent) {
  GatewayHarness h(postfix_source());
  ASSERT_TRUE(
      h.line("Mar  1 11:00:00 mx1 postfix/smtpd[1001]: NOQUEUE: reject: RCPT from "
             "unknown[192.0.2.10]: 554 5.7.1 <x@paper.example>: Relay access denied; "
             "from=<jane.doe@force.police.uk> to=<x@paper.example> proto=ESMTP helo=<pc42>"));
  ASSERT_EQ(h.events.size(), 1u);
  const auto& e = h.events[0];
  EXPECT_EQ(str(e, F::email_action), "rejected");
  EXPECT_EQ(str(e, F::email_from), "jane.doe@force.police.uk");
  EXPECT_EQ(str(e, F::email_to), "x@paper.example");
  EXPECT_EQ(raw_or_empty(e, "queue_id"), "NOQUEUE");
  EXPECT_EQ(raw_or_empty(e, "stage"), "RCPT");
  EXPECT_EQ(raw_or_empty(e, "client_ip"), "192.0.2.10");
  EXPECT_EQ(raw_or_empty(e, "helo"), "pc42");
  EXPECT_EQ(raw_or_empty(e, "reply"), "554 5.7.1 <x@paper.example>: Relay access denied");
  EXPECT_EQ(h.open_messages(), 0u);
}

TEST(PostfixGateway, HeaderCheckHoldGivesAHeldEvent) {
  GatewayHarness h(postfix_source());
  ASSERT_TRUE(h.line(
      "Mar  1 11:00:00 mx1 postfix/cleanup[1002]: 5E6F7A8B9C: hold: header Subject: payroll "
      "from ws12[10.1.2.3]; from=<jane.doe@force.police.uk> to=<x@paper.example> proto=ESMTP "
      "helo=<ws12>: held for review"));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_action), "held");
}

TEST(PostfixGateway, DeliveryBeforeSenderWaitsForTheSender) {
  GatewayHarness h(postfix_source());
  ASSERT_TRUE(
      h.line("Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF123: to=<x@paper.example>, "
             "relay=r[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)"));
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(h.open_messages(), 1u);
  ASSERT_TRUE(
      h.line("Mar  1 11:00:01 mx1 postfix/qmgr[9]: 0ABCDEF123: from=<jane@force.police.uk>, "
             "size=5, nrcpt=1 (queue active)"));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_from), "jane@force.police.uk");
  // The event keeps the delivery line's time, not the sender line's.
  EXPECT_EQ(event::format_time(*h.events[0].time()), "2026-03-01T11:00:02.000000Z");
}

TEST(PostfixGateway, MissingSenderLineIsFlushedAtTimeoutAndCounted) {
  GatewayHarness h(postfix_source());
  ASSERT_TRUE(
      h.line("Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF124: to=<x@paper.example>, "
             "relay=r[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)"));
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(5)), 0u);
  EXPECT_EQ(h.open_messages(), 1u);
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 0u);
  EXPECT_EQ(h.open_messages(), 0u);
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
  EXPECT_EQ(h.counters.missing_field.load(), 1u);  // no sender: not an email event
}

TEST(PostfixGateway, MissingRemovedLineOnlyClosesAtTimeout) {
  GatewayHarness h(postfix_source());
  h.lines(
      {"Mar  1 11:00:01 mx1 postfix/qmgr[9]: 0ABCDEF125: from=<jane@force.police.uk>, "
       "size=5, nrcpt=1 (queue active)",
       "Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF125: to=<x@paper.example>, relay=r, "
       "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)"});
  EXPECT_EQ(h.events.size(), 1u);  // emitted at delivery, not at "removed"
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::hours(1)), 0u);
  EXPECT_EQ(h.open_messages(), 0u);
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
}

TEST(PostfixGateway, OpenMessagesAreBoundedAndEvictionsCounted) {
  SourceMapping s = postfix_source();
  s.assembly.max_open = 3;
  GatewayHarness h(s);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(h.line("Mar  1 11:00:00 mx1 postfix/smtpd[1]: ABCDEF00" + std::to_string(i) +
                       ": client=c[192.0.2.1]"));
  EXPECT_EQ(h.open_messages(), 3u);
  EXPECT_EQ(h.counters.evicted_capacity.load(), 2u);
  // The most recently active survive: a line for the oldest survivor keeps it open.
  ASSERT_TRUE(
      h.line("Mar  1 11:00:01 mx1 postfix/qmgr[9]: ABCDEF002: from=<a@force.police.uk>, "
             "size=1, nrcpt=1 (queue active)"));
  ASSERT_TRUE(h.line("Mar  1 11:00:01 mx1 postfix/smtpd[1]: ABCDEF005: client=c[192.0.2.1]"));
  ASSERT_TRUE(
      h.line("Mar  1 11:00:02 mx1 postfix/smtp[1]: ABCDEF002: to=<b@x.example>, relay=r, "
             "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)"));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_from), "a@force.police.uk");
}

TEST(PostfixGateway, TruncatedLinesNeitherCrashNorInvent) {
  GatewayHarness h(postfix_source());
  h.lines({
      "Mar  1 11:00:01 mx1 postfix/qmgr[9]: 0ABCDEF126: from=<jane@force.poli",
      "Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF126: to=<x@paper.exa",
      "Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF126: to=<y@paper.example>, relay=r, status=",
      "Mar  1 11:00:02 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[1.2.3.4]: 554 5.7.1",
      "Mar  1 11:00:02 mx1 postfix/cleanup[1]: 0ABCDEF126: warning: header Subject: x from",
      "Mar  1 11:00:02 mx1 postfix/smtpd[1]: 0ABCDEF126:",
      "Mar  1 11:00:02 mx1 postfix/smtpd[1]: 0ABCDEF126: client=",
      "Mar  1 11:00:02 mx1 postfix/smtpd[1]: warning: hostname x does not resolve",
  });
  EXPECT_TRUE(h.events.empty());  // cut "to=" lines have no status: nothing is invented
  // A reject cut inside its envelope has no recipient: counted and reported, no event.
  auto cut = h.line(
      "Mar  1 11:00:02 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from "
      "x[1.2.3.4]: 5; from=<a");
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "decode.missing_field");
  EXPECT_EQ(h.counters.missing_field.load(), 1u);
  h.flush_all();
  EXPECT_EQ(h.open_messages(), 0u);
}

TEST(PostfixGateway, HostileSubjectCannotForgeTheEnvelope) {
  GatewayHarness h(postfix_source());
  h.lines({
      "Mar  1 11:00:00 mx1 postfix/cleanup[1]: 77AA88BB99: warning: header Subject: hi from "
      "x[1.1.1.1]; from=<ceo@force.police.uk> to=<ok@force.police.uk> proto=ESMTP helo=<h> "
      "\xff\xfe from ws12[10.1.2.3]; from=<jane@force.police.uk> to=<desk@paper.example> "
      "proto=ESMTP helo=<ws12>",
      "Mar  1 11:00:01 mx1 postfix/qmgr[9]: 77AA88BB99: from=<jane@force.police.uk>, size=5, "
      "nrcpt=1 (queue active)",
      "Mar  1 11:00:02 mx1 postfix/smtp[1]: 77AA88BB99: to=<desk@paper.example>, relay=r, "
      "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok; from=<z@z> to=<q@q>)",
  });
  ASSERT_EQ(h.events.size(), 1u);
  const auto& e = h.events[0];
  EXPECT_EQ(str(e, F::email_from), "jane@force.police.uk");
  EXPECT_EQ(str(e, F::email_to), "desk@paper.example");
  // The sender's words stay in the subject, made safe, never in the envelope fields.
  EXPECT_NE(str(e, F::email_subject).find("from=<ceo@force.police.uk>"), std::string::npos);
  EXPECT_NE(str(e, F::email_subject).find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(PostfixGateway, NullSenderIsMailerDaemon) {
  GatewayHarness h(postfix_source());
  h.lines(
      {"Mar  1 11:00:01 mx1 postfix/qmgr[9]: 0ABCDEF127: from=<>, size=5, nrcpt=1 "
       "(queue active)",
       "Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF127: to=<x@paper.example>, relay=r, "
       "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)"});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_from), "MAILER-DAEMON");
}

TEST(PostfixGateway, BounceToStaffIsInboundAndToOutsidersOutbound) {
  // A non-delivery report: Postfix's bounce daemon queues it with the null sender.
  const auto bounce_to = [](SourceMapping source, const std::string& to) {
    GatewayHarness h(std::move(source));
    h.lines(
        {"Mar  1 11:05:00 mx1 postfix/bounce[7]: 0ABCDEF128: sender non-delivery "
         "notification: 0ABCDEF129",
         "Mar  1 11:05:00 mx1 postfix/qmgr[9]: 0ABCDEF129: from=<>, size=3500, nrcpt=1 "
         "(queue active)",
         "Mar  1 11:05:01 mx1 postfix/lmtp[1]: 0ABCDEF129: to=<" + to +
             ">, relay=mbx1[10.0.0.9]:24, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent "
             "(250 2.0.0 Ok)"});
    EXPECT_EQ(h.events.size(), 1u);
    return h.events.empty() ? std::string("(no event)") : str(h.events[0], F::email_direction);
  };
  EXPECT_EQ(bounce_to(postfix_source(), "jane.doe@force.police.uk"), "inbound");
  EXPECT_EQ(bounce_to(postfix_source(), "jane.doe@mail.force.police.uk"), "inbound");
  EXPECT_EQ(bounce_to(postfix_source(), "someone@paper.example"), "outbound");
  // Without internal domains a bounce is taken to be for the force's own sender.
  EXPECT_EQ(bounce_to(default_source("postfix"), "jane.doe@force.police.uk"), "inbound");
}

TEST(PostfixGateway, OnlyBouncesGetADirectionWithoutInternalDomains) {
  GatewayHarness h(default_source("postfix"));
  for (auto line : kInterleaved) ASSERT_TRUE(h.line(std::string(line))) << line;
  ASSERT_EQ(h.events.size(), 3u);
  for (const auto& e : h.events) EXPECT_FALSE(e.has(F::email_direction)) << str(e, F::email_to);
}

TEST(PostfixGateway, WholeMaillogLineInsideMsgIsUnderstood) {
  // rsyslog imfile without needParse: the file's line is MSG, the tag is imfile's.
  GatewayHarness h(postfix_source());
  SourceMapping any = postfix_source();
  any.match = {};
  GatewayHarness forced(any);
  forced.lines({
      "<13>1 2026-03-01T11:00:05Z relay1 maillog - - - Mar  1 11:00:01 mx1 postfix/qmgr[9]: "
      "0ABCDEF128: from=<jane@force.police.uk>, size=5, nrcpt=1 (queue active)",
      "<13>1 2026-03-01T11:00:05Z relay1 maillog - - - Mar  1 11:00:02 mx1 postfix/smtp[1]: "
      "0ABCDEF128: to=<x@paper.example>, relay=r, delay=1, delays=0/0/0/1, dsn=2.0.0, "
      "status=sent (ok)",
  });
  ASSERT_EQ(forced.events.size(), 1u);
  EXPECT_EQ(str(forced.events[0], F::source_host), "mx1");
  EXPECT_EQ(event::format_time(*forced.events[0].time()), "2026-03-01T11:00:02.000000Z");
}

TEST(PostfixGateway, QueueIdShapes) {
  GatewayHarness h(postfix_source());
  // Words that look like ids but are not: no state is opened for them.
  h.lines({"Mar  1 11:00:00 mx1 postfix/smtpd[1]: warning: client=x",
           "Mar  1 11:00:00 mx1 postfix/smtpd[1]: statistics: client=x",
           "Mar  1 11:00:00 mx1 postfix/smtpd[1]: 3Pt2mN2VXxAnjll: client=x[1.2.3.4]",
           "Mar  1 11:00:00 mx1 postfix/smtpd[1]: abcdef: client=x[1.2.3.4]"});
  EXPECT_EQ(h.open_messages(), 0u);
  h.lines({"Mar  1 11:00:00 mx1 postfix/smtpd[1]: 4dXbTk0YcFz9vKQ: client=x[1.2.3.4]",
           "Mar  1 11:00:00 mx1 postfix/smtpd[1]: ABC123: client=x[1.2.3.4]"});
  EXPECT_EQ(h.open_messages(), 2u);
}

TEST(PostfixGateway, StaffResolvedFromSender) {
  const auto ref = staff_directory({{"PC1001", "jane@force.police.uk"}});
  GatewayHarness h(postfix_source(), &ref);
  h.lines(
      {"Mar  1 11:00:01 mx1 postfix/qmgr[9]: 0ABCDEF129: from=<Jane@Force.Police.UK>, "
       "size=5, nrcpt=1 (queue active)",
       "Mar  1 11:00:02 mx1 postfix/smtp[1]: 0ABCDEF129: to=<x@paper.example>, relay=r, "
       "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (ok)"});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::user_id), "pc1001");  // staff ids are stored lower-cased
  EXPECT_EQ(str(h.events[0], F::email_direction), "outbound");
}

}  // namespace
}  // namespace probity::decode::testing
