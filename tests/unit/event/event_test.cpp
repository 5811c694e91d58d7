#include "event/event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using namespace probity::event;

TEST(EventTime, ParsesRfc3339WithOffsetToUtc) {
  auto t = parse_time("2026-11-24T21:30:05.25+01:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_time(*t), "2026-11-24T20:30:05.250000Z");
}

TEST(EventTime, FormatsIntoABufferAsPrintfWould) {
  using namespace std::chrono;
  std::array<char, 40> buf;
  EXPECT_EQ(format_time(*parse_time("1970-01-01T00:00:00Z"), buf), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_time(*parse_time("2026-12-31T23:59:59.999999Z"), buf),
            "2026-12-31T23:59:59.999999Z");
  EXPECT_EQ(format_time(*parse_time("1969-12-31T23:59:59.5Z"), buf), "1969-12-31T23:59:59.500000Z");
  EXPECT_EQ(format_time(Timestamp(sys_days(year(12000) / 1 / 2)) + hours(3)),
            "12000-01-02T03:00:00.000000Z");
}

TEST(EventTime, RejectsTrailingJunkAndImpossibleDates) {
  EXPECT_FALSE(parse_time("2026-11-24T20:30:05Zjunk"));
  EXPECT_FALSE(parse_time("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_time("yesterday"));
}

TEST(EventFields, LooksUpCanonicalNamesOnly) {
  EXPECT_EQ(field_by_name("user.id"), FieldId::user_id);
  EXPECT_EQ(field_by_name("email.to.domain"), FieldId::email_to_domain);
  EXPECT_FALSE(field_by_name("raw.user"));
}

TEST(EventJson, RendersSetFieldsAndRaw) {
  Event e(Kind::access);
  e.set(FieldId::user_id, std::string("pc1234"));
  e.set(FieldId::result_count, std::int64_t{3});
  e.add_raw("terminal", "T\"1");
  const auto json = to_json(e);
  EXPECT_NE(json.find(R"("user.id":"pc1234")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("result.count":3)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("raw":{"terminal":"T\"1"})"), std::string::npos) << json;
  EXPECT_EQ(json.find("subject.id"), std::string::npos) << json;
}

// The rendering is written by hand for speed; it must stay what a JSON library would write:
// fields in canonical order, the first of repeated raw names, invalid UTF-8 replaced.
TEST(EventJson, IsWhatAJsonLibraryWouldWrite) {
  Event e(Kind::email);
  e.set(FieldId::event_time, *parse_time("2026-11-02T10:00:00.5Z"));
  e.set(FieldId::user_id, std::string("pc\"1\\\n\xC3"));
  e.set(FieldId::email_size, std::int64_t{-42});
  e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.pdf", "\x01b"});
  e.set(FieldId::email_to, std::vector<std::string>{});
  e.add_raw("qid", "1");
  e.add_raw("q\"id", "2");
  e.add_raw("qid", "3");
  nlohmann::ordered_json expected;
  for (const auto& f : all_fields()) {
    const Value& v = e.get(f.id);
    if (const auto* s = std::get_if<std::string>(&v)) expected[std::string(f.name)] = *s;
    if (const auto* n = std::get_if<std::int64_t>(&v)) expected[std::string(f.name)] = *n;
    if (const auto* t = std::get_if<Timestamp>(&v)) expected[std::string(f.name)] = format_time(*t);
    if (const auto* l = std::get_if<std::vector<std::string>>(&v))
      expected[std::string(f.name)] = *l;
  }
  expected["raw"] = {{"qid", "1"}, {"q\"id", "2"}};
  EXPECT_EQ(to_json(e), expected.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// Past a few dozen raw fields the repeats are found another way; the result must not change.
TEST(EventJson, ManyRawFieldsKeepTheFirstOfEachName) {
  Event e(Kind::access);
  nlohmann::ordered_json raw;
  for (int i = 0; i < 100; ++i) {
    const std::string name = "f" + std::to_string(i % 60);
    e.add_raw(name, std::to_string(i));
    if (!raw.contains(name)) raw[name] = std::to_string(i);
  }
  const auto json = nlohmann::json::parse(to_json(e));
  EXPECT_EQ(json.at("raw").size(), 60u);
  EXPECT_EQ(json.at("raw"), nlohmann::json(raw));
}

// Every byte below 0x80 escaped or copied as a JSON library would.
TEST(EventJson, EveryAsciiByteIsWrittenAsAJsonLibraryWould) {
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  Event e(Kind::access);
  e.add_raw("all", all);
  nlohmann::ordered_json expected;
  expected["event.kind"] = "access";
  expected["raw"]["all"] = all;
  EXPECT_EQ(to_json(e), expected.dump());
}

TEST(EventJson, ReadsBackWhatItWrites) {
  Event e(Kind::email);
  e.set(FieldId::email_to, std::string("desk@news.example"));
  e.set(FieldId::email_size, std::int64_t{2048});
  e.set(FieldId::event_time, *parse_time("2026-11-02T10:00:00Z"));
  e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.pdf", "b.xlsx"});
  e.add_raw("qid", "4F2A1");
  auto back = event_from_json(to_json(e));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), to_json(e));
}

TEST(EventJson, RejectsUnknownFieldsWrongTypesAndMissingKind) {
  EXPECT_FALSE(event_from_json(R"({"user.id":"x"})"));
  EXPECT_FALSE(event_from_json(R"({"event.kind":"access","user.idd":"x"})"));
  EXPECT_FALSE(event_from_json(R"({"event.kind":"access","result.count":"many"})"));
  EXPECT_FALSE(event_from_json(R"({"event.kind":"access","event.time":"yesterday"})"));
  EXPECT_FALSE(event_from_json("not json"));
  auto err = event_from_json(R"({"event.kind":"access","user.idd":"x"})");
  EXPECT_NE(err.error().message.find("user.idd"), std::string::npos);
}

// Events whose JSON covers every form to_json writes: each value type, escapes, control
// characters, text that is not UTF-8 (written repaired), repeated source field names.
std::vector<Event> varied_events() {
  std::vector<Event> out;
  Event a(Kind::access);
  a.set(FieldId::event_id, std::string("e1"));
  a.set(FieldId::event_time, *parse_time("2026-11-24T19:59:58.5Z"));
  a.set(FieldId::user_id, std::string("pc\"1\\/\n\t\x01\x1f\x7f caf\xc3\xa9 \xf0\x9f\x98\x80"));
  a.set(FieldId::query_terms, std::vector<std::string>{"a", "", "\"b\""});
  a.set(FieldId::result_count, std::int64_t{-9223372036854775807 - 1});
  a.add_raw("usr", "jh");
  a.add_raw("usr", "again");
  a.add_raw("bad\xff", "text \xc3");
  out.push_back(a);
  Event b(Kind::email);
  b.set(FieldId::email_size, std::int64_t{0});
  b.set(FieldId::email_attachments_names, std::vector<std::string>{});
  b.set(FieldId::event_time, *parse_time("1969-12-31T23:59:59.999999Z"));
  out.push_back(b);
  out.emplace_back(Kind::access);
  return out;
}

TEST(EventOwnJson, ReadsBackEveryFormToJsonWrites) {
  for (const Event& e : varied_events()) {
    const std::string json = to_json(e);
    const auto back = read_own_json(json);
    ASSERT_TRUE(back) << json;
    EXPECT_EQ(to_json(*back), json);
    EXPECT_EQ(back->kind(), e.kind());
    for (const auto& f : all_fields()) EXPECT_EQ(back->get(f.id), e.get(f.id)) << f.name;
  }
  // A time field holding text that is not to_json's rendering of a time stays text, and so
  // does a time parse_time cannot read back: the JSON written again is the same.
  Event e(Kind::access);
  e.set(FieldId::event_time, std::string("2026-11-24T19:59:58Z"));
  auto back = read_own_json(to_json(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->get(FieldId::event_time), e.get(FieldId::event_time));
  e.set(FieldId::event_time, Timestamp(std::chrono::sys_days(std::chrono::year(12000) / 1 / 2)));
  back = read_own_json(to_json(e));
  ASSERT_TRUE(back);
  EXPECT_EQ(to_json(*back), to_json(e));
}

TEST(EventOwnJson, RefusesTextToJsonWouldNotWrite) {
  const std::string good = R"({"event.kind":"access","user.id":"pc1","raw":{"a":"b"}})";
  ASSERT_TRUE(read_own_json(good));
  EXPECT_EQ(
      read_own_json(R"({"event.kind":"access","user.id":"caf\u00e9 \/"})")->str(FieldId::user_id),
      "caf\xc3\xa9 /");  // other escapes JSON allows read as a parser reads them
  for (const char* refused :
       {R"({ "event.kind":"access"})",                       // a space
        R"({"user.id":"pc1","event.kind":"access"})",        // not in field order
        R"({"event.kind":"access","event.kind":"access"})",  // a field twice
        R"({"event.kind":"access","user.idd":"x"})",         // not a canonical field
        R"({"event.kind":"Access"})",                        // not a kind's own name
        R"({"user.id":"pc1"})",                              // no kind
        R"({"event.kind":"access","result.count":007})",     // not to_json's integer
        R"({"event.kind":"access","result.count":99999999999999999999})",
        R"({"event.kind":"access","result.count":1.5})",  // not an integer
        R"({"event.kind":"access","result.count":true})",
        R"({"event.kind":"access","user.id":"\ud83d\ude00"})",  // a surrogate pair
        R"({"event.kind":"access","user.id":"\x"})",            // no such escape
        R"({"event.kind":"access","user.id":"\u12"})",
        "{\"event.kind\":\"access\",\"user.id\":\"a\tb\"}",  // a raw control character
        "{\"event.kind\":\"access\",\"user.id\":\"\xff\"}",  // not UTF-8
        R"({"event.kind":"access","raw":{}})",               // to_json leaves it out
        R"({"event.kind":"access","raw":{"a":1}})",
        R"({"event.kind":"access","raw":{"a":"b"},"user.id":"x"})",  // raw not last
        R"({"event.kind":"access"} )",                               // after the object
        R"({"event.kind":"access")",                                 // cut short
        R"({"event.kind":"access","query.terms":["a",]})",
        "",
        "[]",
        "null"}) {
    EXPECT_FALSE(read_own_json(refused)) << refused;
  }
}
