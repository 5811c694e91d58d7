// Payload format json, and the embedded probity-json source (kind from the payload).
#include <gtest/gtest.h>

#include "test_support.h"

namespace probity::decode {
namespace {

using event::FieldId;
using namespace testing;

Result<event::Event> decode_json(std::string_view text, SourceMapping s = json_source()) {
  Decoder decoder({std::move(s)}, nullptr);
  return decoder.decode(text_message(text), kReceived);
}

std::string nested(std::size_t depth) {
  std::string text = R"({"user.id":"pc1","n":)";
  for (std::size_t i = 1; i < depth; ++i) text += R"({"a":)";
  text += "1";
  for (std::size_t i = 0; i < depth; ++i) text += "}";
  return text;
}

TEST(JsonDecoder, FlattensNestedObjectsToDottedNames) {
  const auto ev = decode_json(R"({"user":{"id":"pc1","account":"jdoe"},"source.system":"PND"})");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  EXPECT_EQ(ev->str(FieldId::user_account), "jdoe");
  EXPECT_EQ(ev->str(FieldId::source_system), "PND");
  EXPECT_EQ(*raw(*ev, "user.account"), "jdoe");
}

TEST(JsonDecoder, ArraysOfScalarsBecomeLists) {
  SourceMapping s = json_source();
  s.kind = event::Kind::email;
  s.fields.push_back({FieldId::email_attachments_names, "att", ""});
  const auto ev = decode_json(
      R"({"email":{"from":"a@force.police.uk","to":"b@x.org"},"att":["a, b.pdf","c.doc"]})", s);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(std::get<std::vector<std::string>>(ev->get(FieldId::email_attachments_names)),
            (std::vector<std::string>{"a, b.pdf", "c.doc"}));
  EXPECT_EQ(*raw(*ev, "att"), R"(["a, b.pdf","c.doc"])");
}

TEST(JsonDecoder, IndexesObjectsInsideArrays) {
  const auto ev =
      decode_json(R"({"user.id":"pc1","parts":[{"md5":"aa"},{"md5":"bb","tags":[1,2]}]})");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(*raw(*ev, "parts.0.md5"), "aa");
  EXPECT_EQ(*raw(*ev, "parts.1.md5"), "bb");
  EXPECT_EQ(*raw(*ev, "parts.1.tags"), "[\"1\",\"2\"]");
}

TEST(JsonDecoder, ConvertsScalarsToText) {
  const auto ev = decode_json(R"({"user.id":"pc1","result.count":12,"f":1.10,"b":true,"gone":null,)"
                              R"("big":18446744073709551615})");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(std::get<std::int64_t>(ev->get(FieldId::result_count)), 12);
  EXPECT_EQ(*raw(*ev, "f"), "1.10");  // as written
  EXPECT_EQ(*raw(*ev, "b"), "true");
  EXPECT_EQ(raw(*ev, "gone"), nullptr);
  EXPECT_EQ(*raw(*ev, "big"), "18446744073709551615");
}

TEST(JsonDecoder, AcceptsCeeCookieAndBom) {
  auto ev = decode_json("\xEF\xBB\xBF@cee: {\"user.id\":\"pc1\"}\n");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  ev = decode_json("  {\"user.id\":\"pc2\"}");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc2");
}

TEST(JsonDecoder, RejectsNestingDeeperThanLimit) {
  EXPECT_TRUE(decode_json(nested(kMaxJsonDepth)));
  const auto ev = decode_json(nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.too_deep");
  // Far beyond the limit, and in arrays: still a clean error, no deep recursion.
  const std::string bomb = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  const auto ev2 = decode_json(bomb);
  ASSERT_FALSE(ev2);
  EXPECT_EQ(ev2.error().code, "decode.too_deep");
}

TEST(JsonDecoder, RejectsTooManyFields) {
  std::string text = R"({"user.id":"pc1")";
  for (std::size_t i = 0; i < kMaxPayloadFields; ++i) text += ",\"k" + std::to_string(i) + "\":1";
  text += "}";
  const auto ev = decode_json(text);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.too_many_fields");
}

TEST(JsonDecoder, RejectsAnythingButAnObject) {
  for (const std::string_view text : {"[1,2]", "\"pc1\"", "42", "null", "", "   "}) {
    const auto ev = decode_json(text);
    ASSERT_FALSE(ev) << text;
    EXPECT_EQ(ev.error().code, "decode.bad_payload") << text;
  }
}

TEST(JsonDecoder, RejectsMalformedJsonWithOffset) {
  const auto ev = decode_json(R"({"user.id":"pc1",})");
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.bad_payload");
  EXPECT_GT(ev.error().pos.offset, 0u);
  EXPECT_FALSE(decode_json(R"({"user.id":"pc1"} trailing)"));
}

TEST(JsonDecoder, RepairsInvalidUtf8InsteadOfRejecting) {
  const auto ev = decode_json("{\"user.id\":\"pc1\",\"reason.text\":\"caf\xE9\"}");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::reason_text), "caf\xEF\xBF\xBD");
}

TEST(JsonDecoder, TakesKindFromPayloadForProbityJson) {
  Decoder decoder(default_sources(), nullptr);
  const auto email = decoder.decode(
      text_message(R"({"event.kind":"email","email.from":"a@p.uk","email.to":"b@x.org"})",
                   "probity-json"),
      kReceived);
  ASSERT_TRUE(email) << email.error().message;
  EXPECT_EQ(email->kind(), event::Kind::email);
  EXPECT_EQ(email->str(FieldId::event_kind), "email");

  const auto access = decoder.decode(
      text_message(R"({"event":{"kind":"Access"},"user":{"id":"pc1"}})", "Probity-JSON"),
      kReceived);
  ASSERT_TRUE(access) << access.error().message;
  EXPECT_EQ(access->kind(), event::Kind::access);

  const auto missing =
      decoder.decode(text_message(R"({"user.id":"pc1"})", "probity-json"), kReceived);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "decode.missing_field");

  const auto bad = decoder.decode(
      text_message(R"({"event.kind":"alert","user.id":"pc1"})", "probity-json"), kReceived);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "decode.bad_value");
}

TEST(JsonDecoder, FieldsOfTheOtherKindStayRaw) {
  Decoder decoder(default_sources(), nullptr);
  const auto ev = decoder.decode(
      text_message(R"({"event.kind":"access","user.id":"pc1","email.from":"a@b"})", "probity-json"),
      kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_FALSE(ev->has(FieldId::email_from));
  EXPECT_EQ(*raw(*ev, "email.from"), "a@b");
}

}  // namespace
}  // namespace probity::decode
