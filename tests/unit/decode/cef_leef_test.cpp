// Payload formats "cef" and "leef" through their default sources.
#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

using F = event::FieldId;

std::string rfc5424(std::string_view msg) {
  return "<134>1 2026-03-01T11:59:58Z rms01 niche - - - " + std::string(msg);
}

TEST(CefPayload, HeaderAndExtensionWithEscapes) {
  GatewayHarness h(default_source("cef"));
  ASSERT_TRUE(h.line(
      rfc5424("CEF:0|Force IT|Niche RMS|5.1|100|Record viewed|3|suser=pc1234 src=10.1.2.3 act=view "
              "msg=looked at a\\=b c\\\\d\\nnext line duser=P-1 cs1Label=Reason cs1=INC 22/11 with "
              "spaces externalId=ev-77")));
  ASSERT_EQ(h.events.size(), 1u);
  const auto& e = h.events[0];
  EXPECT_EQ(e.kind(), event::Kind::access);
  EXPECT_EQ(str(e, F::user_id), "pc1234");
  EXPECT_EQ(str(e, F::client_ip), "10.1.2.3");
  EXPECT_EQ(str(e, F::source_system), "Niche RMS");
  EXPECT_EQ(str(e, F::action), "view");
  EXPECT_EQ(str(e, F::subject_id), "P-1");
  EXPECT_EQ(str(e, F::event_id), "ev-77");
  EXPECT_EQ(raw_or_empty(e, "msg"), "looked at a=b c\\d\nnext line");
  EXPECT_EQ(raw_or_empty(e, "cs1"), "INC 22/11 with spaces");
  EXPECT_EQ(raw_or_empty(e, "cs1Label"), "Reason");
  EXPECT_EQ(raw_or_empty(e, "name"), "Record viewed");
  EXPECT_EQ(raw_or_empty(e, "severity"), "3");
}

TEST(CefPayload, EscapedPipesInHeaderAndPlainPipesInExtension) {
  GatewayHarness h(default_source("cef"));
  ASSERT_TRUE(h.line(rfc5424("CEF:0|Ven\\|dor|Prod\\\\x|1|id|name|5|suser=a request=x|y|z")));
  ASSERT_EQ(h.events.size(), 1u);
  EXPECT_EQ(raw_or_empty(h.events[0], "deviceVendor"), "Ven|dor");
  EXPECT_EQ(raw_or_empty(h.events[0], "deviceProduct"), "Prod\\x");
  EXPECT_EQ(raw_or_empty(h.events[0], "request"), "x|y|z");
}

TEST(CefPayload, SyslogPrefixInsideMsgIsSkippedAndMatchIsByPrefixOnly) {
  GatewayHarness h(default_source("cef"));
  // The default source claims MSG starting "CEF:"; --source forcing handles prefixed ones.
  SourceMapping forced = default_source("cef");
  forced.match = {};
  GatewayHarness f(forced);
  ASSERT_TRUE(f.line(rfc5424("Mar  1 11:00:00 appliance CEF:0|V|P|1|id|n|1|suser=x")));
  EXPECT_EQ(str(f.events.at(0), F::user_id), "x");
  auto r = h.line(rfc5424("not cef at all suser=x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "decode.no_source");
}

TEST(CefPayload, TruncatedHeaderIsRejected) {
  GatewayHarness h(default_source("cef"));
  auto r = h.line(rfc5424("CEF:0|Vendor|Product|1.0|100|Na"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "decode.bad_payload");
  EXPECT_NE(r.error().message.find("cut short"), std::string::npos);
  EXPECT_EQ(h.counters.bad_payload.load(), 1u);
}

TEST(CefPayload, HostileExtension) {
  GatewayHarness h(default_source("cef"));
  std::string ext;
  for (int i = 0; i < 300; ++i) ext += " k" + std::to_string(i) + "=v";
  auto r = h.line(rfc5424("CEF:0|V|P|1|id|n|1|suser=x" + ext));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "decode.too_many_fields");
  // Trailing backslash, '=' at the start, NULs and invalid UTF-8.
  ASSERT_TRUE(h.line(rfc5424(std::string("CEF:0|V|P|1|id|n|1|=x suser=a\\ msg=\xff\x01 z\\"))));
  EXPECT_EQ(str(h.events.back(), F::user_id), "a\\");
}

TEST(LeefPayload, Version1TabSeparated) {
  GatewayHarness h(default_source("leef"));
  ASSERT_TRUE(h.line(
      rfc5424("LEEF:1.0|Force IT|PND|2.3|SearchPerson|usrName=pc1234\tsrc=10.1.2.3\tresource=P-9\t"
              "devTime=2026-03-01T11:00:00Z\tnote=a=b")));
  ASSERT_EQ(h.events.size(), 1u);
  const auto& e = h.events[0];
  EXPECT_EQ(str(e, F::user_id), "pc1234");
  EXPECT_EQ(str(e, F::client_ip), "10.1.2.3");
  EXPECT_EQ(str(e, F::source_system), "PND");
  EXPECT_EQ(str(e, F::action), "SearchPerson");
  EXPECT_EQ(str(e, F::subject_id), "P-9");
  EXPECT_EQ(raw_or_empty(e, "note"), "a=b");
}

TEST(LeefPayload, Version2WithCustomDelimiters) {
  GatewayHarness h(default_source("leef"));
  ASSERT_TRUE(h.line(rfc5424("LEEF:2.0|V|P|1|Ev|^|usrName=a b^src=10.0.0.1^msg=x\\^y")));
  ASSERT_TRUE(h.line(rfc5424("LEEF:2.0|V|P|1|Ev|x7C|usrName=c|src=10.0.0.2")));
  ASSERT_TRUE(h.line(rfc5424("LEEF:2.0|V|P|1|Ev|0x09|usrName=d\tsrc=10.0.0.3")));
  ASSERT_TRUE(h.line(rfc5424("LEEF:2.0|V|P|1|Ev|usrName=e\tsrc=10.0.0.4")));  // no field: tab
  ASSERT_EQ(h.events.size(), 4u);
  EXPECT_EQ(str(h.events[0], F::user_id), "a b");
  EXPECT_EQ(raw_or_empty(h.events[0], "msg"), "x^y");
  EXPECT_EQ(str(h.events[1], F::user_id), "c");
  EXPECT_EQ(str(h.events[1], F::client_ip), "10.0.0.2");
  EXPECT_EQ(str(h.events[2], F::client_ip), "10.0.0.3");
  EXPECT_EQ(str(h.events[3], F::user_id), "e");
  EXPECT_EQ(str(h.events[3], F::client_ip), "10.0.0.4");
}

TEST(LeefPayload, TruncatedAndUnknownVersionsAreRejected) {
  GatewayHarness h(default_source("leef"));
  auto cut = h.line(rfc5424("LEEF:2.0|V|P|1"));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, "decode.bad_payload");
  auto v3 = h.line(rfc5424("LEEF:3.0|V|P|1|Ev|usrName=a"));
  ASSERT_FALSE(v3);
  EXPECT_NE(v3.error().message.find("LEEF version"), std::string::npos);
  auto nouser = h.line(rfc5424("LEEF:1.0|V|P|1|Ev|src=1.2.3.4"));
  ASSERT_FALSE(nouser);
  EXPECT_EQ(nouser.error().code, "decode.missing_field");
}

TEST(EmailDirection, FromInternalDomains) {
  const std::vector<std::string> internal{"force.police.uk", "Other-Force.GOV.uk"};
  EXPECT_EQ(derive_direction("force.police.uk", "paper.example", internal), "outbound");
  EXPECT_EQ(derive_direction("mail.force.police.uk", "other-force.gov.uk", internal), "internal");
  EXPECT_EQ(derive_direction("paper.example", "hq.force.police.uk", internal), "inbound");
  EXPECT_EQ(derive_direction("notforce.police.uk", "paper.example", internal), std::nullopt);
  EXPECT_EQ(derive_direction("", "paper.example", internal), std::nullopt);
}

TEST(EmailDirection, GatewayWordsAreNormalisedWithoutInternalDomains) {
  SourceMapping s;
  s.name = "gw";
  s.kind = event::Kind::email;
  s.match.app_name = "gw";
  s.format = PayloadFormat::kv;
  GatewayHarness h(s);
  ASSERT_TRUE(
      h.line("<134>1 2026-03-01T11:59:58Z h gw - - - email.from=a@x.example "
             "email.to=b@y.example email.direction=Originating"));
  ASSERT_TRUE(
      h.line("<134>1 2026-03-01T11:59:58Z h gw - - - email.from=a@x.example "
             "email.to=b@y.example email.direction=Incoming"));
  ASSERT_EQ(h.events.size(), 2u);
  EXPECT_EQ(str(h.events[0], F::email_direction), "outbound");
  EXPECT_EQ(str(h.events[1], F::email_direction), "inbound");
}

}  // namespace
}  // namespace probity::decode::testing
