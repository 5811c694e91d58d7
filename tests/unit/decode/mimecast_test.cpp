// The "mimecast" gateway source: SIEM receipt, process and delivery lines joined by aCode.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

SourceMapping mimecast_source() {
  SourceMapping s = default_source("mimecast");
  s.internal_domains = {"force.police.uk"};
  return s;
}

std::string line(std::string_view msg) {
  return "<134>1 2026-03-01T11:59:58Z siem01 mimecast - - - " + std::string(msg);
}

TEST(MimecastGateway, KvLinesOfTwoInterleavedMessagesJoinByACode) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line("datetime=2026-03-01T11:00:00+0000|aCode=AAA111|acc=C0A0|SpamLimit=0|IP=10.1.2.3|"
           "Dir=Outbound|MsgId=<m1@force.police.uk>|Subject=\\Re: tonight | the story\\|"
           "headerFrom=jane.doe@force.police.uk|Sender=jane.doe@force.police.uk|"
           "Rcpt=newsdesk@paper.example|SpamInfo=[]|Act=Acc|TlsVer=TLSv1.2|"
           "SpamProcessingDetail={\"spf\":{\"info\":\"a|b\",\"allow\":true}}|SpamScore=0"),
      line("datetime=2026-03-01T11:00:01+0000|aCode=BBB222|acc=C0A0|IP=198.51.100.7|"
           "Dir=Inbound|MsgId=<m2@other.example>|Subject=\\hello\\|Sender=press@other.example|"
           "Rcpt=jane.doe@force.police.uk|Act=Acc"),
      line("datetime=2026-03-01T11:00:02+0000|aCode=AAA111|acc=C0A0|AttSize=1200|Act=Acc|"
           "AttCnt=2|AttNames=\"photo.jpg\", "
           "\"notes.docx\"|MsgSize=5120|MsgId=<m1@force.police.uk>"),
      line("datetime=2026-03-01T11:00:03+0000|aCode=BBB222|acc=C0A0|Delivered=true|"
           "IP=10.0.0.9|Dir=Inbound|Rcpt=jane.doe@force.police.uk|Sender=press@other.example|"
           "ReceiptAck=250 ok|Latency=900|Attempt=1|Snt=777|UseTls=Yes|Route=Inbound"),
      line("datetime=2026-03-01T11:00:04+0100|aCode=AAA111|acc=C0A0|Delivered=true|"
           "IP=203.0.113.5|Dir=Outbound|Rcpt=newsdesk@paper.example|"
           "Sender=jane.doe@force.police.uk|ReceiptAck=250 ok|Attempt=1|Snt=5120|Route=Outbound"),
  });
  ASSERT_EQ(h.events.size(), 2u);
  const auto& in = h.events[0];
  EXPECT_EQ(str(in, F::email_from), "press@other.example");
  EXPECT_EQ(str(in, F::email_direction), "inbound");
  EXPECT_EQ(str(in, F::email_subject), "hello");
  const auto& out = h.events[1];
  EXPECT_EQ(str(out, F::email_from), "jane.doe@force.police.uk");
  EXPECT_EQ(str(out, F::email_to), "newsdesk@paper.example");
  EXPECT_EQ(str(out, F::email_subject), "Re: tonight | the story");
  EXPECT_EQ(str(out, F::email_message_id), "<m1@force.police.uk>");
  EXPECT_EQ(str(out, F::email_action), "delivered");
  EXPECT_EQ(str(out, F::email_direction), "outbound");
  EXPECT_EQ(str(out, F::gateway), "mimecast");
  EXPECT_EQ(integer(out, F::email_size), 5120);
  EXPECT_EQ(integer(out, F::email_attachments_count), 2);
  const auto* names = std::get_if<std::vector<std::string>>(&out.get(F::email_attachments_names));
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(*names, (std::vector<std::string>{"photo.jpg", "notes.docx"}));
  EXPECT_EQ(event::format_time(*out.time()), "2026-03-01T10:00:04.000000Z");
  EXPECT_EQ(raw_or_empty(out, "aCode"), "AAA111");
}

TEST(MimecastGateway, JsonLinesAreReadToo) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line(R"({"datetime":"2026-03-01T11:00:00+0000","aCode":"J1","acc":"C0A0","Dir":"Outbound",)"
           R"("Subject":"json | subject","Sender":"jane@force.police.uk","Rcpt":"x@paper.example",)"
           R"("Act":"Acc","SpamProcessingDetail":{"spf":{"allow":true}}})"),
      line(R"({"datetime":"2026-03-01T11:00:03+0000","aCode":"J1","Delivered":"true",)"
           R"("Rcpt":"x@paper.example","Sender":"jane@force.police.uk"})"),
  });
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_subject), "json | subject");
  EXPECT_EQ(str(h.events[0], F::email_action), "delivered");
}

// Keys are matched in any case, and the first of a repeated key is the one read, even when
// it is empty; the line's fields are indexed once, so this pins that reading.
TEST(MimecastGateway, KeysInAnyCaseAndTheFirstOfARepeatedKeyIsRead) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line("ACODE=K1|sender=first@force.police.uk|Sender=second@force.police.uk|DIR=Outbound|"
           "subject=|Subject=\\second subject\\|RCPT=x@paper.example|act=Acc"),
      line("acode=K1|DELIVERED=true|rcpt=x@paper.example|snt=42"),
  });
  ASSERT_EQ(h.events.size(), 1u);
  const auto& e = h.events[0];
  EXPECT_EQ(str(e, F::email_from), "first@force.police.uk");
  EXPECT_EQ(str(e, F::email_direction), "outbound");
  EXPECT_EQ(str(e, F::email_to), "x@paper.example");
  EXPECT_EQ(str(e, F::email_action), "delivered");
  EXPECT_EQ(str(e, F::email_subject), "");  // the first Subject is empty: the second is not read
  EXPECT_EQ(raw_or_empty(e, "snt"), "42");
}

TEST(MimecastGateway, DeliveryBeforeReceiptWaitsForTheSubject) {
  GatewayHarness h(mimecast_source());
  h.lines({line("aCode=C1|Delivered=true|Rcpt=x@paper.example|Sender=jane@force.police.uk")});
  EXPECT_TRUE(h.events.empty());
  h.lines(
      {line("aCode=C1|Dir=Outbound|Subject=\\late receipt\\|Sender=jane@force.police.uk|"
            "Rcpt=x@paper.example|Act=Acc")});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_subject), "late receipt");
  EXPECT_EQ(raw_or_empty(h.events[0], "delivered"), "true");
}

TEST(MimecastGateway, MissingReceiptIsFlushedAtTimeoutWithWhatIsKnown) {
  GatewayHarness h(mimecast_source());
  h.lines(
      {line("aCode=C2|Delivered=false|Rcpt=x@paper.example|Sender=jane@force.police.uk|"
            "RejType=Recipient Rejected|RejCode=550")});
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 1u);
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[0], "rej_code"), "550");
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
}

std::uint64_t flushed_incomplete(const DecodeCounters& c, PayloadFormat f) {
  return c.flushed_incomplete[static_cast<std::size_t>(f)].load();
}

TEST(MimecastGateway, ReceiptWithoutDeliveryIsFlushedAsAccepted) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line("datetime=2026-03-01T11:00:00+0000|aCode=A1|Dir=Outbound|Subject=\\only receipts\\|"
           "Sender=jane@force.police.uk|Rcpt=x@paper.example, y@paper.example|Act=Acc"),
      line("datetime=2026-03-01T11:00:05+0000|aCode=A1|Delivered=true|Rcpt=x@paper.example|"
           "Sender=jane@force.police.uk"),
  });
  ASSERT_EQ(h.events.size(), 1u);                                       // x's delivery
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(5)), 0u);  // not idle long enough
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 1u);
  ASSERT_EQ(h.events.size(), 2u);
  const auto& e = h.events[1];
  EXPECT_EQ(str(e, F::email_to), "y@paper.example");
  EXPECT_EQ(str(e, F::email_action), "accepted");
  EXPECT_EQ(str(e, F::email_subject), "only receipts");
  EXPECT_EQ(str(e, F::email_direction), "outbound");
  EXPECT_EQ(event::format_time(*e.time()), "2026-03-01T11:00:00.000000Z");  // the receipt's
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
  EXPECT_EQ(flushed_incomplete(h.counters, PayloadFormat::mimecast), 1u);
  EXPECT_EQ(flushed_incomplete(h.counters, PayloadFormat::postfix), 0u);
}

TEST(MimecastGateway, ReceiptOnlyAtShutdownIsEmittedAndCountedButNotATimeout) {
  GatewayHarness h(mimecast_source());
  h.lines({line("aCode=A2|Sender=jane@force.police.uk|Rcpt=x@paper.example|Act=Acc")});
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(h.flush_all(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_action), "accepted");
  EXPECT_EQ(h.counters.evicted_timeout.load(), 0u);
  EXPECT_EQ(flushed_incomplete(h.counters, PayloadFormat::mimecast), 1u);
}

TEST(MimecastGateway, CompleteOrHeldMessagesGiveNothingMoreAtTheFlush) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line("aCode=D1|Sender=jane@force.police.uk|Rcpt=x@paper.example|Act=Acc"),
      line("aCode=D1|Delivered=true|Rcpt=x@paper.example"),
      line("aCode=D2|Sender=jane@force.police.uk|Rcpt=x@paper.example|Act=Hld|Hld=Policy"),
  });
  ASSERT_EQ(h.events.size(), 2u);  // delivered, held
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 0u);
  // The held message never saw its delivery: unfinished, but already told as "held".
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
  EXPECT_EQ(flushed_incomplete(h.counters, PayloadFormat::mimecast), 1u);
}

TEST(MimecastGateway, ReceiptPushedOutAtMaxOpenIsEmittedAsAccepted) {
  SourceMapping s = mimecast_source();
  s.assembly.max_open = 1;
  GatewayHarness h(s);
  h.lines({line("aCode=E1|Sender=jane@force.police.uk|Rcpt=x@paper.example|Act=Acc"),
           line("aCode=E2|Sender=jane@force.police.uk|Rcpt=y@paper.example|Act=Acc")});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_to), "x@paper.example");
  EXPECT_EQ(str(h.events[0], F::email_action), "accepted");
  EXPECT_EQ(h.counters.evicted_capacity.load(), 1u);
  EXPECT_EQ(flushed_incomplete(h.counters, PayloadFormat::mimecast), 1u);
}

TEST(MimecastGateway, RejectedAndHeldReceipts) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line("aCode=R1|Dir=Inbound|Sender=spam@bad.example|Rcpt=jane@force.police.uk|Act=Rej|"
           "RejType=Spam|RejCode=554|RejInfo=blocked"),
      line("aCode=H1|Dir=Outbound|Subject=\\files\\|Sender=jane@force.police.uk|"
           "Rcpt=x@paper.example|Act=Acc"),
      line("aCode=H1|Act=Hld|Hld=Policy|AttCnt=1|AttNames=\"custody.xlsx\"|MsgSize=1"),
  });
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[0], "rej_info"), "blocked");
  EXPECT_EQ(str(h.events[1], F::email_action), "held");
  EXPECT_EQ(raw_or_empty(h.events[1], "held_reason"), "Policy");
  EXPECT_EQ(h.open_messages(), 1u);  // H1 stays open for a release and delivery
}

TEST(MimecastGateway, BoundOnOpenMessages) {
  SourceMapping s = mimecast_source();
  s.assembly.max_open = 2;
  GatewayHarness h(s);
  for (int i = 0; i < 4; ++i)
    h.lines({line("aCode=B" + std::to_string(i) +
                  "|Delivered=true|Rcpt=x@paper.example|"
                  "Sender=jane@force.police.uk")});
  EXPECT_EQ(h.open_messages(), 2u);
  EXPECT_EQ(h.counters.evicted_capacity.load(), 2u);
  EXPECT_EQ(h.events.size(), 2u);  // evicted deliveries are emitted with what is known
}

TEST(MimecastGateway, HostileAndTruncatedLines) {
  GatewayHarness h(mimecast_source());
  h.lines({
      line("aCode=T1|Subject=\\never closed|Sender=jane@force.police.uk|Rcpt=x@p.example"),
      line("aCode=T2|SpamProcessingDetail={\"a\":\"}|{\"|Delivered=tr"),
      line("no pairs here at all"),
      line("aCode=|Delivered=true"),
      // 66: the literal with its embedded NUL (70 read past its end; ASan caught it).
      line(std::string("aCode=T3|Subject=\\\xff\0x\\|Rcpt=x@p.example|Sender=a@b.example|"
                       "Act=Acc",
                       66)),
  });
  h.flush_all();
  for (const auto& e : h.events) EXPECT_TRUE(e.has(F::email_to));
  auto bad = h.line(line("{\"aCode\": \"x\", "));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "decode.bad_payload");
}

}  // namespace
}  // namespace probity::decode::testing
