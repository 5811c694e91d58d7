// The "exchange" gateway format: message-tracking CSV rows (field order from the log's
// #Fields header) joined by message, and Exchange Online message trace JSON rows.
#include <gtest/gtest.h>

#include <map>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

SourceMapping exchange_source() {
  SourceMapping s = default_source("exchange");
  s.internal_domains = {"force.police.uk"};
  return s;
}

constexpr std::string_view kFields30 =
    "date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
    "connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
    "recipient-address,recipient-status,total-bytes,recipient-count,"
    "related-recipient-address,reference,message-subject,sender-address,return-path,"
    "message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,"
    "transport-traffic-type,log-id,schema-version";

// The pre-2013 layout: no network-message-id and none of the last three.
constexpr std::string_view kFieldsOld =
    "date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
    "connector-id,source,event-id,internal-message-id,message-id,recipient-address,"
    "recipient-status,total-bytes,recipient-count,related-recipient-address,reference,"
    "message-subject,sender-address,return-path,message-info,directionality,tenant-id,"
    "original-client-ip,original-server-ip,custom-data";

std::string exchange_line(std::string_view msg, std::string_view host = "exch01") {
  return "<134>1 2026-03-01T11:59:58Z " + std::string(host) + " exchange - - - " + std::string(msg);
}

std::string csv_cell(std::string_view v) {
  if (v.find_first_of(",\"") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (const char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

/// A CSV row in the order of `fields`, from name → value (others empty).
std::string row(const std::map<std::string, std::string>& values,
                std::string_view fields = kFields30) {
  std::string out;
  bool first = true;
  for (std::size_t start = 0;;) {
    const std::size_t comma = fields.find(',', start);
    const std::string name(fields.substr(start, comma - start));
    if (!first) out += ',';
    first = false;
    const auto it = values.find(name);
    if (it != values.end()) out += csv_cell(it->second);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> header(std::string_view fields = kFields30) {
  return {exchange_line("#Software: Microsoft Exchange Server"),
          exchange_line("#Version: 15.02.1118.007"),
          exchange_line("#Log-type: Message Tracking Log"),
          exchange_line("#Date: 2026-03-01T11:00:00.000Z"),
          exchange_line("#Fields: " + std::string(fields))};
}

void feed(GatewayHarness& h, const std::vector<std::string>& lines) {
  for (const auto& l : lines) {
    auto r = h.line(l);
    EXPECT_TRUE(r) << l << ": " << (r ? "" : r.error().message);
  }
}

std::map<std::string, std::string> base(std::string nmid, std::string event_id) {
  return {{"date-time", "2026-03-01T11:00:00.100Z"},
          {"server-hostname", "EXCH01"},
          {"event-id", std::move(event_id)},
          {"network-message-id", std::move(nmid)},
          {"schema-version", "15.02.1118.007"}};
}

std::map<std::string, std::string> with(std::map<std::string, std::string> m,
                                        std::map<std::string, std::string> more) {
  for (auto& [k, v] : more) m[k] = v;
  return m;
}

TEST(ExchangeGateway, InterleavedMessagesGiveOneEventPerRecipientOnTheFinalEvent) {
  GatewayHarness h(exchange_source());
  feed(h, header());
  const auto out = base("aaaa-1111", "RECEIVE");
  const auto in = base("bbbb-2222", "RECEIVE");
  feed(h,
       {
           exchange_line(
               row(with(out, {{"client-ip", "10.1.2.3"},
                              {"source", "STOREDRIVER"},
                              {"message-id", "<m1@force.police.uk>"},
                              {"recipient-address", "newsdesk@paper.example;bob@force.police.uk"},
                              {"total-bytes", "5120"},
                              {"message-subject", "Re: tonight, \"the story\""},
                              {"sender-address", "jane.doe@force.police.uk"},
                              {"directionality", "Originating"}}))),
           exchange_line(row(with(in, {{"client-ip", "198.51.100.7"},
                                       {"source", "SMTP"},
                                       {"message-id", "<p1@other.example>"},
                                       {"recipient-address", "jane.doe@force.police.uk"},
                                       {"message-subject", "Press enquiry"},
                                       {"sender-address", "press@other.example"},
                                       {"directionality", "Incoming"}}))),
           exchange_line(row(with(out, {{"event-id", "SUBMIT"}, {"source", "STOREDRIVER"}}))),
           exchange_line(row(with(in, {{"event-id", "DELIVER"},
                                       {"date-time", "2026-03-01T11:00:02.000Z"},
                                       {"source", "STOREDRIVER"},
                                       {"recipient-address", "jane.doe@force.police.uk"},
                                       {"sender-address", "press@other.example"}}))),
           exchange_line(row(with(out, {{"event-id", "SEND"},
                                        {"date-time", "2026-03-01T11:00:03.000Z"},
                                        {"source", "SMTP"},
                                        {"connector-id", "Internet"},
                                        {"recipient-address", "newsdesk@paper.example"},
                                        {"recipient-status", "250 2.6.0 Queued mail for delivery"},
                                        {"sender-address", "jane.doe@force.police.uk"}}))),
           exchange_line(row(with(out, {{"event-id", "DELIVER"},
                                        {"date-time", "2026-03-01T11:00:04.000Z"},
                                        {"recipient-address", "bob@force.police.uk"},
                                        {"sender-address", "jane.doe@force.police.uk"}}))),
       });
  ASSERT_EQ(h.events.size(), 3u);
  const auto& inbound = h.events[0];
  EXPECT_EQ(str(inbound, F::email_from), "press@other.example");
  EXPECT_EQ(str(inbound, F::email_direction), "inbound");
  EXPECT_EQ(str(inbound, F::email_action), "delivered");
  EXPECT_EQ(raw_or_empty(inbound, "client-ip"), "198.51.100.7");

  const auto& sent = h.events[1];
  EXPECT_EQ(str(sent, F::email_to), "newsdesk@paper.example");
  EXPECT_EQ(str(sent, F::email_subject), "Re: tonight, \"the story\"");
  EXPECT_EQ(str(sent, F::email_message_id), "<m1@force.police.uk>");
  EXPECT_EQ(integer(sent, F::email_size), 5120);
  EXPECT_EQ(str(sent, F::email_direction), "outbound");
  EXPECT_EQ(str(sent, F::email_action), "delivered");
  EXPECT_EQ(str(sent, F::gateway), "exchange");
  EXPECT_EQ(str(sent, F::source_host), "EXCH01");
  EXPECT_EQ(event::format_time(*sent.time()), "2026-03-01T11:00:03.000000Z");
  EXPECT_EQ(raw_or_empty(sent, "event-id"), "SEND");
  EXPECT_EQ(raw_or_empty(sent, "client-ip"), "10.1.2.3");
  EXPECT_EQ(raw_or_empty(sent, "recipient-status"), "250 2.6.0 Queued mail for delivery");

  EXPECT_EQ(str(h.events[2], F::email_to), "bob@force.police.uk");
  EXPECT_EQ(str(h.events[2], F::email_direction), "internal");
  // Every recipient reached its final event: nothing more at the timeout.
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 0u);
  EXPECT_EQ(h.counters.evicted_timeout.load(), 0u);
  EXPECT_EQ(h.open_messages(), 0u);
}

TEST(ExchangeGateway, WithoutInternalDomainsDirectionalityIsUsed) {
  GatewayHarness h(default_source("exchange"));
  feed(h, header());
  feed(h,
       {exchange_line(row(with(base("c-1", "DELIVER"), {{"recipient-address", "a@force.police.uk"},
                                                        {"sender-address", "x@other.example"},
                                                        {"directionality", "Incoming"}})))});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_direction), "inbound");
}

TEST(ExchangeGateway, FieldOrderComesFromTheHeaderPerHost) {
  GatewayHarness h(exchange_source());
  feed(h, header(kFieldsOld));
  // A second server with the 30-field layout, interleaved with the first.
  std::vector<std::string> second;
  for (const auto& l : header())
    second.push_back(exchange_line(l.substr(l.find(" - - - ") + 7), "exch02"));
  feed(h, second);
  std::map<std::string, std::string> old = {
      {"date-time", "2026-03-01T11:00:00.000Z"}, {"event-id", "DELIVER"},
      {"message-id", "<old@force.police.uk>"},   {"recipient-address", "a@force.police.uk"},
      {"message-subject", "old, layout"},        {"sender-address", "b@force.police.uk"}};
  feed(h,
       {exchange_line(row(old, kFieldsOld)),
        exchange_line(row(with(base("n-2", "DELIVER"), {{"recipient-address", "c@force.police.uk"},
                                                        {"message-subject", "new layout"},
                                                        {"sender-address", "d@force.police.uk"}})),
                      "exch02")});
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_subject), "old, layout");
  EXPECT_EQ(str(h.events[0], F::email_message_id), "<old@force.police.uk>");
  EXPECT_EQ(str(h.events[1], F::email_subject), "new layout");
  EXPECT_EQ(str(h.events[1], F::source_host), "EXCH01");
}

TEST(ExchangeGateway, RowsBeforeAnyHeaderUseThe30FieldLayoutOrAreRejected) {
  GatewayHarness h(exchange_source());
  feed(h, {exchange_line(
              row(with(base("d-1", "DELIVER"), {{"recipient-address", "a@force.police.uk"},
                                                {"sender-address", "b@force.police.uk"}})))});
  EXPECT_EQ(h.events.size(), 1u);
  auto r = h.line(exchange_line("2026-03-01T11:00:00.000Z,,,DELIVER,x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "decode.bad_payload");
  EXPECT_NE(r.error().message.find("#Fields"), std::string::npos);
}

TEST(ExchangeGateway, IntraOrganizationSendIsAHopAndDuplicatesAreNotRepeated) {
  GatewayHarness h(exchange_source());
  feed(h, header());
  const auto m = with(base("e-1", "RECEIVE"), {{"recipient-address", "a@force.police.uk"},
                                               {"sender-address", "x@other.example"}});
  feed(h,
       {exchange_line(row(m)),
        exchange_line(row(with(m, {{"event-id", "SEND"},
                                   {"connector-id", "Intra-Organization SMTP Send Connector"}}))),
        exchange_line(row(with(m, {{"event-id", "DELIVER"}, {"server-hostname", "EXCH02"}}))),
        exchange_line(row(with(m, {{"event-id", "DUPLICATEDELIVER"}}))),
        exchange_line(row(with(m, {{"event-id", "DELIVER"}})))});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::source_host), "EXCH02");
}

TEST(ExchangeGateway, FailDeferAndGroupExpansion) {
  GatewayHarness h(exchange_source());
  feed(h, header());
  const auto m = with(base("f-1", "RECEIVE"),
                      {{"recipient-address", "press-team@force.police.uk;gone@paper.example"},
                       {"sender-address", "jane@force.police.uk"}});
  feed(h,
       {exchange_line(row(m)),
        exchange_line(row(with(m, {{"event-id", "EXPAND"},
                                   {"recipient-address", "p1@force.police.uk;p2@force.police.uk"},
                                   {"related-recipient-address", "press-team@force.police.uk"}}))),
        exchange_line(
            row(with(m, {{"event-id", "DEFER"}, {"recipient-address", "gone@paper.example"}}))),
        exchange_line(
            row(with(m, {{"event-id", "DEFER"}, {"recipient-address", "gone@paper.example"}}))),
        exchange_line(row(with(m, {{"event-id", "FAIL"},
                                   {"recipient-address", "gone@paper.example"},
                                   {"recipient-status", "550 5.4.300 Message expired"}}))),
        exchange_line(
            row(with(m, {{"event-id", "DELIVER"},
                         {"recipient-address", "p1@force.police.uk;p2@force.police.uk"}})))});
  ASSERT_EQ(h.events.size(), 4u);
  EXPECT_EQ(str(h.events[0], F::email_action), "deferred");
  EXPECT_EQ(str(h.events[1], F::email_action), "rejected");
  EXPECT_EQ(raw_or_empty(h.events[1], "recipient-status"), "550 5.4.300 Message expired");
  EXPECT_EQ(str(h.events[2], F::email_to), "p1@force.police.uk");
  EXPECT_EQ(str(h.events[3], F::email_to), "p2@force.police.uk");
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 0u);  // the group: expanded
}

TEST(ExchangeGateway, MissingFinalEventIsFlushedAtTimeoutWithoutAnAction) {
  GatewayHarness h(exchange_source());
  feed(h, header());
  const auto m =
      with(base("g-1", "RECEIVE"), {{"recipient-address", "a@force.police.uk;desk@paper.example"},
                                    {"message-subject", "lost send"},
                                    {"sender-address", "jane@force.police.uk"}});
  feed(h, {exchange_line(row(m)),
           exchange_line(row(
               with(m, {{"event-id", "DELIVER"}, {"recipient-address", "a@force.police.uk"}})))});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(5)), 0u);
  EXPECT_EQ(h.flush_expired(kReceived + std::chrono::minutes(11)), 1u);
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[1], F::email_to), "desk@paper.example");
  EXPECT_EQ(str(h.events[1], F::email_subject), "lost send");
  EXPECT_FALSE(h.events[1].has(F::email_action));
  EXPECT_EQ(h.counters.evicted_timeout.load(), 1u);
  EXPECT_EQ(h.open_messages(), 0u);
}

TEST(ExchangeGateway, BoundOnOpenMessages) {
  SourceMapping s = exchange_source();
  s.assembly.max_open = 2;
  GatewayHarness h(s);
  feed(h, header());
  for (int i = 0; i < 4; ++i)
    feed(h, {exchange_line(row(with(base("h-" + std::to_string(i), "RECEIVE"),
                                    {{"recipient-address", "x@paper.example"},
                                     {"sender-address", "jane@force.police.uk"}})))});
  EXPECT_EQ(h.open_messages(), 2u);
  EXPECT_EQ(h.counters.evicted_capacity.load(), 2u);
  EXPECT_EQ(h.events.size(), 2u);  // pushed out with what is known
}

TEST(ExchangeGateway, TruncatedAndHostileRows) {
  GatewayHarness h(exchange_source());
  feed(h, header());
  const std::string full =
      row(with(base("t-1", "DELIVER"), {{"recipient-address", "a@force.police.uk"},
                                        {"message-subject", "cut, here"},
                                        {"sender-address", "b@force.police.uk"}}));
  // Cut in the first field, inside the quoted subject, and just before the sender.
  for (const std::size_t cut : {std::size_t{10}, full.find("cut, ") + 4, full.find("b@force")}) {
    auto r = h.line(exchange_line(full.substr(0, cut)));
    ASSERT_FALSE(r) << cut;
    EXPECT_EQ(r.error().code, "decode.bad_payload");
  }
  auto garbage = h.line(exchange_line("\"a\"b,c"));
  ASSERT_FALSE(garbage);
  // A subject that looks like more fields and a recipient, and invalid UTF-8, stay a
  // subject: quoting decides, not commas.
  feed(h, {exchange_line(row(with(base("t-2", "DELIVER"),
                                  {{"recipient-address", "a@force.police.uk"},
                                   {"message-subject", "x\",DELIVER,,evil@paper.example,\"\xff"},
                                   {"sender-address", "b@force.police.uk"}})))});
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(str(h.events[0], F::email_to), "a@force.police.uk");
  EXPECT_NE(str(h.events[0], F::email_subject).find("evil@paper.example"), std::string::npos);
  EXPECT_EQ(h.counters.bad_payload.load(), 4u);
  // A flood of fake hosts sending headers stays bounded; rows keep decoding.
  for (int i = 0; i < 5000; ++i)
    ASSERT_TRUE(h.line(exchange_line("#Fields: a,b", "flood" + std::to_string(i))));
  feed(h, {exchange_line(
              row(with(base("t-3", "DELIVER"), {{"recipient-address", "c@force.police.uk"},
                                                {"sender-address", "b@force.police.uk"}})))});
  EXPECT_EQ(h.events.size(), 2u);
}

TEST(ExchangeGateway, OtherLogTypesOnTheStreamAreIgnored) {
  GatewayHarness h(exchange_source());
  feed(
      h,
      {exchange_line("#Software: Microsoft Exchange Server"),
       exchange_line("#Log-type: Transport Connectivity Log"),
       exchange_line("#Fields: date-time,session,source,Destination,direction,description"),
       exchange_line("2026-03-01T11:00:00.000Z,08DC,SMTP,mx.paper.example,>,\"Established, ok\"")});
  EXPECT_TRUE(h.events.empty());
  EXPECT_EQ(h.open_messages(), 0u);
}

TEST(ExchangeOnlineTrace, JsonRowsGiveOneEventEach) {
  SourceMapping s = default_source("exchange-online");
  s.internal_domains = {"force.police.uk"};
  GatewayHarness h(s);
  const auto trace = [](std::string_view json) {
    return "<134>1 2026-03-01T11:59:58Z collector exchange-online - - - " + std::string(json);
  };
  feed(
      h,
      {trace(R"({"Organization":"force.onmicrosoft.com","MessageId":"<m9@force.police.uk>",)"
             R"("Received":"2026-03-01T10:59:00.1234567","SenderAddress":"jane@force.police.uk",)"
             R"("RecipientAddress":"desk@paper.example","Subject":"tonight, 8pm",)"
             R"("Status":"Delivered","ToIP":"203.0.113.5","FromIP":"10.1.2.3","Size":20480,)"
             R"("MessageTraceId":"9f1c-77"})"),
       trace(
           R"({"Received":"\/Date(1772362800000)\/","SenderAddress":"x@other.example",)"
           R"("RecipientAddress":"jane@force.police.uk","Subject":"spam","Status":"FilteredAsSpam"})"),
       trace(R"({"Received":"2026-03-01T10:59:00Z","SenderAddress":"jane@force.police.uk",)"
             R"("RecipientAddress":"team@force.police.uk","Status":"Expanded"})"),
       trace(R"({"Index":0,"StartDate":"2026-03-01","EndDate":"2026-03-02"})")});
  ASSERT_EQ(h.events.size(), 3u);
  const auto& e = h.events[0];
  EXPECT_EQ(str(e, F::email_to), "desk@paper.example");
  EXPECT_EQ(str(e, F::email_subject), "tonight, 8pm");
  EXPECT_EQ(str(e, F::email_action), "delivered");
  EXPECT_EQ(str(e, F::email_direction), "outbound");
  EXPECT_EQ(integer(e, F::email_size), 20480);
  EXPECT_EQ(str(e, F::gateway), "exchange-online");
  EXPECT_EQ(event::format_time(*e.time()), "2026-03-01T10:59:00.123456Z");
  EXPECT_EQ(raw_or_empty(e, "to_ip"), "203.0.113.5");
  EXPECT_EQ(str(h.events[1], F::email_action), "quarantined");
  EXPECT_EQ(event::format_time(*h.events[1].time()), "2026-03-01T11:00:00.000000Z");
  EXPECT_FALSE(h.events[2].has(F::email_action));
  EXPECT_EQ(raw_or_empty(h.events[2], "status"), "Expanded");
  EXPECT_EQ(h.open_messages(), 0u);
  auto cut = h.line(trace(R"({"SenderAddress":"jane@force.police.uk","Recipient)"));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "decode.bad_payload");
}

}  // namespace
}  // namespace probity::decode::testing
