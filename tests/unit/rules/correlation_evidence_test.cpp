// Alert evidence of correlations: a match carries the events of every step in time order, kept
// within bounds (5 per step, 20 per alert, a byte budget) that it counts when they bite, and
// kept across a restart, old persisted state (without evidence) included.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "lookup_and_media_rules.h"
#include "memory_correlation_store.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

namespace {

event::Event lookup(const std::string& user, const std::string& time, const std::string& subject) {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::action, std::string("query"));
  e.set(event::FieldId::subject_id, subject);
  e.set(event::FieldId::event_time, *event::parse_time(time));
  return e;
}

event::Event media_email(const std::string& user, const std::string& time,
                         const std::string& subject = "hello") {
  event::Event e(event::Kind::email);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::email_to_domain, std::string("news.example"));
  e.set(event::FieldId::email_subject, subject);
  e.set(event::FieldId::event_time, *event::parse_time(time));
  return e;
}

// "2026-01-05T09:MM:00Z" for minute m (m < 60).
std::string minute(int m) { return fmt::format("2026-01-05T09:{:02}:00Z", m); }

struct Engine {
  explicit Engine(CorrelationOptions options = {})
      : rules(load_ok(kLookupAndMediaRules)), engine(rules, std::move(options)) {}
  // The matches of rule `id` that `e` raises.
  std::vector<Match> feed(const event::Event& e, std::string_view id) {
    std::vector<Match> matches, out;
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    for (auto& m : matches)
      if (m.rule_id == id) out.push_back(std::move(m));
    return out;
  }
  TestReference ref;
  std::shared_ptr<const RuleSet> rules;
  CorrelationEngine engine;
};

bool has(const std::string& json, const std::string& text) {
  return json.find(text) != std::string::npos;
}

// The saved entry of lookup-then-media of this kind ('c' group, 'v' evidence), or end().
auto saved_entry(MemoryCorrelationStore& store, char kind) {
  return std::find_if(store.data.begin(), store.data.end(), [&](const auto& kv) {
    return kv.first.find("lookup-then-media") != std::string::npos && kv.first[0] == kind;
  });
}

std::string shown(const Match& m, std::string_view name) {
  for (const auto& [n, v] : m.shown_fields)
    if (n == name) return v;
  return {};
}

}  // namespace

TEST(CorrelationEvidence, ASequenceCarriesEveryStepsEventInTimeOrder) {
  Engine h;
  EXPECT_TRUE(h.feed(lookup("pc1", minute(0), "P0012345"), "lookup-then-media").empty());
  const auto out = h.feed(media_email("pc1", minute(30)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  const auto& events = out[0].evidence_events;
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(has(events[0], R"("subject.id":"P0012345")")) << events[0];
  EXPECT_TRUE(has(events[0], minute(0).substr(0, 16))) << events[0];
  EXPECT_TRUE(has(events[1], R"("event.kind":"email")")) << events[1];  // the trigger, last
  EXPECT_EQ(out[0].evidence_omitted, 0u);
  EXPECT_EQ(shown(out[0], "evidence"), "");
}

TEST(CorrelationEvidence, AStepKeepsItsFirstAndLatestEventsAndCountsTheRest) {
  Engine h;
  for (int i = 0; i < 12; ++i) h.feed(lookup("pc1", minute(i), fmt::format("P{:02}", i)), "none");
  const auto out = h.feed(media_email("pc1", minute(40)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  const auto& events = out[0].evidence_events;
  ASSERT_EQ(events.size(), 6u);  // 5 look-ups and the email
  for (const char* id : {"P00", "P08", "P09", "P10", "P11"})
    EXPECT_EQ(std::count_if(events.begin(), events.end(),
                            [&](const auto& e) { return has(e, fmt::format("\"{}\"", id)); }),
              1)
        << id;
  EXPECT_TRUE(has(events[0], "\"P00\""));
  EXPECT_TRUE(has(events[5], "email"));
  EXPECT_EQ(out[0].evidence_omitted, 7u);
  EXPECT_EQ(shown(out[0], "evidence"), "7 more matching events not kept");
  // Consumed with the alert: the next chain starts afresh.
  h.feed(lookup("pc1", minute(41), "P99"), "none");
  const auto next = h.feed(media_email("pc1", minute(42)), "lookup-then-media");
  ASSERT_EQ(next.size(), 1u);
  ASSERT_EQ(next[0].evidence_events.size(), 2u);
  EXPECT_TRUE(has(next[0].evidence_events[0], "\"P99\""));
}

TEST(CorrelationEvidence, ACountCarriesTheEventsOfItsWindow) {
  Engine h;
  h.feed(lookup("pc1", minute(0), "P1"), "bulk");
  h.feed(lookup("pc1", minute(1), "P2"), "bulk");
  const auto out = h.feed(lookup("pc1", minute(2), "P3"), "bulk");
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].evidence_events.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_TRUE(has(out[0].evidence_events[i], fmt::format("\"P{}\"", i + 1)));
}

TEST(CorrelationEvidence, ALinkedSequenceShowsTheLinkedEventsOfEachStep) {
  Engine h;
  h.feed(media_email("pc1", minute(0), "unrelated"), "none");
  h.feed(media_email("pc1", minute(1), "Operation Kestrel notes"), "none");
  h.feed(lookup("pc1", minute(2), "P1"), "none");
  const auto out =
      h.feed(media_email("pc1", minute(3), "re: operation kestrel notes"), "named-in-email");
  ASSERT_EQ(out.size(), 1u);
  const auto& events = out[0].evidence_events;
  ASSERT_EQ(events.size(), 3u);
  EXPECT_TRUE(has(events[0], "Operation Kestrel notes")) << events[0];
  EXPECT_TRUE(has(events[1], "\"P1\"")) << events[1];
  EXPECT_TRUE(has(events[2], "re: operation kestrel")) << events[2];
}

TEST(CorrelationEvidence, AnAlertShowsAtMostTwentyEvents) {
  std::string rules = kLookupAndMediaRules;
  rules += R"(- correlation: long-chain
  title: Six look-ups then an email
  severity: high
  sequence: {by: user.id, within: 24h, steps: [lookup, lookup, lookup, lookup, lookup, media-email]}
)";
  std::shared_ptr<const RuleSet> set = load_ok(rules);
  CorrelationEngine engine(set, {});
  TestReference ref;
  std::vector<Match> out;
  auto run = [&](const event::Event& e) {
    std::vector<Match> matches;
    set->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    for (auto& m : matches)
      if (m.rule_id == "long-chain") out.push_back(std::move(m));
  };
  for (int i = 0; i < 10; ++i) run(lookup("pc1", minute(i), fmt::format("P{:02}", i)));
  ASSERT_TRUE(out.empty());
  run(media_email("pc1", minute(30)));
  ASSERT_EQ(out.size(), 1u);
  const auto& events = out[0].evidence_events;
  ASSERT_EQ(events.size(), 20u);
  EXPECT_TRUE(has(events.front(), "\"P00\""));
  EXPECT_TRUE(has(events.back(), "email"));
  EXPECT_GT(out[0].evidence_omitted, 0u);
  EXPECT_NE(shown(out[0], "evidence"), "");
}

TEST(CorrelationEvidence, ALongValueIsCutSoOneEventCannotCrowdOutTheRest) {
  Engine h;
  h.feed(lookup("pc1", minute(0), "P1"), "none");
  auto padded = lookup("pc1", minute(1), "P2");
  padded.set(event::FieldId::reason_text, std::string(100'000, 'x'));
  h.feed(padded, "none");
  const auto out = h.feed(media_email("pc1", minute(2)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].evidence_events.size(), 3u);
  EXPECT_LT(out[0].evidence_events[1].size(), 4096u);
  EXPECT_TRUE(has(out[0].evidence_events[1], "xxx..."));
}

TEST(CorrelationEvidence, TheBudgetTakesEvidenceNotCorrelationState) {
  CorrelationOptions options;
  options.max_evidence_bytes = 1024;  // a few events in all
  Engine h(options);
  for (int i = 0; i < 20; ++i) h.feed(lookup(fmt::format("pc{}", i), minute(i), "P1"), "none");
  EXPECT_GT(h.engine.counters().evidence_dropped, 0u);
  // The first user's look-up lost its evidence to the budget, not its place in the sequence.
  const auto out = h.feed(media_email("pc0", minute(30)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].evidence_events.size(), 1u);
  EXPECT_EQ(out[0].evidence_omitted, 1u);
  EXPECT_EQ(shown(out[0], "evidence"), "1 more matching event not kept");
}

TEST(CorrelationEvidence, EvidenceSurvivesARestartBetweenSteps) {
  MemoryCorrelationStore store;
  {
    Engine h;
    h.feed(lookup("pc1", minute(0), "P0012345"), "none");
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  Engine h;
  ASSERT_TRUE(h.engine.restore(store));
  const auto out = h.feed(media_email("pc1", minute(30)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].evidence_events.size(), 2u);
  EXPECT_TRUE(has(out[0].evidence_events[0], R"("subject.id":"P0012345")"));
  EXPECT_EQ(out[0].evidence_omitted, 0u);
}

TEST(CorrelationEvidence, StateSavedBeforeEvidenceExistedStillRestores) {
  MemoryCorrelationStore store;
  {
    Engine h;
    h.feed(lookup("pc1", minute(0), "P0012345"), "none");
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  // Rewrite the sequence group as the format before evidence: version byte, the step times,
  // the until times, no link values; nothing after.
  auto group = saved_entry(store, 'c');
  ASSERT_NE(group, store.data.end());
  std::string old(1, '\x01');
  auto i64 = [&](std::int64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);
    old.append(b, 8);
  };
  const auto t0 = event::parse_time(minute(0))->time_since_epoch().count();
  i64(2);  // steps
  i64(1);
  i64(t0);  // step 1: the look-up
  i64(0);   // step 2: none
  i64(0);   // until: none
  group->second = old;
  std::erase_if(store.data, [](const auto& kv) { return kv.first[0] == 'v'; });  // none then
  Engine h;
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_EQ(h.engine.counters().discarded, 0u);
  const auto out = h.feed(media_email("pc1", minute(30)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].evidence_events.size(), 1u);  // the email; the look-up was never kept
  EXPECT_EQ(out[0].evidence_omitted, 1u);
  EXPECT_EQ(shown(out[0], "evidence"), "1 more matching event not kept");
}

// Each kept event is its own entry, written once: a busy group's checkpoint rewrites its times,
// not every event it keeps; an entry goes when its event leaves the group (here, into an alert).
TEST(CorrelationEvidence, EachKeptEventIsSavedOnceAndErasedWhenUsed) {
  MemoryCorrelationStore store;
  Engine h;
  auto entries = [&] {
    std::map<std::string, std::string> v;
    for (const auto& [k, value] : store.data)
      if (k[0] == 'v' && k.find("lookup-then-media") != std::string::npos) v[k] = value;
    return v;
  };
  h.feed(lookup("pc1", minute(0), "P0012345"), "none");
  ASSERT_TRUE(h.engine.checkpoint(store));
  const auto first = entries();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_TRUE(has(first.begin()->second, "P0012345"));
  h.feed(lookup("pc1", minute(1), "P0099999"), "none");
  ASSERT_TRUE(h.engine.checkpoint(store));
  const auto second = entries();
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second.at(first.begin()->first), first.begin()->second);
  for (const auto& [k, v] : store.data) {
    if (k[0] == 'c') {
      EXPECT_FALSE(has(v, "P0012345")) << "evidence inline in " << k;
    }
  }
  ASSERT_EQ(h.feed(media_email("pc1", minute(30)), "lookup-then-media").size(), 1u);
  ASSERT_TRUE(h.engine.checkpoint(store));
  EXPECT_TRUE(entries().empty());
}

// A restored event's entry is erased when it leaves its group, as one saved by the same
// engine: its key is made again from the sequence number the entry was saved under.
TEST(CorrelationEvidence, AKeptEventRestoredIsErasedWhenUsed) {
  MemoryCorrelationStore store;
  auto entries = [&] {
    return std::count_if(store.data.begin(), store.data.end(), [](const auto& kv) {
      return kv.first[0] == 'v' && kv.first.find("lookup-then-media") != std::string::npos;
    });
  };
  {
    Engine h;
    h.feed(lookup("pc1", minute(0), "P0012345"), "none");
    h.feed(lookup("pc2", minute(0), "P0054321"), "none");
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  ASSERT_EQ(entries(), 2);
  Engine h;
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_EQ(h.engine.counters().discarded, 0u);
  ASSERT_EQ(h.feed(media_email("pc1", minute(30)), "lookup-then-media").size(), 1u);
  ASSERT_TRUE(h.engine.checkpoint(store));
  EXPECT_EQ(entries(), 1);  // pc2's is still kept
}

// The previous version saved evidence inside the group: it still restores, and moves to
// entries of its own when the group next changes.
TEST(CorrelationEvidence, EvidenceSavedInsideItsGroupStillRestores) {
  MemoryCorrelationStore store;
  {
    Engine h;
    h.feed(lookup("pc1", minute(0), "P0012345"), "none");
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  auto group = saved_entry(store, 'c');
  auto entry = saved_entry(store, 'v');
  ASSERT_NE(group, store.data.end());
  ASSERT_NE(entry, store.data.end());
  // Inline: a count, then per event its time, step and JSON, as the entry holds them.
  std::string inline_evidence(8, '\0');
  inline_evidence[0] = 1;
  inline_evidence += entry->second.substr(1);
  group->second += inline_evidence;
  store.data.erase(entry);
  Engine h;
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_EQ(h.engine.counters().discarded, 0u);
  h.feed(lookup("pc1", minute(1), "P0099999"), "none");
  ASSERT_TRUE(h.engine.checkpoint(store));
  std::size_t entries = 0;
  for (const auto& [k, v] : store.data)
    if (k[0] == 'v' && k.find("lookup-then-media") != std::string::npos) ++entries;
  EXPECT_EQ(entries, 2u);
  const auto out = h.feed(media_email("pc1", minute(30)), "lookup-then-media");
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].evidence_events.size(), 3u);
  EXPECT_TRUE(has(out[0].evidence_events[0], R"("subject.id":"P0012345")"));
}
