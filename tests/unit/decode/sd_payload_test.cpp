// Payload format sd and the embedded canonical SD sources (access@32473, email@32473).
#include <gtest/gtest.h>

#include "syslog/syslog.h"
#include "test_support.h"

namespace probity::decode {
namespace {

using event::FieldId;
using namespace testing;

TEST(SdDecoder, MapsCanonicalParamsWithoutConfig) {
  Decoder decoder(default_sources(), nullptr);
  const auto msg = sd_message("access@32473", {{"user.id", "pc1234"},
                                               {"source.system", "PNC"},
                                               {"action", "query"},
                                               {"subject.type", "person"},
                                               {"subject.id", "P-1"},
                                               {"reason.code", "INV"},
                                               {"result.count", "3"}});
  const auto ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->kind(), event::Kind::access);
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1234");
  EXPECT_EQ(ev->str(FieldId::source_system), "PNC");
  EXPECT_EQ(ev->str(FieldId::action), "query");
  EXPECT_EQ(ev->str(FieldId::subject_id), "P-1");
  EXPECT_EQ(std::get<std::int64_t>(ev->get(FieldId::result_count)), 3);
  EXPECT_EQ(ev->str(FieldId::source_host), "host1");
  EXPECT_EQ(ev->time(), at("2026-03-01T11:59:58.5Z"));
}

TEST(SdDecoder, KeepsEveryParamAsRaw) {
  Decoder decoder(default_sources(), nullptr);
  const auto msg = sd_message("access@32473", {{"user.id", "pc1"}, {"terminal", "T9"}});
  const auto ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev);
  ASSERT_NE(raw(*ev, "terminal"), nullptr);
  EXPECT_EQ(*raw(*ev, "terminal"), "T9");
  EXPECT_EQ(*raw(*ev, "user.id"), "pc1");
}

TEST(SdDecoder, UnescapesParamValues) {
  Decoder decoder(default_sources(), nullptr);
  auto msg = sd_message("access@32473", {{"user.id", "pc1"}});
  msg.structured_data[0].params.push_back({"reason.text", R"(said \"hi\" \] ok\n)", true});
  const auto ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::reason_text), R"(said "hi" ] ok\n)");
}

TEST(SdDecoder, RepeatedParamsFormAList) {
  Decoder decoder(default_sources(), nullptr);
  const auto msg = sd_message("email@32473", {{"email.from", "a@force.police.uk"},
                                              {"email.to", "b@example.org"},
                                              {"email.attachments.names", "one.pdf"},
                                              {"email.attachments.names", "two, final.doc"}});
  const auto ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  const auto& names = std::get<std::vector<std::string>>(ev->get(FieldId::email_attachments_names));
  // Each repeat is split like a single value would be: ',' inside a name needs ';' lists.
  EXPECT_EQ(names, (std::vector<std::string>{"one.pdf", "two", "final.doc"}));
}

TEST(SdDecoder, ReportsMissingElementNamingIt) {
  SourceMapping s;
  s.name = "by-app";
  s.match.app_name = "app";
  s.format = PayloadFormat::sd;
  s.sd_id = "audit@99999";
  Decoder decoder({s}, nullptr);
  const auto ev = decoder.decode(sd_message("other@1", {{"user.id", "x"}}), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.bad_payload");
  EXPECT_NE(ev.error().message.find("audit@99999"), std::string::npos);
}

TEST(SdDecoder, IgnoresOtherSdElements) {
  Decoder decoder(default_sources(), nullptr);
  auto msg = sd_message("timeQuality", {{"tzKnown", "1"}});
  syslog::SdElement access{"access@32473", {{"user.id", "pc7", false}}};
  msg.structured_data.push_back(access);
  const auto ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc7");
  EXPECT_EQ(raw(*ev, "tzKnown"), nullptr);
}

TEST(SdDecoder, DecodesARealRfc5424Line) {
  const std::string line =
      R"(<134>1 2026-03-01T10:00:00.123Z pnc-gw01 pnc-audit 812 ACCESS )"
      R"([access@32473 user.id="pc1234" source.system="PNC" action="query" )"
      R"(subject.type="person" subject.id="P-1" reason.text="enquiry \"A\""] lookup)";
  const auto msg = syslog::parse_syslog(line);
  ASSERT_TRUE(msg) << msg.error().message;
  Decoder decoder(default_sources(), nullptr);
  const auto ev = decoder.decode(*msg, kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1234");
  EXPECT_EQ(ev->str(FieldId::source_host), "pnc-gw01");
  EXPECT_EQ(ev->str(FieldId::reason_text), R"(enquiry "A")");
  EXPECT_EQ(ev->time(), at("2026-03-01T10:00:00.123Z"));
}

}  // namespace
}  // namespace probity::decode
