#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

namespace {

using Dom = nlohmann::ordered_json;

// The alert as a tree dumped by nlohmann, as to_json wrote it before it wrote text
// directly: the reference its text must match byte for byte.
Dom pairs_dom(const std::vector<std::pair<std::string, std::string>>& pairs) {
  Dom j = Dom::object();
  for (const auto& [name, value] : pairs) j[name] = value;
  return j;
}
Dom events_dom(const std::vector<std::string>& events) {
  Dom out = Dom::array();
  for (const auto& e : events) {
    Dom parsed = Dom::parse(e, nullptr, false);
    out.push_back(parsed.is_discarded() ? Dom(e) : std::move(parsed));
  }
  return out;
}
std::string reference_json(const Alert& a) {
  Dom j;
  j["id"] = a.id;
  j["rule_id"] = a.rule_id;
  j["rule_version"] = a.rule_version;
  j["title"] = a.title;
  if (!a.description.empty()) j["description"] = a.description;
  if (!a.guidance.empty()) j["guidance"] = a.guidance;
  j["severity"] = a.severity;
  if (!a.tags.empty()) j["tags"] = a.tags;
  if (!a.source.empty()) j["source"] = a.source;
  j["message"] = a.message;
  j["event_time"] = event::format_time(a.event_time);
  j["raised_at"] = event::format_time(a.raised_at);
  j["user_id"] = a.user_id;
  j["status"] = a.status;
  if (!a.owner.empty()) j["owner"] = a.owner;
  if (!a.origin.empty()) j["origin"] = a.origin;
  j["count"] = a.count;
  j["last_seen"] =
      event::format_time(a.last_seen == event::Timestamp{} ? a.event_time : a.last_seen);
  j["fields"] = pairs_dom(a.fields);
  j["events"] = events_dom(a.events_json);
  if (!a.lookups.empty()) j["lookups"] = pairs_dom(a.lookups);
  if (!a.history.empty()) {
    Dom& history = j["history"] = Dom::array();
    for (const auto& h : a.history) {
      Dom e;
      e["at"] = event::format_time(h.at);
      e["by"] = h.actor;
      e["action"] = h.action;
      e["from"] = h.from;
      e["to"] = h.to;
      if (!h.text.empty()) e["text"] = h.text;
      if (!h.owner.empty()) e["owner"] = h.owner;
      if (!h.dismissal.empty()) e["dismissal"] = h.dismissal;
      if (!h.reference.empty()) e["reference"] = h.reference;
      history.push_back(std::move(e));
    }
  }
  if (a.shown) {
    Dom& shown = j["shown"];
    shown["key_id"] = a.shown->key_id;
    shown["user"] = a.shown->user;
    shown["message"] = a.shown->message;
    shown["fields"] = pairs_dom(a.shown->fields);
    shown["events"] = events_dom(a.shown->events_json);
    if (!a.shown->lookups.empty()) shown["lookups"] = pairs_dom(a.shown->lookups);
  }
  return j.dump(-1, ' ', false, Dom::error_handler_t::replace);
}

}  // namespace

TEST(AlertJson, WritesTheTextATreeDumpedByNlohmannGives) {
  Alert a = sample_alert();
  // Attacker-written text everywhere: quotes, control bytes, invalid UTF-8, non-ASCII.
  const std::string nasty = "O'Brien \"x\"\\ \x01\t\n caf\xc3\xa9 \xff\xfe end";
  a.description = "why: " + nasty;
  a.guidance = "what next";
  a.tags = {"association", nasty};
  a.source = "PNC";
  a.message = nasty;
  a.owner = "inspector.b";
  a.origin = "9f00";
  a.count = 12345678901ULL;
  a.last_seen = *event::parse_time("2026-11-25T01:02:03.000004Z");
  a.fields = {{"user.id", "a"}, {nasty, nasty}, {"user.id", "b"}, {"", ""}};
  a.lookups = {{"staff(user.id).vetting.level", "NPPV2"}};
  a.events_json.push_back("not json at all {");
  a.events_json.push_back("{\"spans\":\n\"lines\"}");  // JSON, but not one line
  a.events_json.push_back(R"({"x":"\u00e9\/"})");      // escapes nlohmann writes otherwise
  a.events_json.push_back("[1,2,{\"a\":null}]");
  a.events_json.push_back("{\"bad\":\"\xff\"}");  // invalid UTF-8 inside: not JSON
  a.history = {{*event::parse_time("2026-11-26T00:00:00Z"), "desk", "assign", "new", "new", "",
                "inspector.b", "", ""},
               {*event::parse_time("2026-11-27T00:00:00Z"), "desk", "dismiss", "new", "dismissed",
                nasty, "", "no_case", "REF/1"}};
  ShownAlert shown;
  shown.key_id = "k1";
  shown.user = "PSN-1";
  shown.message = "m " + nasty;
  shown.fields = {{"user.id", "PSN-1"}};
  shown.events_json = {a.events_json.front(), "{}"};
  shown.lookups = {{"x", "[withheld]"}, {"x", "y"}};
  a.shown = shown;

  const std::string text = to_json(a);
  // Evidence that nlohmann would rewrite is compared as parsed; everything else as text.
  Alert verbatim = a;
  verbatim.events_json.erase(verbatim.events_json.begin() + 3);  // the \u00e9 escape
  EXPECT_EQ(to_json(verbatim), reference_json(verbatim));
  EXPECT_EQ(Dom::parse(text), Dom::parse(reference_json(a)));
  EXPECT_EQ(text.find('\n'), std::string::npos);
  auto back = alert_from_json(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), reference_json(*back));

  Alert bare;  // every optional member left out
  bare.id = "1";
  EXPECT_EQ(to_json(bare), reference_json(bare));
  EXPECT_EQ(history_to_json({}), "[]");
}
