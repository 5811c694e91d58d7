// The "cisco-esa" gateway source: AsyncOS mail log lines joined by MID, ICID and DCID.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

SourceMapping esa_source() {
  SourceMapping s = default_source("cisco-esa");
  s.internal_domains = {"force.police.uk"};
  return s;
}

std::string line(std::string_view msg) {
  return "<22>Mar  1 11:00:00 esa01 mail_logs: Info: " + std::string(msg);
}

TEST(EsaGateway, InterleavedMessagesJoinByMidIcidAndDcid) {
  GatewayHarness h(esa_source());
  h.lines({
      line("New SMTP ICID 101 interface Data1 (10.0.0.5) address 10.1.2.3 reverse dns host "
           "ws12.force.police.uk verified yes"),
      line("ICID 101 RELAY SG RELAYLIST match 10.1.0.0/16 SBRS None country not applicable"),
      line("New SMTP ICID 102 interface Data1 (10.0.0.5) address 198.51.100.7 reverse dns host "
           "mail.other.example verified yes"),
      line("ICID 102 ACCEPT SG UNKNOWNLIST match sbrs[-1.0:10.0] SBRS 3.5 country United Kingdom"),
      line("Start MID 5001 ICID 101"),
      line("Start MID 5002 ICID 102"),
      line("MID 5001 ICID 101 From: <jane.doe@force.police.uk>"),
      line("MID 5002 ICID 102 From: <press@other.example>"),
      line("MID 5001 ICID 101 RID 0 To: <newsdesk@paper.example>"),
      line("MID 5001 ICID 101 RID 1 To: <bob@force.police.uk>"),
      line("MID 5002 ICID 102 RID 0 To: <jane.doe@force.police.uk>"),
      line("MID 5001 Message-ID '<m1@force.police.uk>'"),
      line("MID 5001 Subject 'Re: tonight's story'"),
      line("MID 5002 Subject 'Press enquiry'"),
      line("MID 5001 ready 5120 bytes from <jane.doe@force.police.uk>"),
      line("MID 5001 attachment 'custody-photo.jpg'"),
      line(
          "MID 5001 matched all recipients for per-recipient policy DEFAULT in the outbound table"),
      line("MID 5002 ready 900 bytes from <press@other.example>"),
      line("MID 5002 matched all recipients for per-recipient policy DEFAULT in the inbound table"),
      line("MID 5001 interim verdict using engine: CASE spam negative"),
      line("MID 5001 queued for delivery"),
      line("MID 5002 queued for delivery"),
      line("New SMTP DCID 77 interface 10.0.0.5 address 203.0.113.5 port 25"),
      line("Delivery start DCID 77 MID 5001 to RID [0]"),
      line("Delivery start DCID 78 MID 5002 to RID [0]"),
      line("Message done DCID 78 MID 5002 to RID [0] [('X-IronPort-AV', 'E=Sophos')]"),
      line("Message done DCID 77 MID 5001 to RID [0]"),
      line("MID 5001 RID [0] Response '2.0.0 Ok: queued as ABC'"),
      line("Message done DCID 79 MID 5001 to RID [1]"),
      line("Message finished MID 5001 done"),
      line("Message finished MID 5002 done"),
      line("ICID 101 close"),
  });
  ASSERT_EQ(h.events.size(), 3u);
  EXPECT_EQ(h.open_messages(), 0u);
  const auto& in = h.events[0];
  EXPECT_EQ(str(in, F::email_from), "press@other.example");
  EXPECT_EQ(str(in, F::email_direction), "inbound");
  EXPECT_EQ(raw_or_empty(in, "sender_group"), "UNKNOWNLIST");
  EXPECT_EQ(raw_or_empty(in, "sbrs"), "3.5");
  const auto& out = h.events[1];
  EXPECT_EQ(str(out, F::email_to), "newsdesk@paper.example");
  EXPECT_EQ(str(out, F::email_subject), "Re: tonight's story");
  EXPECT_EQ(str(out, F::email_message_id), "<m1@force.police.uk>");
  EXPECT_EQ(integer(out, F::email_size), 5120);
  EXPECT_EQ(str(out, F::email_action), "delivered");
  EXPECT_EQ(str(out, F::email_direction), "outbound");
  EXPECT_EQ(str(out, F::gateway), "cisco-esa");
  EXPECT_EQ(str(out, F::source_host), "esa01");
  EXPECT_EQ(raw_or_empty(out, "mid"), "5001");
  EXPECT_EQ(raw_or_empty(out, "icid"), "101");
  EXPECT_EQ(raw_or_empty(out, "client_ip"), "10.1.2.3");
  EXPECT_EQ(raw_or_empty(out, "delivery_ip"), "203.0.113.5");
  EXPECT_EQ(raw_or_empty(out, "policy"), "DEFAULT");
  const auto* names = std::get_if<std::vector<std::string>>(&out.get(F::email_attachments_names));
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(*names, (std::vector<std::string>{"custody-photo.jpg"}));
  EXPECT_EQ(str(h.events[2], F::email_to), "bob@force.police.uk");
  EXPECT_EQ(str(h.events[2], F::email_direction), "internal");
}

TEST(EsaGateway, TextmailLinesCarryTheirOwnTime) {
  SourceMapping s = esa_source();
  GatewayHarness h(s);
  const auto tm = [](std::string_view msg) {
    return "<13>1 2026-03-01T12:00:00Z relay1 cisco-esa - - - Sun Mar  1 11:00:0" +
           std::string(msg);
  };
  h.lines({tm("1 2026 Info: MID 7 ICID 1 From: <a@force.police.uk>"),
           tm("1 2026 Info: MID 7 ICID 1 RID 0 To: <b@paper.example>"),
           tm("2 2026 Info: Message done DCID 3 MID 7 to RID [0]")});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(event::format_time(*h.events[0].time()), "2026-03-01T11:00:02.000000Z");
}

TEST(EsaGateway, BouncesDelaysDropsQuarantineAndRejectedRecipients) {
  GatewayHarness h(esa_source());
  h.lines({
      line("MID 10 ICID 5 From: <jane@force.police.uk>"),
      line("MID 10 ICID 5 RID 0 To: <a@paper.example>"),
      line("MID 10 ICID 5 RID 1 To: <b@slow.example>"),
      line("MID 10 ICID 5 RID 2 To: <c@nowhere.example> Rejected by Receiving Control"),
      line("Bounced: DCID 9 MID 10 to RID 0 - 5.1.1 - Bad destination email address ('550', "
           "['5.1.1 user unknown'])"),
      line("Delayed: DCID 9 MID 10 to RID 1 - 4.4.1 - Connection timed out"),
      line("Delayed: DCID 9 MID 10 to RID 1 - 4.4.1 - Connection timed out"),
      line("Message done DCID 11 MID 10 to RID [1]"),
      line("MID 20 ICID 6 From: <jane@force.police.uk>"),
      line("MID 20 ICID 6 RID 0 To: <desk@paper.example>"),
      line("MID 20 DLP violation. Severity: CRITICAL (Risk Factor: 96). DLP policy match: 'PII'."),
      line("MID 20 quarantined to \"Policy\" (DLP violation)"),
      line("MID 30 ICID 7 From: <x@other.example>"),
      line("MID 30 ICID 7 RID 0 To: <jane@force.police.uk>"),
      line("MID 30 Dropped by content filter 'drop_exe' in the inbound table"),
  });
  ASSERT_EQ(h.events.size(), 6u);
  EXPECT_EQ(str(h.events[0], F::email_to), "c@nowhere.example");
  EXPECT_EQ(str(h.events[0], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[0], "reason"), "Rejected by Receiving Control");
  EXPECT_EQ(str(h.events[1], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[1], "reason"),
            "5.1.1 - Bad destination email address ('550', ['5.1.1 user unknown'])");
  EXPECT_EQ(str(h.events[2], F::email_action), "deferred");
  EXPECT_EQ(str(h.events[3], F::email_action), "delivered");
  EXPECT_EQ(str(h.events[4], F::email_action), "quarantined");
  EXPECT_EQ(raw_or_empty(h.events[4], "quarantine"), "Policy");
  EXPECT_NE(raw_or_empty(h.events[4], "dlp").find("CRITICAL"), std::string::npos);
  EXPECT_EQ(str(h.events[5], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[5], "reason"),
            "Dropped by content filter 'drop_exe' in the inbound table");
}

TEST(EsaGateway, SplitMessagesInheritTheirParent) {
  GatewayHarness h(esa_source());
  h.lines({
      line("MID 40 ICID 8 From: <jane@force.police.uk>"),
      line("MID 40 ICID 8 RID 0 To: <a@paper.example>"),
      line("MID 40 ICID 8 RID 1 To: <b@force.police.uk>"),
      line("MID 40 Subject 'split me'"),
      line("MID 40 was split creating MID 41 due to a per-recipient policy Press in the outbound "
           "table"),
      line("Message done DCID 1 MID 40 to RID [1]"),
      line("Message done DCID 2 MID 41 to RID [0]"),
      line("Message finished MID 40 done"),
      line("Message finished MID 41 done"),
  });
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[1], F::email_to), "a@paper.example");
  EXPECT_EQ(str(h.events[1], F::email_subject), "split me");
  EXPECT_EQ(raw_or_empty(h.events[1], "mid"), "41");
}

TEST(EsaGateway, MissingFromLineWaitsThenFlushesAtTimeout) {
  GatewayHarness h(esa_source());
  h.lines({line("MID 50 ICID 9 RID 0 To: <a@paper.example>"),
           line("Message done DCID 1 MID 50 to RID [0]")});
  EXPECT_TRUE(h.events.empty());
  h.lines({line("MID 50 ready 10 bytes from <jane@force.police.uk>")});  // a late sender
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_from), "jane@force.police.uk");
  EXPECT_EQ(str(h.events[0], F::email_action), "delivered");
  h.lines({line("MID 51 ICID 9 RID 0 To: <b@paper.example>"),
           line("Message done DCID 1 MID 51 to RID [0]")});
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 0u);
  EXPECT_EQ(h.counters.evicted_timeout.load(), 2u);  // neither saw "Message finished"
  EXPECT_EQ(h.counters.missing_field.load(), 1u);    // MID 51: no sender ever seen
  EXPECT_EQ(h.events.size(), 1u);
}

TEST(EsaGateway, MissingFinalLineGivesAnEventWithoutActionAtTimeout) {
  GatewayHarness h(esa_source());
  h.lines({line("MID 60 ICID 9 From: <jane@force.police.uk>"),
           line("MID 60 ICID 9 RID 0 To: <desk@paper.example>"),
           line("MID 60 queued for delivery")});
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 1u);
  EXPECT_FALSE(h.events[0].has(F::email_action));
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
}

TEST(EsaGateway, BoundOnOpenMessages) {
  SourceMapping s = esa_source();
  s.assembly.max_open = 2;
  GatewayHarness h(s);
  for (int i = 0; i < 4; ++i)
    h.lines({line("MID " + std::to_string(900 + i) + " ICID 1 From: <a@force.police.uk>")});
  EXPECT_EQ(h.open_messages(), 2u);
  EXPECT_EQ(h.counters.evicted_capacity.load(), 2u);
}

TEST(EsaGateway, TruncatedAndHostileLines) {
  GatewayHarness h(esa_source());
  h.lines({
      line("MID"),
      line("MID 70"),
      line("MID 70 ICID"),
      line("MID 70 ICID 9 RID"),
      line("MID 70 ICID 9 RID 0 To: <a@paper.exa"),
      line("Message done DCID 1 MID"),
      line("Message done DCID 1 MID 70 to RID [0"),
      line("MID x ICID 9 From: <a@b>"),
      line("New SMTP ICID"),
      line("ICID 5 ACCEPT SG"),
      line("Bounced: MID 99999999999999999999999 to RID 0 - x"),
  });
  // The subject is the sender's: it cannot finish the message or deliver to anyone.
  h.lines({line("MID 71 ICID 9 From: <jane@force.police.uk>"),
           line("MID 71 ICID 9 RID 0 To: <desk@paper.example>"),
           line("MID 71 Subject 'x' Message done DCID 1 MID 71 to RID [0] \xff'"),
           line("MID 71 ICID 9 RID 1 To: <evil@paper.example> Rejected by x\" MID 72")});
  ASSERT_EQ(h.events.size(), 1u);  // RID 1 rejected at RCPT, nothing else
  EXPECT_EQ(str(h.events[0], F::email_to), "evil@paper.example");
  h.flush_all();
  for (const auto& e : h.events) EXPECT_NE(str(e, F::email_to), "");
}

}  // namespace
}  // namespace probity::decode::testing
