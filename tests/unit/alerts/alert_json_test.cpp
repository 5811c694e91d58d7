#include <gtest/gtest.h>

#include "alerts/alerts.h"
#include "event/event.h"

using namespace probity;
using namespace probity::alerts;

namespace {

Alert sample_alert() {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, std::string("pc1234"));
  e.set(event::FieldId::subject_id, std::string("P-77"));
  e.set(event::FieldId::result_count, std::int64_t{2});
  e.add_raw("terminal", "T\"9");
  Alert a;
  a.id = "20261124T200000.000001Z-000000";
  a.rule_id = "pnc-lookup-of-declared-associate";
  a.rule_version = "3f2a";
  a.title = "Record look-up of a declared associate";
  a.severity = "high";
  a.message = "pc1234 looked up P-77 on PNC";
  a.event_time = *event::parse_time("2026-11-24T19:59:58.5Z");
  a.raised_at = *event::parse_time("2026-11-24T20:00:00.000001Z");
  a.user_id = "pc1234";
  a.events_json = {event::to_json(e)};
  a.fields = {{"subject.id", "P-77"}, {"source.system", "PNC"}, {"a.first", "x"}};
  return a;
}

}  // namespace

TEST(AlertJson, RoundTripsEveryMember) {
  const Alert a = sample_alert();
  const std::string json = to_json(a);
  auto b = alert_from_json(json);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->id, a.id);
  EXPECT_EQ(b->rule_id, a.rule_id);
  EXPECT_EQ(b->rule_version, a.rule_version);
  EXPECT_EQ(b->title, a.title);
  EXPECT_EQ(b->severity, a.severity);
  EXPECT_EQ(b->message, a.message);
  EXPECT_EQ(b->event_time, a.event_time);
  EXPECT_EQ(b->raised_at, a.raised_at);
  EXPECT_EQ(b->user_id, a.user_id);
  EXPECT_EQ(b->events_json, a.events_json);  // evidence text survives byte for byte
  EXPECT_EQ(b->fields, a.fields);            // rule order, not sorted
  EXPECT_EQ(b->status, "new");
  EXPECT_EQ(to_json(*b), json);
}

TEST(AlertJson, IsOneLineWithEvidenceAsObjects) {
  const std::string json = to_json(sample_alert());
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find(R"("events":[{"event.kind":"access")"), std::string::npos) << json;
}

TEST(AlertJson, KeepsEvidenceThatIsNotJsonAsText) {
  Alert a = sample_alert();
  a.events_json = {"not json {"};
  auto b = alert_from_json(to_json(a));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->events_json, a.events_json);
}

TEST(AlertJson, RejectsRecordsWithoutIdOrBadTimes) {
  EXPECT_FALSE(alert_from_json("[]"));
  EXPECT_FALSE(alert_from_json("{"));
  auto no_id = alert_from_json(R"({"rule_id":"r","event_time":"2026-11-24T20:00:00Z",)"
                               R"("raised_at":"2026-11-24T20:00:00Z"})");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().code, "alerts.bad_json");
  EXPECT_EQ(no_id.error().message, "alert JSON lacks \"id\"");
  auto bad_time = alert_from_json(R"({"id":"1","rule_id":"r","event_time":"soon",)"
                                  R"("raised_at":"2026-11-24T20:00:00Z"})");
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().message, "alert JSON \"event_time\" is not an RFC 3339 time: soon");
}

TEST(AlertJson, CarriesDescriptionGuidanceAndLookupsWithTheirShownView) {
  Alert a = sample_alert();
  a.description = "Why it matters";
  a.guidance = "Check the register";
  a.lookups = {{"staff(user.id).vetting.level", "NPPV2"}, {"subject.address", "1 High St"}};
  a.shown.emplace();
  a.shown->user = "PSN-1";
  a.shown->lookups = {{"staff(user.id).vetting.level", "NPPV2"}, {"subject.address", "[withheld]"}};
  auto b = alert_from_json(to_json(a));
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->description, a.description);
  EXPECT_EQ(b->guidance, a.guidance);
  EXPECT_EQ(b->lookups, a.lookups);  // expression order kept
  ASSERT_TRUE(b->shown);
  EXPECT_EQ(b->shown->lookups, a.shown->lookups);
  EXPECT_EQ(as_shown(*b).lookups, a.shown->lookups);  // channels see the masked values only
}

TEST(AlertJson, AlertsStoredBeforeGuidanceStillDecode) {
  auto old =
      alert_from_json(R"({"id":"1","rule_id":"r","title":"T","severity":"high",)"
                      R"("event_time":"2026-11-24T20:00:00Z","raised_at":"2026-11-24T20:00:00Z",)"
                      R"("shown":{"key_id":"k","user":"PSN-1","message":"m"}})");
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->description, "");
  EXPECT_EQ(old->guidance, "");
  EXPECT_TRUE(old->lookups.empty());
  EXPECT_TRUE(old->shown->lookups.empty());
  EXPECT_EQ(to_json(*old).find("guidance"), std::string::npos);  // absent stays absent
}
