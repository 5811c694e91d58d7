// The "proofpoint-pod" source: Proofpoint on Demand's JSON message log, one record per
// message, read field by field from PoD's documented schema.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

SourceMapping pod_source() {
  SourceMapping s = default_source("proofpoint-pod");
  s.internal_domains = {"force.police.uk"};
  return s;
}

std::string line(std::string_view json) {
  return "<134>1 2026-03-01T11:59:58Z collector01 proofpoint-pod - - - " + std::string(json);
}

// Shaped like a PoD log API message record: wide (parts with hashes and URLs, every
// module's actions) but only some fields matter.
constexpr std::string_view kOutbound =
    R"({"connection":{"country":"gb","helo":"ws12.force.police.uk","host":"ws12.force.police.uk",)"
    R"("ip":"10.1.2.3","protocol":"smtp:smtp","sid":"3y8abcd123","tls":{"inbound":{"cipher":)"
    R"("ECDHE-RSA-AES256-GCM-SHA384","cipherBits":256,"version":"TLSv1.2"}}},"envelope":)"
    R"({"from":"jane.doe@force.police.uk","rcpts":["newsdesk@paper.example","bob@force.police.uk"]},)"
    R"("filter":{"actions":[{"action":"continue","isFinal":true,"module":"access","rule":"system"},)"
    R"({"action":"continue","module":"spam","rule":"notspam"}],"delivered":{"rcpts":)"
    R"(["newsdesk@paper.example","bob@force.police.uk"]},"disposition":"continue",)"
    R"("durationSecs":0.11,"msgSizeBytes":48213,"qid":"44ABCDm0000123","routeDirection":"outbound",)"
    R"("routes":["allow_relay"],"suborgs":{"rcpts":["0","0"],"sender":"0"}},)"
    R"("guid":"vRq4ZIFWHXbuABCDEFghij0U4VvIc71x","metadata":{"origin":{"data":{"agent":)"
    R"("m0000123.ppops.net","cid":"force_hosted","version":"8.21.0.1358"}}},"msg":{"header":)"
    R"({"from":["\"Jane Doe\" <jane.doe@force.police.uk>"],"message-id":["<m1@force.police.uk>"],)"
    R"("subject":["Tonight"],"to":["newsdesk@paper.example"]},"lang":"en","sizeBytes":48200},)"
    R"("msgParts":[{"md5":"5d41402abc4b2a76b9719d911017c592","sizeDecodedBytes":388,)"
    R"("detectedMime":"text/plain","detectedName":"text.txt","labeledName":"text.txt",)"
    R"("disposition":"inline","urls":[{"isRewritten":true,"url":"https://x.example/","src":)"
    R"(["urldefense"]}],"metadata":{},"structureId":"0"},{"md5":"dbcc9cc02056791cb01fa952370ced27",)"
    R"("detectedMime":"application/vnd.ms-excel","detectedName":"custody.xlsx","labeledName":)"
    R"("custody record.xlsx","disposition":"attachment","metadata":{},"structureId":"1"}],)"
    R"("ts":"2026-03-01T11:00:00.058340-0000"})";

TEST(PodGateway, MessageRecordGivesOneEventPerRecipientWithIdsFromTheGuid) {
  GatewayHarness h(pod_source());
  h.lines({line(kOutbound)});
  ASSERT_EQ(h.events.size(), 2u);
  const auto& out = h.events[0];
  EXPECT_EQ(str(out, F::email_from), "jane.doe@force.police.uk");
  EXPECT_EQ(str(out, F::email_to), "newsdesk@paper.example");
  EXPECT_EQ(str(out, F::email_subject), "Tonight");
  EXPECT_EQ(str(out, F::email_message_id), "<m1@force.police.uk>");
  EXPECT_EQ(str(out, F::email_action), "delivered");
  EXPECT_EQ(str(out, F::email_direction), "outbound");
  EXPECT_EQ(str(out, F::gateway), "proofpoint-pod");
  EXPECT_EQ(str(out, F::source_host), "m0000123.ppops.net");
  EXPECT_EQ(integer(out, F::email_size), 48200);
  EXPECT_EQ(integer(out, F::email_attachments_count), 1);
  const auto* names = std::get_if<std::vector<std::string>>(&out.get(F::email_attachments_names));
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(*names, (std::vector<std::string>{"custody.xlsx"}));
  EXPECT_EQ(event::format_time(*out.time()), "2026-03-01T11:00:00.058340Z");
  EXPECT_EQ(str(out, F::event_id), "vRq4ZIFWHXbuABCDEFghij0U4VvIc71x/newsdesk@paper.example");
  EXPECT_EQ(raw_or_empty(out, "qid"), "44ABCDm0000123");
  EXPECT_EQ(raw_or_empty(out, "client_ip"), "10.1.2.3");
  EXPECT_EQ(raw_or_empty(out, "disposition"), "continue");
  EXPECT_EQ(raw_or_empty(out, "md5"), "");  // dropped, not kept as raw
  EXPECT_EQ(str(h.events[1], F::email_direction), "internal");
  EXPECT_EQ(str(h.events[1], F::event_id), "vRq4ZIFWHXbuABCDEFghij0U4VvIc71x/bob@force.police.uk");

  // The same record re-sent through another collector keeps its ids.
  GatewayHarness again(pod_source());
  again.lines(
      {"<134>1 2026-03-02T08:00:00Z other-host proofpoint-pod - - - " + std::string(kOutbound)});
  ASSERT_EQ(again.events.size(), 2u);
  EXPECT_EQ(str(again.events[0], F::event_id), str(out, F::event_id));
}

TEST(PodGateway, DispositionsGiveTheCanonicalActions) {
  const std::pair<std::string_view, std::string_view> cases[] = {{"reject", "rejected"},
                                                                 {"discard", "rejected"},
                                                                 {"quarantine", "quarantined"},
                                                                 {"accept", "delivered"},
                                                                 {"retry", ""}};
  for (const auto& [disposition, action] : cases) {
    GatewayHarness h(pod_source());
    h.lines({line(R"({"guid":"g1","ts":"2026-03-01T11:00:00.000000+0100","envelope":)"
                  R"({"from":"x@bad.example","rcpts":["jane.doe@force.police.uk"]},)"
                  R"("filter":{"disposition":")" +
                  std::string(disposition) +
                  R"(","quarantine":{"folder":"Phish","rule":"phish"}},)"
                  R"("msg":{"header":{"subject":["a","b"]}}})")});
    ASSERT_EQ(h.events.size(), 1u) << disposition;
    EXPECT_EQ(str(h.events[0], F::email_action), action) << disposition;
    EXPECT_EQ(str(h.events[0], F::email_direction), "inbound");
    EXPECT_EQ(str(h.events[0], F::email_subject), "a");
    EXPECT_EQ(str(h.events[0], F::event_id), "g1");  // one recipient: the guid itself
    EXPECT_EQ(event::format_time(*h.events[0].time()), "2026-03-01T10:00:00.000000Z");
    EXPECT_EQ(raw_or_empty(h.events[0], "quarantine_folder"), "Phish");
  }
}

TEST(PodGateway, WideRecordsAreReadAndHostileOnesRejected) {
  // 400 parts of 5 fields each: far past kMaxPayloadFields, all dropped but the names.
  std::string parts;
  for (int i = 0; i < 400; ++i)
    parts += std::string(i ? "," : "") + R"({"md5":"a","sha256":"b","sizeDecodedBytes":1,)" +
             R"("urls":[],"detectedName":"f)" + std::to_string(i) + R"(.pdf"})";
  GatewayHarness h(pod_source());
  auto wide = h.line(line(R"({"envelope":{"from":"a@b.example","rcpts":["c@d.example"]},)"
                          R"("msgParts":[)" +
                          parts + "]}"));
  // Its 400 names are over the field limit: rejected as such, not cut short.
  ASSERT_FALSE(wide);
  EXPECT_EQ(wide.error().code, "decode.too_many_fields");

  auto deep = h.line(line(std::string(100, '[')));
  ASSERT_FALSE(deep);
  auto not_json = h.line(line("envelope.from=x"));
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().code, "decode.bad_payload");
  auto no_rcpt = h.line(line(R"({"envelope":{"from":"a@b.example"}})"));
  ASSERT_FALSE(no_rcpt);
  EXPECT_EQ(no_rcpt.error().code, "decode.missing_field");
  auto bad_time = h.line(line(R"({"ts":"yesterday","envelope":{"from":"a@b.example",)"
                              R"("rcpts":["c@d.example"]}})"));
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().code, "decode.bad_value");
  EXPECT_EQ(h.counters.bad_payload.load(), 3u);
}

}  // namespace
}  // namespace probity::decode::testing
