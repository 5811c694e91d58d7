// The "proofpoint" gateway source: the PPS filter log joined with its sendmail log by qid.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

SourceMapping proofpoint_source() {
  SourceMapping s = default_source("proofpoint");
  s.internal_domains = {"force.police.uk"};
  return s;
}

std::string filter(std::string_view msg) {
  return "<22>Mar  1 11:00:00 pps01 filter_instance1[2301]: " + std::string(msg);
}
std::string sendmail(std::string_view msg, std::string_view time = "11:00:02") {
  return "<22>Mar  1 " + std::string(time) + " pps01 sendmail[4410]: " + std::string(msg);
}

TEST(ProofpointGateway, FilterAndSendmailLinesOfInterleavedMessagesJoinByQid) {
  GatewayHarness h(proofpoint_source());
  h.lines({
      filter("rprt s=2tq1 m=1 x=2tq1-1 mod=session cmd=connect ip=10.1.2.3 country=private "
             "lip=10.0.0.5 prot=smtp:smtp hops_active=f routes=allow_relay notroutes="),
      filter("rprt s=2tq2 m=1 x=2tq2-1 mod=session cmd=connect ip=198.51.100.7 country=gb"),
      filter("rprt s=2tq1 m=1 x=2tq1-1 cmd=env_from value=jane.doe@force.police.uk size= "
             "smtputf8= qid=621B3C4D5E6F78 tls= routes= notroutes=tls_fallback host=ws12"),
      filter("rprt s=2tq2 m=1 x=2tq2-1 cmd=env_from value=press@other.example"),
      filter("rprt s=2tq1 m=1 x=2tq1-1 cmd=env_rcpt r=1 value=newsdesk@paper.example orcpt= "
             "verified= routes=allow_relay notroutes="),
      filter("rprt s=2tq1 m=1 x=2tq1-1 cmd=env_rcpt r=2 value=bob@force.police.uk"),
      filter("rprt s=2tq2 m=1 x=2tq2-1 cmd=env_rcpt r=1 value=jane.doe@force.police.uk"),
      filter("info s=2tq1 m=1 x=2tq1-1 mod=mail cmd=msg module= rule= action=continue "
             "attachments=1 rcpts=2 routes=allow_relay size=48213 guid=Ab12 "
             "hdr_mid=<m1@force.police.uk> qid=621B3C4D5E6F78 subject=\"Tonight, the \\\"story\\\" "
             "x=evil\" duration=0.1 elapsed=0.2"),
      filter("rprt s=2tq1 m=1 x=2tq1-1 mod=spam cmd=run rule=notspam policy=outbound score=0 "
             "ndrscore=0 ipscore=0 suspectscore=0 phishscore=0 bulkscore=0 spamscore=0"),
      filter("info s=2tq2 m=1 x=2tq2-1 mod=mail cmd=msg rule= action=continue "
             "hdr_mid=<p1@other.example> qid=721B3C4D5E6F79 subject=\"Press enquiry\""),
      sendmail("621B3C4D5E6F78: from=<jane.doe@force.police.uk>, size=48213, class=0, "
               "nrcpts=2, msgid=<m1@force.police.uk>, proto=ESMTP, daemon=MTA, "
               "relay=ws12 [10.1.2.3]"),
      sendmail("721B3C4D5E6F79: from=<press@other.example>, size=900, class=0, nrcpts=1, "
               "msgid=<p1@other.example>, proto=ESMTP, daemon=MTA, relay=mail.other.example "
               "[198.51.100.7]"),
      filter("rprt s=2tq1 m=1 x=2tq1-1 cmd=send profile=mail qid=621B3C4D5E6F78 "
             "rcpts=newsdesk@paper.example,bob@force.police.uk"),
      sendmail("721B3C4D5E6F79: to=<jane.doe@force.police.uk>, delay=00:00:01, "
               "xdelay=00:00:01, mailer=esmtp, pri=120900, relay=mbx1.force.police.uk. "
               "[10.0.0.9], dsn=2.0.0, stat=Sent (Ok: queued as 4A1)"),
      sendmail("621B3C4D5E6F78: to=<newsdesk@paper.example>,<bob@force.police.uk>, "
               "delay=00:00:02, xdelay=00:00:01, mailer=esmtp, pri=168213, "
               "relay=mx.paper.example. [203.0.113.5], dsn=2.0.0, stat=Sent (Ok: queued as "
               "ABC, id=1)"),
      filter("rprt s=2tq1 m=1 x=2tq1-1 mod=session cmd=disconnect module= rule= action= "
             "helo=ws12 msgs=1 rcpts=2 routes=allow_relay"),
  });
  ASSERT_EQ(h.events.size(), 3u);
  const auto& in = h.events[0];
  EXPECT_EQ(str(in, F::email_from), "press@other.example");
  EXPECT_EQ(str(in, F::email_subject), "Press enquiry");
  EXPECT_EQ(str(in, F::email_direction), "inbound");
  const auto& out = h.events[1];
  EXPECT_EQ(str(out, F::email_from), "jane.doe@force.police.uk");
  EXPECT_EQ(str(out, F::email_to), "newsdesk@paper.example");
  EXPECT_EQ(str(out, F::email_subject), "Tonight, the \"story\" x=evil");
  EXPECT_EQ(str(out, F::email_message_id), "m1@force.police.uk");
  EXPECT_EQ(integer(out, F::email_size), 48213);
  EXPECT_EQ(str(out, F::email_action), "delivered");
  EXPECT_EQ(str(out, F::email_direction), "outbound");
  EXPECT_EQ(str(out, F::gateway), "proofpoint");
  EXPECT_EQ(str(out, F::source_host), "pps01");
  EXPECT_EQ(event::format_time(*out.time()), "2026-03-01T11:00:02.000000Z");
  EXPECT_EQ(raw_or_empty(out, "qid"), "621B3C4D5E6F78");
  EXPECT_EQ(raw_or_empty(out, "x"), "2tq1-1");
  EXPECT_EQ(raw_or_empty(out, "client_ip"), "10.1.2.3");
  EXPECT_EQ(raw_or_empty(out, "rules"), "spam:notspam");
  EXPECT_EQ(raw_or_empty(out, "stat"), "Sent (Ok: queued as ABC, id=1)");
  EXPECT_EQ(str(h.events[2], F::email_to), "bob@force.police.uk");
  EXPECT_EQ(str(h.events[2], F::email_direction), "internal");
}

TEST(ProofpointGateway, QuarantineAndDiscardAreFinalAtTheFilter) {
  GatewayHarness h(proofpoint_source());
  h.lines({
      filter("rprt s=a m=1 x=a-1 cmd=env_from value=jane@force.police.uk"),
      filter("rprt s=a m=1 x=a-1 cmd=env_rcpt r=1 value=desk@paper.example"),
      filter("rprt s=a m=1 x=a-1 mod=dlp cmd=run rule=pii action=quarantine "
             "folder=DLP_Quarantine"),
      filter("rprt s=a m=1 x=a-1 mod=dlp cmd=run rule=pii action=quarantine"),
      filter("rprt s=b m=1 x=b-1 cmd=env_from value=x@bad.example"),
      filter("rprt s=b m=1 x=b-1 cmd=env_rcpt r=1 value=jane@force.police.uk"),
      filter("rprt s=b m=1 x=b-1 mod=av cmd=run rule=virus action=discard virus=EICAR"),
  });
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_action), "quarantined");
  EXPECT_EQ(raw_or_empty(h.events[0], "quarantine_folder"), "DLP_Quarantine");
  EXPECT_EQ(raw_or_empty(h.events[0], "rules"), "dlp:pii");
  EXPECT_EQ(str(h.events[1], F::email_action), "rejected");
  EXPECT_EQ(str(h.events[1], F::email_direction), "inbound");
}

TEST(ProofpointGateway, DeferredOnceBouncedRejected) {
  GatewayHarness h(proofpoint_source());
  h.lines({
      sendmail("A1B2C3D4E5F601: from=<jane@force.police.uk>, size=10, class=0, nrcpts=2"),
      sendmail("A1B2C3D4E5F601: to=<a@slow.example>, delay=00:00:30, mailer=esmtp, "
               "pri=1, relay=slow.example., dsn=4.0.0, stat=Deferred: Connection timed out"),
      sendmail("A1B2C3D4E5F601: to=<a@slow.example>, delay=00:10:30, mailer=esmtp, "
               "pri=1, relay=slow.example., dsn=4.0.0, stat=Deferred: Connection timed out"),
      sendmail("A1B2C3D4E5F601: to=<b@paper.example>, delay=00:00:01, mailer=esmtp, pri=1, "
               "relay=mx.paper.example. [203.0.113.5], dsn=5.1.1, stat=User unknown"),
  });
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_action), "deferred");
  EXPECT_EQ(str(h.events[1], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[1], "dsn"), "5.1.1");
}

TEST(ProofpointGateway, MissingSenderLineWaitsThenTimesOut) {
  GatewayHarness h(proofpoint_source());
  h.lines(
      {sendmail("B1B2C3D4E5F602: to=<a@paper.example>, delay=00:00:01, mailer=esmtp, "
                "pri=1, relay=r, dsn=2.0.0, stat=Sent (ok)")});
  EXPECT_TRUE(h.events.empty());
  h.lines({filter("info s=c m=1 x=c-1 cmd=env_from value=jane@force.police.uk"),
           filter("info s=c m=1 x=c-1 mod=mail cmd=msg qid=B1B2C3D4E5F602 subject=\"late\"")});
  ASSERT_EQ(h.events.size(), 1u);  // the filter's qid line brought the sender
  EXPECT_EQ(str(h.events[0], F::email_subject), "late");
  h.lines(
      {sendmail("C1B2C3D4E5F603: to=<b@paper.example>, delay=00:00:01, mailer=esmtp, "
                "pri=1, relay=r, dsn=2.0.0, stat=Sent (ok)")});
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 0u);
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
  EXPECT_EQ(h.counters.missing_field.load(), 1u);  // no sender ever: no event
  EXPECT_EQ(h.open_messages(), 0u);
}

TEST(ProofpointGateway, QueuedRecipientsWithoutDeliveryAreFlushedAsAccepted) {
  GatewayHarness h(proofpoint_source());
  h.lines({
      filter("rprt s=f m=1 x=f-1 cmd=env_from value=jane@force.police.uk"),
      filter("rprt s=f m=1 x=f-1 cmd=env_rcpt r=1 value=desk@paper.example"),
      filter("rprt s=f m=1 x=f-1 cmd=env_rcpt r=2 value=<ed@paper.example>"),
      filter("info s=f m=1 x=f-1 mod=mail cmd=msg qid=F1B2C3D4E5F605 subject=\"queued\""),
      sendmail("F1B2C3D4E5F605: to=<desk@paper.example>, delay=00:00:01, mailer=esmtp, "
               "pri=1, relay=r, dsn=2.0.0, stat=Sent (ok)"),
      // quarantined after it was linked: the filter's event is final, none at the flush
      filter("rprt s=g m=1 x=g-1 cmd=env_from value=jane@force.police.uk"),
      filter("rprt s=g m=1 x=g-1 cmd=env_rcpt r=1 value=desk@paper.example"),
      filter("info s=g m=1 x=g-1 mod=mail cmd=msg qid=G1B2C3D4E5F606 subject=\"held\""),
      filter("rprt s=g m=1 x=g-1 mod=dlp cmd=run rule=pii action=quarantine"),
  });
  ASSERT_EQ(h.events.size(), 2u);  // desk delivered; g quarantined
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 1u);
  ASSERT_EQ(h.events.size(), 3u);
  EXPECT_EQ(str(h.events[2], F::email_to), "ed@paper.example");
  EXPECT_EQ(str(h.events[2], F::email_action), "accepted");
  EXPECT_EQ(str(h.events[2], F::email_subject), "queued");
  EXPECT_EQ(h.counters.flushed_incomplete[static_cast<std::size_t>(PayloadFormat::proofpoint)], 1u);
}

TEST(ProofpointGateway, BoundOnOpenMessages) {
  SourceMapping s = proofpoint_source();
  s.assembly.max_open = 2;
  GatewayHarness h(s);
  for (int i = 0; i < 4; ++i)
    h.lines({sendmail("D1B2C3D4E5F60" + std::to_string(i) +
                      ": from=<jane@force.police.uk>, size=1, class=0, nrcpts=1")});
  EXPECT_EQ(h.open_messages(), 2u);
  EXPECT_EQ(h.counters.evicted_capacity.load(), 2u);
  // A delivery for an evicted message waits for a sender that will not come again.
  h.lines({sendmail("D1B2C3D4E5F600: to=<a@paper.example>, dsn=2.0.0, stat=Sent (ok)"),
           sendmail("D1B2C3D4E5F603: to=<a@paper.example>, dsn=2.0.0, stat=Sent (ok)")});
  EXPECT_EQ(h.events.size(), 1u);
}

TEST(ProofpointGateway, TruncatedAndHostileLines) {
  GatewayHarness h(proofpoint_source());
  h.lines({
      filter("rprt s="),
      filter("rprt s=d m=1 x=d-1 cmd=env_from value=jane@force.police.uk"),
      filter("rprt s=d m=1 x=d-1 cmd=env_rcpt r=1 value=desk@paper.example"),
      filter("info s=d m=1 x=d-1 mod=mail cmd=msg qid=E1B2C3D4E5F604 subject=\"never closed "
             "action=discard \xff"),
      sendmail("E1B2C3D4E5F604: to=<desk@paper.example>, delay=00:00:01, mailer=esmtp, dsn=2.0."),
      sendmail("E1B2C3D4E5F604: to=<desk@paper.exa"),
      sendmail("E1B2C3D4E5F604:"),
      sendmail("not a qid: to=<x@y>, dsn=2.0.0, stat=Sent"),
  });
  // The subject's "action=discard" is inside its quotes: no disposition, no event.
  EXPECT_TRUE(h.events.empty());
  h.lines(
      {sendmail("E1B2C3D4E5F604: to=<desk@paper.example>, delay=00:00:01, mailer=esmtp, "
                "dsn=2.0.0, stat=Sent (250 ok, to=<evil@x.example>)")});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_to), "desk@paper.example");
  EXPECT_NE(str(h.events[0], F::email_subject).find("\xEF\xBF\xBD"), std::string::npos);
}

}  // namespace
}  // namespace probity::decode::testing
