// The mapper: source selection, mappings, typed values, defaults from the syslog header,
// email normalisation, required fields, ids, hostile content and counters.
#include <gtest/gtest.h>

#include "test_support.h"

namespace probity::decode {
namespace {

using event::FieldId;
using namespace testing;

TEST(Decoder, SelectsFirstMatchingSourceInConfigOrder) {
  SourceMapping a = kv_source("first");
  a.match.hostname = "pnc-*";
  SourceMapping b = kv_source("second");
  SourceMapping c = kv_source("third");
  Decoder decoder({a, b, c}, nullptr);
  EXPECT_EQ(decoder.select(text_message("x", "app", "PNC-GW1"))->name, "first");
  EXPECT_EQ(decoder.select(text_message("x", "app", "niche1"))->name, "second");
  EXPECT_EQ(decoder.select(text_message("x", "other", "niche1")), nullptr);
}

TEST(Decoder, MatchesAppNameCaseInsensitivelyWithWildcards) {
  SourceMapping s = kv_source();
  s.match.app_name = "niche-*-audit";
  Decoder decoder({s}, nullptr);
  EXPECT_NE(decoder.select(text_message("x", "NICHE-west-Audit")), nullptr);
  EXPECT_NE(decoder.select(text_message("x", "niche--audit")), nullptr);
  EXPECT_EQ(decoder.select(text_message("x", "niche-west-audit2")), nullptr);
  syslog::SyslogMessage no_app = text_message("x");
  no_app.app_name.reset();
  EXPECT_EQ(decoder.select(no_app), nullptr);  // a required criterion with nothing to match
}

TEST(Decoder, MatchRequiresEveryGivenCriterion) {
  SourceMapping s = kv_source();
  s.match.hostname = "gw1";
  s.match.sd_id = "meta@*";
  Decoder decoder({s}, nullptr);
  EXPECT_EQ(decoder.select(text_message("x", "app", "gw1")), nullptr);
  EXPECT_NE(decoder.select(sd_message("meta@123", {}, "app", "gw1")), nullptr);
  EXPECT_EQ(decoder.select(sd_message("meta@123", {}, "app", "gw2")), nullptr);
}

TEST(Decoder, ReportsNoSourceNamingWhatItSaw) {
  Decoder decoder(default_sources(), nullptr);
  const auto ev = decoder.decode(sd_message("x@1", {}, "myapp", "h\x01st"), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.no_source");
  EXPECT_EQ(ev.error().message,
            R"(no source matches app-name "myapp", host "h\x01st", SD-IDs ["x@1"])");
}

TEST(Decoder, MapsFieldsFromConfiguredNames) {
  SourceMapping s = kv_source();
  s.fields = {{FieldId::user_id, "usr", ""}, {FieldId::subject_id, "rec.id", ""}};
  Decoder decoder({s}, nullptr);
  const auto ev = decoder.decode(text_message("usr=pc9 rec.id=P-2 user.id=spoof"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc9");  // mapped beats the canonical name
  EXPECT_EQ(ev->str(FieldId::subject_id), "P-2");
  EXPECT_EQ(*raw(*ev, "user.id"), "spoof");
}

TEST(Decoder, FirstPresentMappingWins) {
  SourceMapping s = kv_source();
  s.fields = {{FieldId::user_id, "collar", ""}, {FieldId::user_id, "login", ""}};
  Decoder decoder({s}, nullptr);
  auto ev = decoder.decode(text_message("login=jdoe collar=pc1"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1");
  ev = decoder.decode(text_message("login=jdoe"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::user_id), "jdoe");
}

TEST(Decoder, ConstantsFillFieldsThePayloadDoesNotMap) {
  SourceMapping s = kv_source();
  s.fields = {{FieldId::source_system, "sys", ""}};
  s.constants = {{FieldId::source_system, "PNC"}, {FieldId::action, "query"}};
  Decoder decoder({s}, nullptr);
  auto ev = decoder.decode(text_message("user.id=pc1 action=delete"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::source_system), "PNC");
  EXPECT_EQ(ev->str(FieldId::action), "query");  // a constant beats an unmapped canonical key
  ev = decoder.decode(text_message("user.id=pc1 sys=PND"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::source_system), "PND");  // a present mapped field beats it
}

TEST(Decoder, TrimsValuesButKeepsCase) {
  SourceMapping s = kv_source();
  Decoder decoder({s}, nullptr);
  const auto ev = decoder.decode(text_message(R"(user.id="  PC1 " subject.id="Ab")"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::user_id), "PC1");
  EXPECT_EQ(*raw(*ev, "user.id"), "  PC1 ");
}

TEST(Decoder, RejectsNonIntegerWithBadValue) {
  Decoder decoder({kv_source()}, nullptr);
  for (const std::string_view text :
       {"user.id=pc1 result.count=lots", "user.id=pc1 result.count=1e3",
        "user.id=pc1 result.count=99999999999999999999", "user.id=pc1 result.count=0x10"}) {
    const auto ev = decoder.decode(text_message(text), kReceived);
    ASSERT_FALSE(ev) << text;
    EXPECT_EQ(ev.error().code, "decode.bad_value");
    EXPECT_NE(ev.error().message.find("result.count"), std::string::npos);
  }
  const auto ok = decoder.decode(text_message("user.id=pc1 result.count=-2"), kReceived);
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::get<std::int64_t>(ok->get(FieldId::result_count)), -2);
}

TEST(Decoder, ParsesEpochTimes) {
  SourceMapping s = kv_source();
  s.fields = {{FieldId::event_time, "ts", "epoch"}, {FieldId::event_time, "ms", "epoch_ms"}};
  Decoder decoder({s}, nullptr);
  auto ev = decoder.decode(text_message("user.id=pc1 ts=1772366400.25"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->time(), at("2026-03-01T12:00:00.25Z"));
  ev = decoder.decode(text_message("user.id=pc1 ms=1772366400123"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->time(), at("2026-03-01T12:00:00.123Z"));
  ev = decoder.decode(text_message("user.id=pc1 ts=yesterday"), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.bad_value");
}

TEST(Decoder, RejectsBadRfc3339Time) {
  Decoder decoder({kv_source()}, nullptr);
  const auto ev = decoder.decode(text_message("user.id=pc1 event.time=2026-13-01"), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.bad_value");
}

TEST(Decoder, TakesTimeFromHeaderThenReceiveTime) {
  Decoder decoder({kv_source()}, nullptr);
  auto msg = text_message("user.id=pc1");
  auto ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->time(), at("2026-03-01T11:59:58.5Z"));
  msg.timestamp.reset();
  ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->time(), kReceived);
  msg.protocol = syslog::Protocol::rfc3164;
  msg.timestamp = "Feb 28 23:00:01";
  ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->time(), at("2026-02-28T23:00:01Z"));
  msg.timestamp = "not a time";
  ev = decoder.decode(msg, kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->time(), kReceived);
}

TEST(Decoder, TakesSourceHostFromHeaderUnlessMapped) {
  SourceMapping s = kv_source();
  s.fields = {{FieldId::source_host, "origin", ""}};
  Decoder decoder({s}, nullptr);
  auto ev = decoder.decode(text_message("user.id=pc1", "app", "relay1"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::source_host), "relay1");
  ev = decoder.decode(text_message("user.id=pc1 origin=ws42", "app", "relay1"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::source_host), "ws42");
}

TEST(Decoder, ReportsMissingUserIdForAccess) {
  Decoder decoder({kv_source()}, nullptr);
  const auto ev = decoder.decode(text_message("action=view"), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.missing_field");
  EXPECT_EQ(ev.error().message,
            "source kv-app: access event lacks user.id (map it from a payload field in the "
            "source's fields)");
}

SourceMapping email_kv_source() {
  SourceMapping s = kv_source("mail");
  s.kind = event::Kind::email;
  s.fields = {{FieldId::email_from, "from", ""}, {FieldId::email_to, "to", ""}};
  s.constants = {{FieldId::gateway, "test-gw"}};
  return s;
}

TEST(Decoder, ReportsMissingEmailAddresses) {
  Decoder decoder({email_kv_source()}, nullptr);
  auto ev = decoder.decode(text_message("to=b@x.org"), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_EQ(ev.error().code, "decode.missing_field");
  EXPECT_NE(ev.error().message.find("email.from"), std::string::npos);
  ev = decoder.decode(text_message("from=a@p.uk to=<>"), kReceived);
  ASSERT_FALSE(ev);
  EXPECT_NE(ev.error().message.find("email.to"), std::string::npos);
}

TEST(Decoder, ResolvesEmailSenderToStaffId) {
  const auto staff = staff_directory({{"pc1234", "jane.doe@force.police.uk"}});
  Decoder decoder({email_kv_source()}, &staff);
  const auto ev = decoder.decode(
      text_message(R"(from="Jane Doe <Jane.Doe@Force.Police.UK>" to=b@x.org)"), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id), "pc1234");
  EXPECT_EQ(staff.email_lookups(), 1u);
  EXPECT_EQ(ev->str(FieldId::gateway), "test-gw");

  // Unknown sender: no user.id, and that is not an error for email.
  const auto unknown = decoder.decode(text_message("from=x@y.org to=b@x.org"), kReceived);
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->has(FieldId::user_id));
}

TEST(Decoder, MappedUserIdIsNotLookedUp) {
  const auto staff = staff_directory({{"pc1234", "a@p.uk"}});
  Decoder decoder({email_kv_source()}, &staff);
  const auto ev = decoder.decode(text_message("from=a@p.uk to=b@x.org user.id=pc9"), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::user_id), "pc9");
  EXPECT_EQ(staff.email_lookups(), 0u);
}

TEST(Decoder, DerivesDomainsAndStripsDisplayNames) {
  Decoder decoder({email_kv_source()}, nullptr);
  const auto ev = decoder.decode(
      text_message(R"(from="Jane <Jane@Force.Police.UK>" to="\"Smith, J\" <j@Paper.Example.>")"),
      kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::email_from), "Jane@Force.Police.UK");
  EXPECT_EQ(ev->str(FieldId::email_from_domain), "force.police.uk");
  EXPECT_EQ(ev->str(FieldId::email_to), "j@Paper.Example.");
  EXPECT_EQ(ev->str(FieldId::email_to_domain), "paper.example");
}

TEST(Decoder, GivesOneEventPerRecipient) {
  Decoder decoder({email_kv_source()}, nullptr);
  const auto msg =
      text_message(R"(from=a@p.uk to="b@x.org; \"Doe, J\" <j@news.example>, c@y.org")");
  std::vector<event::Event> events;
  const auto n = decoder.decode_into(msg, kReceived, events);
  ASSERT_TRUE(n) << n.error().message;
  ASSERT_EQ(*n, 3u);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].str(FieldId::email_to), "b@x.org");
  EXPECT_EQ(events[1].str(FieldId::email_to), "j@news.example");
  EXPECT_EQ(events[1].str(FieldId::email_to_domain), "news.example");
  EXPECT_EQ(events[2].str(FieldId::email_to_domain), "y.org");
  EXPECT_NE(events[0].str(FieldId::event_id), events[1].str(FieldId::event_id));
  for (const auto& e : events) EXPECT_EQ(e.str(FieldId::email_from), "a@p.uk");

  const auto single = decoder.decode(msg, kReceived);
  ASSERT_FALSE(single);
  EXPECT_EQ(single.error().code, "decode.multiple_events");
}

TEST(Decoder, JsonRecipientListFansOut) {
  SourceMapping s = email_kv_source();
  s.format = PayloadFormat::json;
  Decoder decoder({s}, nullptr);
  std::vector<event::Event> events;
  const auto n = decoder.decode_into(
      text_message(R"({"from":"a@p.uk","to":["b@x.org","c@y.org"]})"), kReceived, events);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2u);
}

TEST(Decoder, FailedDecodeLeavesOutputUntouched) {
  Decoder decoder({email_kv_source()}, nullptr);
  std::vector<event::Event> events(1);
  EXPECT_FALSE(decoder.decode_into(text_message("to=b@x.org"), kReceived, events));
  EXPECT_EQ(events.size(), 1u);
  // An access message that fails once its event is half built (a bad value, no user) takes
  // that event out again; the events before it stay as they were.
  Decoder access({kv_source()}, nullptr);
  ASSERT_TRUE(access.decode_into(text_message("user.id=pc1 action=view"), kReceived, events));
  EXPECT_FALSE(
      access.decode_into(text_message("user.id=pc2 result.count=many"), kReceived, events));
  EXPECT_FALSE(access.decode_into(text_message("action=view"), kReceived, events));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].str(FieldId::user_id), "pc1");
}

TEST(Decoder, DerivesStableEventIdsUnlessMapped) {
  Decoder decoder({kv_source()}, nullptr);
  const auto a = decoder.decode(text_message("user.id=pc1 subject.id=P1"), kReceived);
  const auto b = decoder.decode(text_message("user.id=pc1 subject.id=P1"), kReceived);
  const auto c = decoder.decode(text_message("user.id=pc1 subject.id=P2"), kReceived);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->str(FieldId::event_id).size(), 32u);
  EXPECT_EQ(a->str(FieldId::event_id), b->str(FieldId::event_id));
  EXPECT_NE(a->str(FieldId::event_id), c->str(FieldId::event_id));
  const auto d = decoder.decode(text_message("user.id=pc1 event.id=A-77"), kReceived);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->str(FieldId::event_id), "A-77");
}

TEST(Decoder, ReplacesNulAndInvalidUtf8) {
  Decoder decoder({kv_source()}, nullptr);
  const std::string text = std::string("user.id=pc") + '\0' + "1 subject.name=M\xFCller";
  const auto ev = decoder.decode(text_message(text), kReceived);
  ASSERT_TRUE(ev) << ev.error().message;
  EXPECT_EQ(ev->str(FieldId::user_id),
            "pc\xEF\xBF\xBD"
            "1");
  EXPECT_EQ(ev->str(FieldId::subject_name), "M\xEF\xBF\xBDller");
  EXPECT_EQ(*raw(*ev, "subject.name"), "M\xEF\xBF\xBDller");
}

TEST(Decoder, SurvivesHugeValues) {
  Decoder decoder({kv_source()}, nullptr);
  const std::string text = "user.id=pc1 reason.text=" + std::string(4 << 20, 'x');
  const auto ev = decoder.decode(text_message(text), kReceived);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->str(FieldId::reason_text).size(), std::size_t{4 << 20});
}

TEST(Decoder, CountsOutcomesByReason) {
  DecodeCounters counters;
  Decoder decoder({kv_source()}, nullptr, &counters);
  (void)decoder.decode(text_message("user.id=pc1"), kReceived);
  (void)decoder.decode(text_message("user.id=pc1", "nobody"), kReceived);
  (void)decoder.decode(text_message("action=view"), kReceived);
  (void)decoder.decode(text_message("user.id=pc1 result.count=x"), kReceived);
  (void)decoder.decode(text_message("user.id=\"open"), kReceived);
  EXPECT_EQ(counters.decoded, 1u);
  EXPECT_EQ(counters.no_source, 1u);
  EXPECT_EQ(counters.missing_field, 1u);
  EXPECT_EQ(counters.bad_value, 1u);
  EXPECT_EQ(counters.bad_payload, 1u);
}

TEST(CheckSource, AcceptsTheDefaults) {
  for (const auto& s : default_sources()) EXPECT_TRUE(check_source(s)) << s.name;
}

TEST(CheckSource, RejectsMistakesWithTheSourceName) {
  const auto error_of = [](SourceMapping s) {
    const auto r = check_source(s);
    return r ? std::string() : r.error().message;
  };
  SourceMapping s = kv_source();
  s.fields = {{FieldId::email_from, "from", ""}};
  EXPECT_EQ(error_of(s), "source kv-app: email.from is not a field of access events");
  s.fields = {{FieldId::event_time, "ts", "epoch_ns"}};
  EXPECT_NE(error_of(s).find("unknown time_format \"epoch_ns\""), std::string::npos);
  s.fields = {{FieldId::user_id, "u", "epoch"}};
  EXPECT_NE(error_of(s).find("time_format is for time fields"), std::string::npos);
  s.fields = {};
  s.constants = {{FieldId::result_count, "many"}};
  EXPECT_NE(error_of(s).find("not an integer"), std::string::npos);
  s.constants = {};
  s.format = PayloadFormat::sd;
  EXPECT_NE(error_of(s).find("format sd needs sd_id"), std::string::npos);
  s.format = PayloadFormat::kv;
  s.kv_pair_separator = ':';
  EXPECT_NE(error_of(s).find("kv_pair_separator"), std::string::npos);
}

TEST(PayloadFormat, ParsesNames) {
  EXPECT_EQ(*payload_format_from_string("kv"), PayloadFormat::kv);
  EXPECT_EQ(*payload_format_from_string("JSON"), PayloadFormat::json);
  EXPECT_EQ(payload_format_from_string("xml").error().code, "decode.bad_mapping");
  EXPECT_EQ(to_string(PayloadFormat::sd), "sd");
}

}  // namespace
}  // namespace probity::decode
