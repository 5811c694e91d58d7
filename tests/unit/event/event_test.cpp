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
