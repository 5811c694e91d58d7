// Payload format csv: one CSV row per MSG, columns from config or from each stream's first
// row, RFC 4180 quoting, the field mapping applied to the named cells.
#include <gtest/gtest.h>

#include "test_support.h"

namespace probity::decode {
namespace {

using event::FieldId;
using namespace testing;
using namespace std::string_literals;

SourceMapping csv_source(std::vector<std::string> columns = {}) {
  SourceMapping s = kv_source("csv-app");
  s.format = PayloadFormat::csv;
  s.csv_columns = std::move(columns);
  s.csv_header_first_row = s.csv_columns.empty();
  s.fields = {{FieldId::event_time, "time", ""},
              {FieldId::user_id, "user", ""},
              {FieldId::source_system, "system", ""},
              {FieldId::action, "action", ""}};
  return s;
}

/// Feeds rows (one message each) and returns each row's outcome: events or an error.
struct Fed {
  std::vector<event::Event> events;
  std::vector<std::size_t> counts;  // per row; kError when the row was rejected
  std::vector<std::string> errors;
};
constexpr std::size_t kError = static_cast<std::size_t>(-1);

Fed feed(Decoder& d, const std::vector<std::string>& rows, std::string_view host = "host1",
         std::string_view app = "app") {
  Fed f;
  for (const auto& row : rows) {
    auto n = d.decode_into(text_message(row, app, host), kReceived, f.events);
    f.counts.push_back(n ? *n : kError);
    f.errors.push_back(n ? "" : n.error().code + ": " + n.error().message);
  }
  return f;
}

TEST(CsvDecoder, NamesCellsByConfiguredColumns) {
  Decoder d({csv_source({"time", "user", "system", "action"})}, nullptr);
  const auto ev = d.decode(text_message("2026-03-01T10:00:00Z,pc1,PNC,view"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  EXPECT_EQ(ev->str(FieldId::source_system), "PNC");
  EXPECT_EQ(ev->str(FieldId::action), "view");
  EXPECT_EQ(*ev->time(), at("2026-03-01T10:00:00Z"));
  EXPECT_EQ(*raw(*ev, "system"), "PNC");
}

TEST(CsvDecoder, TakesColumnsFromTheFirstRowOfAStream) {
  DecodeCounters counters;
  Decoder d({csv_source()}, nullptr, &counters);
  const Fed f = feed(d, {"user,action,system,time\r\n", "pc1,view,PNC,2026-03-01T10:00:00Z"});
  EXPECT_EQ(f.counts, (std::vector<std::size_t>{0, 1})) << f.errors[1];
  ASSERT_EQ(f.events.size(), 1u);
  EXPECT_EQ(f.events[0].str(FieldId::user_id), "pc1");
  EXPECT_EQ(f.events[0].str(FieldId::source_system), "PNC");
  EXPECT_EQ(*f.events[0].time(), at("2026-03-01T10:00:00Z"));
  EXPECT_EQ(counters.decoded.load(), 1u);  // the header row is neither an event nor an error
  EXPECT_EQ(counters.bad_payload.load(), 0u);
}

TEST(CsvDecoder, QuotedFieldsKeepDelimitersAndDoubledQuotes) {
  SourceMapping s = csv_source({"user", "action", "reason"});
  s.fields.push_back({FieldId::reason_text, "reason", ""});
  Decoder d({s}, nullptr);
  const auto ev =
      d.decode(text_message(R"("pc1","view","looked at ""Smith"", then, left")"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  EXPECT_EQ(ev->str(FieldId::reason_text), R"(looked at "Smith", then, left)");
  EXPECT_FALSE(d.decode(text_message(R"(pc1,view,"cut short)"), kReceived));
  EXPECT_FALSE(d.decode(text_message(R"(pc1,"view"x,y)"), kReceived));
}

TEST(CsvDecoder, SplitsOnAConfiguredDelimiter) {
  SourceMapping s = csv_source();
  s.csv_delimiter = ';';
  Decoder d({s}, nullptr);
  const Fed f = feed(d, {"user;system;action", "pc1;\"PNC; live\";view, then print"});
  ASSERT_EQ(f.events.size(), 1u) << f.errors[1];
  EXPECT_EQ(f.events[0].str(FieldId::source_system), "PNC; live");
  EXPECT_EQ(f.events[0].str(FieldId::action), "view, then print");
}

TEST(CsvDecoder, RejectsARowWithTheWrongFieldCount) {
  DecodeCounters counters;
  Decoder d({csv_source()}, nullptr, &counters);
  const Fed f = feed(d, {"user,system,action", "pc1,PNC", "pc1,PNC,view,extra"});
  EXPECT_EQ(f.counts, (std::vector<std::size_t>{0, kError, kError}));
  EXPECT_NE(f.errors[1].find("decode.bad_payload"), std::string::npos) << f.errors[1];
  EXPECT_NE(f.errors[1].find("has 2 fields, expected 3"), std::string::npos) << f.errors[1];
  EXPECT_NE(f.errors[2].find("has 4 fields, expected 3"), std::string::npos) << f.errors[2];
  EXPECT_NE(f.errors[1].find("source csv-app"), std::string::npos);
  EXPECT_EQ(counters.bad_payload.load(), 2u);

  Decoder configured({csv_source({"user", "action"})}, nullptr);
  const auto one = configured.decode(text_message("pc1"), kReceived);
  ASSERT_FALSE(one);
  EXPECT_NE(one.error().message.find("has 1 fields, expected 2"), std::string::npos);
}

TEST(CsvDecoder, SkipsARepeatedHeaderAndBlankRows) {
  Decoder d({csv_source()}, nullptr);
  const Fed f = feed(d, {"user,action", "pc1,view", "", "  \r\n", "user, action", "pc2,print"});
  EXPECT_EQ(f.counts, (std::vector<std::size_t>{0, 1, 0, 0, 0, 1}));
  ASSERT_EQ(f.events.size(), 2u);
  EXPECT_EQ(f.events[1].str(FieldId::user_id), "pc2");

  // With configured columns, a header row the file carries anyway is skipped too.
  Decoder configured({csv_source({"user", "action"})}, nullptr);
  const Fed g = feed(configured, {"user,action", "pc1,view"});
  EXPECT_EQ(g.counts, (std::vector<std::size_t>{0, 1}));
}

TEST(CsvDecoder, KeepsTheHeadersOfTwoStreamsApart) {
  Decoder d({csv_source()}, nullptr);
  Fed a = feed(d, {"user,action"}, "host1", "app");
  Fed b = feed(d, {"action,system,user"}, "host2", "app");
  a = feed(d, {"pc1,view"}, "host1", "app");
  b = feed(d, {"print,PNC,pc2"}, "host2", "app");
  ASSERT_EQ(a.events.size(), 1u) << a.errors[0];
  ASSERT_EQ(b.events.size(), 1u) << b.errors[0];
  EXPECT_EQ(a.events[0].str(FieldId::user_id), "pc1");
  EXPECT_EQ(a.events[0].str(FieldId::action), "view");
  EXPECT_EQ(b.events[0].str(FieldId::user_id), "pc2");
  EXPECT_EQ(b.events[0].str(FieldId::action), "print");
  EXPECT_EQ(b.events[0].str(FieldId::source_system), "PNC");

  SourceMapping s = csv_source();
  s.match.app_name = "app*";
  Decoder apps({s}, nullptr);
  feed(apps, {"user,action"}, "host1", "app");
  feed(apps, {"action,user"}, "host1", "app-2");
  const Fed x = feed(apps, {"pc1,view"}, "host1", "app");
  const Fed y = feed(apps, {"view,pc1"}, "host1", "app-2");
  ASSERT_EQ(x.events.size(), 1u) << x.errors[0];
  ASSERT_EQ(y.events.size(), 1u) << y.errors[0];
  EXPECT_EQ(x.events[0].str(FieldId::user_id), "pc1");
  EXPECT_EQ(y.events[0].str(FieldId::user_id), "pc1");
}

TEST(CsvDecoder, SurvivesHostileRows) {
  Decoder d({csv_source({"user", "action", "reason"})}, nullptr);
  // NULs and invalid UTF-8 inside cells are made safe by the mapper, not trusted.
  const std::string nul_row = "pc\0001,view,a\xff\xfe"s;
  const auto ev = d.decode(text_message(nul_row), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id).find('\0'), std::string::npos);
  // A huge quoted field is one cell, whatever it holds.
  const std::string huge = "pc1,view,\"" + std::string(200000, 'x') + ",\"\"" + "\"";
  const auto big = d.decode(text_message(huge), kReceived);
  ASSERT_TRUE(big) << big.error().message;
  EXPECT_EQ(raw(*big, "reason")->size(), 200002u);
  // More cells than kMaxPayloadFields: rejected before any are named.
  std::string wide = "pc1";
  for (int i = 0; i < 300; ++i) wide += ",x";
  const auto too_wide = d.decode(text_message(wide), kReceived);
  ASSERT_FALSE(too_wide);
  EXPECT_EQ(too_wide.error().code, "decode.too_many_fields");
  // Only quotes and delimiters.
  EXPECT_FALSE(d.decode(text_message("\""), kReceived));
  EXPECT_FALSE(d.decode(text_message(",,,,,,"), kReceived));

  // A stream's header may not be huge, and a flood of streams is bounded.
  Decoder first({csv_source()}, nullptr);
  const Fed h = feed(first, {std::string(kMaxCsvHeaderBytes + 1, 'h')});
  EXPECT_EQ(h.counts[0], kError);
  EXPECT_NE(h.errors[0].find("header row"), std::string::npos) << h.errors[0];
  for (std::size_t i = 0; i < kMaxCsvStreams + 50; ++i)
    feed(first, {"user,action"}, "h" + std::to_string(i));
  const Fed last = feed(first, {"pc9,view"}, "h" + std::to_string(kMaxCsvStreams + 49));
  ASSERT_EQ(last.events.size(), 1u) << last.errors[0];
}

TEST(CsvDecoder, AStreamSendingRowsKeepsItsHeaderThroughAFloodOfHosts) {
  DecodeCounters counters;
  Decoder d({csv_source()}, nullptr, &counters);
  feed(d, {"user,action,system,time"}, "real-host");
  // A full table's worth of forged hosts, each a header row, with the real stream's rows
  // in between: it is always more recently used than the oldest fake.
  std::size_t real_rows = 0;
  for (std::size_t i = 0; i < kMaxCsvStreams; ++i) {
    feed(d, {"a,b"}, "fake" + std::to_string(i));
    if (i % 64 == 0) {
      const Fed row = feed(d, {"pc1,view,PNC,2026-03-01T10:00:00Z"}, "real-host");
      ASSERT_EQ(row.counts[0], 1u) << "after " << i << " fakes: " << row.errors[0];
      ++real_rows;
    }
  }
  const Fed after = feed(d, {"pc1,view,PNC,2026-03-01T10:01:00Z"}, "real-host");
  ASSERT_EQ(after.counts[0], 1u) << after.errors[0];
  EXPECT_EQ(after.events[0].str(FieldId::source_system), "PNC");
  EXPECT_EQ(counters.decoded.load(), real_rows + 1);
  // 1 real + 4096 fakes in a table of 4096: the one forgotten is the oldest fake.
  EXPECT_EQ(counters.streams_evicted.load(), 1u);
  const Fed oldest_fake = feed(d, {"x,y"}, "fake0");
  EXPECT_EQ(oldest_fake.counts[0], 0u);  // taken as a new header row: it had been forgotten
}

TEST(CsvDecoder, ChecksTheSourceAtLoad) {
  SourceMapping neither = csv_source();
  neither.csv_header_first_row = false;
  EXPECT_FALSE(check_source(neither));
  SourceMapping both = csv_source({"user"});
  both.csv_header_first_row = true;
  EXPECT_FALSE(check_source(both));
  EXPECT_FALSE(check_source(csv_source({"user", "user"})));
  EXPECT_FALSE(check_source(csv_source({"user", ""})));
  SourceMapping quote = csv_source();
  quote.csv_delimiter = '"';
  EXPECT_FALSE(check_source(quote));
  SourceMapping kv = kv_source();
  kv.csv_columns = {"user"};
  EXPECT_FALSE(check_source(kv));
  EXPECT_TRUE(check_source(csv_source()));
  EXPECT_TRUE(check_source(csv_source({"user", "action"})));
  EXPECT_EQ(*payload_format_from_string("CSV"), PayloadFormat::csv);
  EXPECT_EQ(to_string(PayloadFormat::csv), "csv");
}

}  // namespace
}  // namespace probity::decode
