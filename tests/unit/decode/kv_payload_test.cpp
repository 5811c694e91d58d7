// Payload format kv: key=value pairs in MSG.
#include <gtest/gtest.h>

#include "test_support.h"

namespace probity::decode {
namespace {

using event::FieldId;
using namespace testing;

Result<event::Event> decode_kv(std::string_view text, SourceMapping s = kv_source()) {
  Decoder decoder({std::move(s)}, nullptr);
  return decoder.decode(text_message(text), kReceived);
}

TEST(KvDecoder, TakesCanonicalKeysWithoutConfig) {
  const auto ev = decode_kv("user.id=pc1 action=view subject.id=V-9");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  EXPECT_EQ(ev->str(FieldId::action), "view");
  EXPECT_EQ(ev->str(FieldId::subject_id), "V-9");
}

TEST(KvDecoder, HandlesQuotedValuesWithEscapes) {
  const auto ev = decode_kv(R"(user.id=pc1 reason.text="looked at \"Smith\" c:\\x \n" a=b)");
  ASSERT_TRUE(ev) << ev.error().message;
  // \" and \\ unescape; any other backslash is kept as written.
  EXPECT_EQ(ev->str(FieldId::reason_text), R"(looked at "Smith" c:\x \n)");
  EXPECT_EQ(*raw(*ev, "a"), "b");
}

TEST(KvDecoder, IgnoresJunkTokensWithoutEquals) {
  const auto ev = decode_kv("audit event: user.id=pc1 done http://x?y=1 =z action=view");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  EXPECT_EQ(ev->str(FieldId::action), "view");
  ASSERT_EQ(ev->raw().size(), 2u);  // "http://x?y=1" has a ':' in its key: junk
}

TEST(KvDecoder, KeyMayHoldDotsDashesAndAt) {
  const auto ev = decode_kv("user.id=pc1 usr@domain=x my-key_1.a=y");
  ASSERT_TRUE(ev);
  EXPECT_EQ(*raw(*ev, "usr@domain"), "x");
  EXPECT_EQ(*raw(*ev, "my-key_1.a"), "y");
}

TEST(KvDecoder, SplitsOnConfiguredSeparatorAllowingSpacesInValues) {
  SourceMapping s = kv_source();
  s.kv_pair_separator = ',';
  const auto ev =
      decode_kv("user.id = pc1, user.id=pc2 , reason.text=  Call from  Smith  ,x=\"a,b\"", s);
  ASSERT_TRUE(ev) << ev.error().message;
  // "user.id = pc1" has spaces around '=': junk, by the grammar; pc2 is the first pair.
  EXPECT_EQ(ev->str(FieldId::user_id), "pc2");
  EXPECT_EQ(ev->str(FieldId::reason_text), "Call from  Smith");
  EXPECT_EQ(*raw(*ev, "x"), "a,b");
}

TEST(KvDecoder, SplitsOnPipes) {
  SourceMapping s = kv_source();
  s.kv_pair_separator = '|';
  const auto ev = decode_kv("user.id=pc1|action=print job|outcome=success", s);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(*raw(*ev, "action"), "print job");
  EXPECT_EQ(ev->str(FieldId::outcome), "success");
}

TEST(KvDecoder, RejectsUnterminatedQuote) {
  const auto ev = decode_kv(R"(user.id=pc1 reason.text="cut short)");
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.bad_payload");
  EXPECT_EQ(ev.error().pos.offset, 24u);
}

TEST(KvDecoder, RejectsMoreThanMaxPairs) {
  std::string text = "user.id=pc1";
  for (std::size_t i = 0; i < kMaxPayloadFields; ++i) text += " k" + std::to_string(i) + "=v";
  const auto ev = decode_kv(text);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.too_many_fields");
}

TEST(KvDecoder, StripsLeadingBom) {
  const auto ev = decode_kv("\xEF\xBB\xBFuser.id=pc1");
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
}

TEST(KvDecoder, EmptyValueCountsAsAbsent) {
  const auto ev = decode_kv("user.id= action=view");
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.missing_field");
  EXPECT_NE(ev.error().message.find("user.id"), std::string::npos);
}

TEST(KvDecoder, EmptyPayloadReportsMissingField) {
  const auto ev = decode_kv("");
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.missing_field");
}

}  // namespace
}  // namespace probity::decode
