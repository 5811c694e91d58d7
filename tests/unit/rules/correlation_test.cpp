// Correlations over detections (count, distinct, sequence, absent, first_seen, baseline, risk),
// chaining, building blocks, lateness, eviction, persistence, reload carry-over, suppression and
// exceptions.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "memory_correlation_store.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using namespace std::chrono_literals;

namespace {

const char* kBase = R"(- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: media-email
  title: Email to media
  severity: medium
  building_block: true
  condition: event.kind == "email" and email.to.domain == "news.example"
- detection: declared
  title: Contact declared
  severity: info
  building_block: true
  condition: event.kind == "access" and action == "declare"
)";

event::Timestamp at(const std::string& text) { return *event::parse_time(text); }

event::Event access(const std::string& user, const std::string& time,
                    const std::string& action = "query", const std::string& subject = "P1") {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::action, action);
  e.set(event::FieldId::subject_id, subject);
  e.set(event::FieldId::event_time, at(time));
  return e;
}

event::Event email(const std::string& user, const std::string& time) {
  event::Event e(event::Kind::email);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::email_to_domain, std::string("news.example"));
  e.set(event::FieldId::event_time, at(time));
  return e;
}

// Runs events through evaluate + process (+ advance_time to each event's time) the way the pipeline
// does; records every non-building-block match.
struct Harness {
  explicit Harness(std::string_view yaml, CorrelationOptions options = {})
      : rules(load_ok(std::string(kBase) + std::string(yaml))), engine(rules, options) {}
  std::vector<Match> feed(const event::Event& e) {
    std::vector<Match> matches;
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    std::vector<Match> out;
    for (auto& m : matches)
      if (!m.building_block) out.push_back(std::move(m));
    if (auto t = e.time()) advance(*t, out);
    return out;
  }
  void advance(event::Timestamp t, std::vector<Match>& out) {
    std::vector<std::pair<Match, event::Event>> timed;
    engine.advance_time(t, ref, timed);
    for (auto& [m, ev] : timed)
      if (!m.building_block) out.push_back(std::move(m));
  }
  std::vector<Match> advance(event::Timestamp t) {
    std::vector<Match> out;
    advance(t, out);
    return out;
  }
  TestReference ref;
  std::shared_ptr<const RuleSet> rules;
  CorrelationEngine engine;
};

CorrelationOptions with_lateness(std::chrono::microseconds lateness) {
  CorrelationOptions o;
  o.lateness = lateness;
  return o;
}

std::size_t fired(const std::vector<Match>& ms, std::string_view id) {
  std::size_t n = 0;
  for (const auto& m : ms) n += m.rule_id == id;
  return n;
}

const char* kBulk = R"(- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 3}
)";

}  // namespace

TEST(Correlation, CountFiresAtThresholdInsideTheSlidingWindow) {
  Harness h(kBulk);
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:00:00Z")), "bulk"), 0u);
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:30:00Z")), "bulk"), 0u);
  EXPECT_EQ(fired(h.feed(access("pc2", "2026-01-05T09:40:00Z")), "bulk"),
            0u);                                                   // other key
  const auto out = h.feed(access("PC1", "2026-01-05T09:59:59Z"));  // key folds case
  ASSERT_EQ(fired(out, "bulk"), 1u);
  EXPECT_EQ(out[0].severity, Severity::high);
  EXPECT_NE(out[0].message.find("user.id=PC1"), std::string::npos) << out[0].message;
  // Consumed: the next two do not fire again.
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T10:01:00Z")), "bulk"), 0u);
}

TEST(Correlation, MatchesCarryTheCorrelationsDescriptionAndGuidance) {
  Harness h(R"(- correlation: bulk
  title: Bulk look-ups
  description: Many look-ups in an hour suggest trawling.
  guidance: Compare the look-ups with the officer's tasking.
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 2}
)");
  h.feed(access("pc1", "2026-01-05T09:00:00Z"));
  const auto out = h.feed(access("pc1", "2026-01-05T09:01:00Z"));
  ASSERT_EQ(fired(out, "bulk"), 1u);
  EXPECT_EQ(out[0].description, "Many look-ups in an hour suggest trawling.");
  EXPECT_EQ(out[0].guidance, "Compare the look-ups with the officer's tasking.");
}

TEST(Correlation, CountWindowEdgeIsInclusiveAndSlides) {
  Harness h(kBulk);
  h.feed(access("pc1", "2026-01-05T09:00:00Z"));
  h.feed(access("pc1", "2026-01-05T09:30:00Z"));
  // 1h and 1 s after the first: the first has slid out.
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T10:00:01Z")), "bulk"), 0u);
  Harness edge(kBulk);
  edge.feed(access("pc1", "2026-01-05T09:00:00Z"));
  edge.feed(access("pc1", "2026-01-05T09:30:00Z"));
  EXPECT_EQ(fired(edge.feed(access("pc1", "2026-01-05T10:00:00Z")), "bulk"), 1u);
}

TEST(Correlation, OutOfOrderInsideLatenessCountsAndLaterIsDropped) {
  Harness h(kBulk, with_lateness(10min));
  h.feed(access("pc1", "2026-01-05T09:20:00Z"));
  h.feed(access("pc1", "2026-01-05T09:25:00Z"));
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:18:00Z")), "bulk"),
            1u);  // 7 min late
  h.feed(access("pc2", "2026-01-05T09:40:00Z"));
  h.feed(access("pc2", "2026-01-05T09:41:00Z"));
  // 30 min behind the newest event: beyond the 10 min bound, not correlated.
  EXPECT_EQ(fired(h.feed(access("pc2", "2026-01-05T09:11:00Z")), "bulk"), 0u);
  EXPECT_EQ(h.engine.counters().late_events, 1u);
}

TEST(Correlation, DistinctCountsDifferentValues) {
  Harness h(R"(- correlation: many-subjects
  title: Many subjects
  severity: high
  distinct: {of: lookup, by: user.id, field: subject.id, within: 1h, threshold: 3}
)");
  h.feed(access("pc1", "2026-01-05T09:00:00Z", "query", "P1"));
  h.feed(access("pc1", "2026-01-05T09:01:00Z", "query",
                "p1"));  // same subject (case)
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:02:00Z", "query", "P2")), "many-subjects"),
            0u);
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:03:00Z", "query", "P3")), "many-subjects"),
            1u);
}

const char* kSequence = R"(- correlation: lookup-then-media
  title: Look-up then media email
  severity: critical
  sequence: {by: user.id, within: 24h, steps: [lookup, media-email], until: declared}
)";

TEST(Correlation, SequenceInOrderWithinSpan) {
  Harness h(kSequence);
  EXPECT_EQ(fired(h.feed(email("pc1", "2026-01-05T08:00:00Z")), "lookup-then-media"), 0u);
  h.feed(access("pc1", "2026-01-05T09:00:00Z"));
  const auto out = h.feed(email("pc1", "2026-01-05T20:00:00Z"));
  ASSERT_EQ(fired(out, "lookup-then-media"), 1u);
  EXPECT_EQ(out[0].severity, Severity::critical);
  // Too far apart.
  h.feed(access("pc2", "2026-01-05T09:00:00Z"));
  EXPECT_EQ(fired(h.feed(email("pc2", "2026-01-06T09:00:01Z")), "lookup-then-media"), 0u);
}

TEST(Correlation, SequenceUntilCancels) {
  Harness h(kSequence);
  h.feed(access("pc1", "2026-01-05T09:00:00Z"));
  h.feed(access("pc1", "2026-01-05T10:00:00Z", "declare"));
  EXPECT_EQ(fired(h.feed(email("pc1", "2026-01-05T11:00:00Z")), "lookup-then-media"), 0u);
  // A new look-up after the declaration starts again.
  h.feed(access("pc1", "2026-01-05T12:00:00Z"));
  EXPECT_EQ(fired(h.feed(email("pc1", "2026-01-05T13:00:00Z")), "lookup-then-media"), 1u);
}

TEST(Correlation, SequenceOutOfOrderArrivalStillOrdersByEventTime) {
  Harness h(kSequence);
  h.feed(email("pc1", "2026-01-05T09:05:00Z"));
  // The look-up happened first but arrives second (inside the 5 min default lateness).
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:01:00Z")), "lookup-then-media"), 1u);
}

TEST(Correlation, SequencePerStepKeys) {
  Harness h(R"(- correlation: same-subject
  title: Looked up then emailed about by subject
  severity: high
  sequence:
    by: user.id
    within: 1h
    steps: [{rule: lookup, by: subject.id}, {rule: media-email, by: email.from}]
)");
  auto e = email("pc1", "2026-01-05T09:30:00Z");
  e.set(event::FieldId::email_from, std::string("p7"));
  h.feed(access("pc1", "2026-01-05T09:00:00Z", "query", "P7"));
  EXPECT_EQ(fired(h.feed(e), "same-subject"), 1u);
}

const char* kAbsent = R"(- correlation: undeclared-media
  title: Media email without a declaration
  severity: high
  absent: {of: media-email, followed_by: declared, by: user.id, within: 24h}
)";

TEST(Correlation, AbsentFiresFromTheTimerWithoutFurtherEvents) {
  Harness h(kAbsent, with_lateness(1min));
  h.feed(email("pc1", "2026-01-05T09:00:00Z"));
  h.feed(email("pc2", "2026-01-05T09:00:00Z"));
  h.feed(access("pc2", "2026-01-05T15:00:00Z", "declare"));
  EXPECT_TRUE(h.advance(at("2026-01-06T09:00:30Z")).empty());  // inside the lateness bound
  const auto out = h.advance(at("2026-01-06T09:01:00Z"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rule_id, "undeclared-media");
  EXPECT_NE(out[0].message.find("user.id=pc1"), std::string::npos) << out[0].message;
  EXPECT_TRUE(h.advance(at("2026-01-08T00:00:00Z")).empty());
}

TEST(Correlation, FirstSeenAfterLearning) {
  Harness h(R"(- correlation: new-system
  title: First access to a system
  severity: medium
  first_seen: {of: lookup, by: user.id, field: source.system, learning: 1d}
  max_keys: 1000
)");
  auto on = [](event::Event e, const char* system) {
    e.set(event::FieldId::source_system, std::string(system));
    return e;
  };
  EXPECT_EQ(fired(h.feed(on(access("pc1", "2026-01-05T09:00:00Z"), "PNC")), "new-system"), 0u);
  EXPECT_EQ(fired(h.feed(on(access("pc1", "2026-01-06T10:00:00Z"), "pnc")), "new-system"), 0u);
  EXPECT_EQ(fired(h.feed(on(access("pc1", "2026-01-06T11:00:00Z"), "Niche")), "new-system"), 1u);
  EXPECT_EQ(fired(h.feed(on(access("pc1", "2026-01-06T12:00:00Z"), "niche")), "new-system"), 0u);
}

TEST(Correlation, BaselineAgainstTheUsersOwnHistory) {
  Harness h(R"(- correlation: unusual-volume
  title: Unusual look-up volume
  severity: medium
  baseline: {of: lookup, by: user.id, period: 1d, history: 14d, min_history: 5d, z: 3, min_count: 5}
  max_keys: 1000
)");
  // Seven days of 2 look-ups a day.
  for (int d = 1; d <= 7; ++d)
    for (int i = 0; i < 2; ++i)
      h.feed(access("pc1", fmt::format("2026-01-{:02}T09:0{}:00Z", d, i)));
  std::size_t n = 0;
  for (int i = 0; i < 6; ++i)
    n += fired(h.feed(access("pc1", fmt::format("2026-01-08T10:0{}:00Z", i))), "unusual-volume");
  EXPECT_EQ(n, 1u);  // once per day, at the 5th look-up (min_count)
}

const char* kRisk = R"(- correlation: risky
  title: Risk score
  severity: high
  risk: {by: user.id, scores: {lookup: 40, media-email: 30}, half_life: 7d, threshold: 100}
  max_keys: 1000
)";

TEST(Correlation, RiskAccumulatesAndDecays) {
  Harness h(kRisk);
  h.feed(access("pc1", "2026-01-01T09:00:00Z"));
  h.feed(access("pc1", "2026-01-02T10:00:00Z"));
  EXPECT_EQ(fired(h.feed(email("pc1", "2026-01-02T11:00:00Z")), "risky"),
            1u);  // 40 * 0.9 + 40 + 30
  // Another user spreads the same over weeks: decays below.
  h.feed(access("pc2", "2026-01-01T09:00:00Z"));
  h.feed(access("pc2", "2026-01-15T09:00:00Z"));  // 40/4 + 40 = 50
  EXPECT_EQ(fired(h.feed(email("pc2", "2026-01-15T10:00:00Z")), "risky"), 0u);
}

TEST(Correlation, ChainedCorrelationAndBuildingBlocks) {
  Harness h(std::string(kBulk) + R"(  building_block: true
- correlation: repeated-bulk
  title: Repeated bulk look-ups
  severity: critical
  count: {of: bulk, by: user.id, within: 1d, threshold: 2}
)");
  std::size_t bulk = 0, repeated = 0;
  for (int i = 0; i < 6; ++i) {
    auto out = h.feed(access("pc1", fmt::format("2026-01-05T09:0{}:00Z", i)));
    bulk += fired(out, "bulk");
    repeated += fired(out, "repeated-bulk");
  }
  EXPECT_EQ(bulk, 0u);  // a building block never alerts alone
  EXPECT_EQ(repeated, 1u);
}

TEST(Correlation, KeyCapEvictsLeastRecentlyUsedAndCounts) {
  Harness h(R"(- correlation: bulk
  title: Bulk
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 2}
  max_keys: 2
)");
  h.feed(access("a", "2026-01-05T09:00:00Z"));
  h.feed(access("b", "2026-01-05T09:01:00Z"));
  h.feed(access("c", "2026-01-05T09:02:00Z"));  // evicts a
  EXPECT_EQ(h.engine.counters().evicted_keys, 1u);
  EXPECT_EQ(fired(h.feed(access("a", "2026-01-05T09:03:00Z")), "bulk"),
            0u);  // a restarted
  EXPECT_EQ(h.engine.counters().keys, 2u);
}

// Idle groups are swept a slice at a time: a thousand users' windows, all past, are gone
// after enough later events; a reload in the middle of a pass leaves it safely behind.
TEST(Correlation, IdleGroupsAreSweptInSlicesAndAReloadMidPassIsSafe) {
  const char* yaml = R"(- correlation: bulk
  title: Bulk
  severity: high
  count: {of: lookup, by: user.id, within: 10m, threshold: 50}
)";
  Harness h(yaml);
  for (int i = 0; i < 1000; ++i)
    h.feed(access(fmt::format("u{}", i), fmt::format("2026-01-05T09:00:{:02}Z", i % 60)));
  EXPECT_EQ(h.engine.counters().keys, 1000u);
  // An hour later: a pass starts and trims a slice; then a reload of the same rules.
  h.feed(access("late", "2026-01-05T10:00:00Z"));
  EXPECT_LT(h.engine.counters().keys, 1000u);
  EXPECT_GT(h.engine.counters().keys, 2u);
  h.engine.set_rules(load_ok(std::string(kBase) + yaml));
  // The next pass, a minute and a thousand events on, finishes over later events.
  for (int i = 0; i < 1100; ++i)
    h.feed(access("late", fmt::format("2026-01-05T10:{:02}:{:02}Z", 1 + i / 60, i % 60)));
  EXPECT_EQ(h.engine.counters().keys, 1u);
}

// A pass waits for as many events as the last one had groups, so sweeping costs at most a
// group per event: a replay, which covers a minute in a few hundred events, would otherwise
// sweep without pause.
TEST(Correlation, APassWaitsForAsManyEventsAsTheLastHadGroups) {
  Harness h(R"(- correlation: bulk
  title: Bulk
  severity: high
  count: {of: lookup, by: user.id, within: 10m, threshold: 5000}
)");
  for (int i = 0; i < 1000; ++i) h.feed(access(fmt::format("u{}", i), "2026-01-05T09:00:00Z"));
  // An hour on, a pass of 1001 groups starts and a few events finish it.
  for (int i = 0; i < 5; ++i) h.feed(access("x", fmt::format("2026-01-05T10:00:0{}Z", i)));
  EXPECT_EQ(h.engine.counters().keys, 1u);
  // 500 users, then an hour later: their groups are idle, but 505 events are fewer than
  // the 1001 groups the last pass had, so none is swept yet.
  for (int i = 0; i < 500; ++i) h.feed(access(fmt::format("v{}", i), "2026-01-05T10:10:00Z"));
  h.feed(access("x", "2026-01-05T11:10:00Z"));
  EXPECT_EQ(h.engine.counters().keys, 501u);
  // At the 1001st event since the last pass began, the next one starts and sweeps them.
  for (int i = 0; i < 500; ++i)
    h.feed(access("x", fmt::format("2026-01-05T11:{:02}:{:02}Z", 11 + i / 60, i % 60)));
  EXPECT_EQ(h.engine.counters().keys, 1u);
}

// Live, a pass also waits for a minute of wall clock: a backlog replayed at speed (an hour of
// events in a second) does not sweep every group for each minute it covers.
TEST(Correlation, ALiveSweepWaitsForAMinuteOfWallClockToo) {
  CorrelationOptions o;
  event::Timestamp now = at("2026-01-05T10:00:00Z");
  o.now = [&] { return now; };
  Harness h(R"(- correlation: bulk
  title: Bulk
  severity: high
  count: {of: lookup, by: user.id, within: 1m, threshold: 50}
)",
            o);
  h.feed(access("a", "2026-01-05T09:00:00Z"));  // the first pass: nothing idle yet
  h.feed(access("b", "2026-01-05T09:30:00Z"));  // half an hour of events, no wall minute
  EXPECT_EQ(h.engine.counters().keys, 2u);
  now += 61s;
  h.feed(access("c", "2026-01-05T09:31:00Z"));  // both clocks moved: a's group goes
  EXPECT_EQ(h.engine.counters().keys, 2u);
}

TEST(Correlation, StateSurvivesARestartThroughTheStore) {
  MemoryCorrelationStore store;
  {
    Harness h(kSequence);
    h.feed(access("pc1", "2026-01-05T09:00:00Z"));
    ASSERT_TRUE(h.engine.checkpoint(store));
    EXPECT_EQ(h.engine.dirty(), 0u);
  }
  EXPECT_FALSE(store.data.empty());
  Harness h(kSequence);
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_GT(h.engine.counters().restored, 0u);
  EXPECT_EQ(fired(h.feed(email("pc1", "2026-01-05T10:00:00Z")), "lookup-then-media"), 1u);
}

TEST(Correlation, RestoreDropsStateOfAChangedRule) {
  MemoryCorrelationStore store;
  {
    Harness h(kBulk);
    h.feed(access("pc1", "2026-01-05T09:00:00Z"));
    h.feed(access("pc1", "2026-01-05T09:01:00Z"));
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  std::string changed = kBulk;
  changed.replace(changed.find("threshold: 3"), 12, "threshold: 4");
  Harness h(changed);
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_GT(h.engine.counters().discarded, 0u);
  for (const auto& [k, v] : store.data) EXPECT_EQ(k.find("bulk"), std::string::npos) << k;
}

TEST(Correlation, ReloadCarriesStateOfUnchangedRules) {
  Harness h(std::string(kBulk) + kSequence);
  h.feed(access("pc1", "2026-01-05T09:00:00Z"));
  h.feed(access("pc1", "2026-01-05T09:01:00Z"));
  // New set: bulk unchanged, the sequence edited.
  std::string edited = kSequence;
  edited.replace(edited.find("within: 24h"), 11, "within: 12h");
  h.rules = load_ok(std::string(kBase) + kBulk + edited);
  h.engine.set_rules(h.rules);
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:02:00Z")), "bulk"), 1u);
  // The sequence's pending look-ups were dropped with its old version.
  EXPECT_EQ(fired(h.feed(email("pc1", "2026-01-05T09:30:00Z")), "lookup-then-media"), 1u)
      << "the 09:02 look-up started a new sequence";
}

TEST(Correlation, SuppressionFoldsRepeatsWithACount) {
  Harness h(R"(- detection: out-of-hours
  title: Out of hours
  severity: medium
  condition: event.kind == "access" and action == "view"
  suppress: {by: [user.id], for: 1h}
)");
  auto a = h.feed(access("pc1", "2026-01-05T22:00:00Z", "view"));
  auto b = h.feed(access("pc1", "2026-01-05T22:10:00Z", "view"));
  auto c = h.feed(access("pc1", "2026-01-05T22:20:00Z", "view"));
  auto other = h.feed(access("pc2", "2026-01-05T22:20:00Z", "view"));
  auto later = h.feed(access("pc1", "2026-01-05T23:30:00Z", "view"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].repeat, 0u);
  EXPECT_FALSE(a[0].suppression_key.empty());
  EXPECT_EQ(b[0].repeat, 1u);
  EXPECT_EQ(c[0].repeat, 2u);
  EXPECT_EQ(c[0].suppression_key, a[0].suppression_key);
  EXPECT_EQ(other[0].repeat, 0u);
  EXPECT_EQ(later[0].repeat, 0u);  // the window closed: a new alert
  EXPECT_EQ(h.engine.counters().folded, 2u);
}

TEST(Correlation, ExceptionsApplyUntilTheyExpire) {
  LoadReport report;
  auto rules = load_rules_from_string(R"(- detection: view
  title: View
  severity: low
  condition: event.kind == "access" and action == "view"
  exceptions:
    - id: training-account
      owner: psd-analyst
      reason: training system replays views
      expires: 2026-02-01T00:00:00Z
      condition: user.id == "trainer1"
    - id: old
      owner: psd-analyst
      reason: expired long ago
      expires: 2020-01-01T00:00:00Z
      condition: user.id == "pc9"
)",
                                      "rules.yaml", {}, report);
  ASSERT_TRUE(rules) << report.format();
  EXPECT_NE(report.format().find("warning[rules.exception_expired]"), std::string::npos)
      << report.format();
  TestReference ref;
  EXPECT_TRUE(matching(*rules, access("trainer1", "2026-01-15T09:00:00Z", "view"), ref).empty());
  EXPECT_EQ(rules->excepted(), 1u);
  EXPECT_EQ(matching(*rules, access("trainer1", "2026-02-02T09:00:00Z", "view"), ref).size(), 1u);
  EXPECT_EQ(matching(*rules, access("pc9", "2026-01-15T09:00:00Z", "view"), ref).size(), 1u);
  EXPECT_EQ(rules->exceptions(at("2026-03-01T00:00:00Z")).size(), 2u);
  EXPECT_EQ(rules->exceptions(at("2025-01-01T00:00:00Z")).size(), 1u);
}

TEST(CorrelationLoad, ReportsUnknownRulesCyclesAndUnboundedState) {
  std::string out = load_errors(std::string(kBase) + R"(- correlation: c
  title: T
  severity: low
  count: {of: lookups, by: user.id, within: 1h, threshold: 2}
)");
  EXPECT_NE(out.find("error[rules.unknown_rule]: correlation 'c' uses unknown "
                     "rule 'lookups'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("did you mean 'lookup'?"), std::string::npos) << out;
  out = load_errors(std::string(kBase) + R"(- correlation: a
  title: T
  severity: low
  count: {of: b, by: user.id, within: 1h, threshold: 2}
- correlation: b
  title: T
  severity: low
  count: {of: a, by: user.id, within: 1h, threshold: 2}
)");
  EXPECT_NE(out.find("rules.correlation_cycle"), std::string::npos) << out;
  out = load_errors(std::string(kBase) + R"(- correlation: c
  title: T
  severity: low
  count: {of: lookup, by: user.id, threshold: 2}
)");
  EXPECT_NE(out.find("error[rules.missing_key]: a count correlation needs 'within'"),
            std::string::npos)
      << out;
  LoadReport report;
  auto rules = load_rules_from_string(std::string(kBase) + R"(- correlation: c
  title: T
  severity: low
  first_seen: {of: lookup, by: user.id, field: source.system}
)",
                                      "rules.yaml", {}, report);
  ASSERT_TRUE(rules);
  EXPECT_NE(report.format().find("warning[rules.unbounded_state]"), std::string::npos)
      << report.format();
}

TEST(CorrelationInlineTests, MultiEventTestsRunThroughTheEngine) {
  auto rules = load_ok(std::string(kBase) + R"(- correlation: bulk
  title: Bulk
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 2}
  suppress: {by: user.id, for: 1h}
  tests:
    - name: two in an hour
      expect: match
      events:
        - {event.kind: access, event.time: "2026-01-05T09:00:00Z", user.id: pc1, action: query}
        - {event.kind: access, event.time: "2026-01-05T09:10:00Z", user.id: pc1, action: query}
    - name: four in an hour fold into one alert
      alerts: 1
      events:
        - {event.kind: access, event.time: "2026-01-05T09:00:00Z", user.id: pc1, action: query}
        - {event.kind: access, event.time: "2026-01-05T09:10:00Z", user.id: pc1, action: query}
        - {event.kind: access, event.time: "2026-01-05T09:20:00Z", user.id: pc1, action: query}
        - {event.kind: access, event.time: "2026-01-05T09:30:00Z", user.id: pc1, action: query}
    - name: wrong on purpose
      expect: match
      events:
        - {event.kind: access, event.time: "2026-01-05T09:00:00Z", user.id: pc1, action: query}
- correlation: undeclared
  title: Undeclared
  severity: high
  absent: {of: media-email, followed_by: declared, by: user.id, within: 1h}
  tests:
    - expect: match
      advance: 2h
      events:
        - {event.kind: email, event.time: "2026-01-05T09:00:00Z", user.id: pc1, email.to.domain: news.example}
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  const auto results = run_inline_tests(*rules, ref.tables());
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].passed) << results[0].explanation;
  EXPECT_TRUE(results[1].passed) << results[1].explanation;
  EXPECT_FALSE(results[2].passed);
  EXPECT_NE(results[2].explanation.find("0 alert(s) from 1 event(s)"), std::string::npos)
      << results[2].explanation;
  EXPECT_TRUE(results[3].passed) << results[3].explanation;
}

TEST(Correlation, PendingCapDropsTheOldestEntriesAndCounts) {
  Harness h(R"(- correlation: seq
  title: Seq
  severity: high
  sequence: {by: user.id, within: 24h, steps: [lookup, media-email]}
  max_pending: 2
)");
  h.feed(access("pc1", "2026-01-05T09:00:00Z"));
  h.feed(access("pc1", "2026-01-05T09:01:00Z"));
  h.feed(access("pc1", "2026-01-05T09:02:00Z"));  // the 09:00 look-up is dropped
  EXPECT_EQ(h.engine.counters().evicted_pending, 1u);
  const auto out = h.feed(email("pc1", "2026-01-05T10:00:00Z"));
  ASSERT_EQ(fired(out, "seq"), 1u);
  EXPECT_NE(out[0].message.find("2026-01-05T09:01:00"), std::string::npos) << out[0].message;
}

TEST(Correlation, AbsentIsCancelledByALateAnswerInsideTheBound) {
  Harness h(kAbsent, with_lateness(10min));
  h.feed(email("pc1", "2026-01-05T09:00:00Z"));
  h.feed(email("pc2", "2026-01-06T09:05:00Z"));  // clock 09:05: the deadline is not yet due
  // The declaration was made at 08:59 on the 6th but arrives now, 6 min late.
  h.feed(access("pc1", "2026-01-06T08:59:00Z", "declare"));
  EXPECT_EQ(fired(h.advance(at("2026-01-06T09:30:00Z")), "undeclared-media"), 0u);
}

TEST(Correlation, ABacklogBehindTheWallClockIsStillCorrelated) {
  Harness h(kBulk);
  h.advance(at("2026-11-24T20:00:00Z"));  // the daemon's wall-clock tick
  // A relay catching up on events from the morning: in order, so none is late.
  h.feed(access("pc1", "2026-11-24T09:00:00Z"));
  h.feed(access("pc1", "2026-11-24T09:01:00Z"));
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-11-24T09:02:00Z")), "bulk"), 1u);
  EXPECT_EQ(h.engine.counters().late_events, 0u);
}

TEST(Correlation, RiskCountsEachRuleOncePerDayNotItsRepeats) {
  Harness h(kRisk);
  std::size_t n = 0;
  for (int i = 0; i < 20; ++i)  // twenty look-ups in one day are one signal of 40
    n += fired(h.feed(access("pc1", fmt::format("2026-01-01T09:{:02}:00Z", i))), "risky");
  n += fired(h.feed(email("pc1", "2026-01-01T11:00:00Z")), "risky");
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-02T09:00:00Z")), "risky"), 1u);  // next day
}

TEST(Correlation, RiskNeedsSeveralRulesWhenAsked) {
  Harness h(R"(- correlation: risky
  title: Risk score
  severity: high
  risk: {by: user.id, scores: {lookup: 60, media-email: 30}, half_life: 7d, threshold: 100,
         min_rules: 2}
  max_keys: 1000
)");
  // One behaviour on three days: 60 + 54 + 49 = above 100, but one rule only.
  std::size_t n = 0;
  for (int d = 1; d <= 3; ++d)
    n += fired(h.feed(access("pc1", fmt::format("2026-01-0{}T09:00:00Z", d))), "risky");
  EXPECT_EQ(n, 0u);
  const auto out = h.feed(email("pc1", "2026-01-03T10:00:00Z"));
  ASSERT_EQ(fired(out, "risky"), 1u);
  bool named = false;
  for (const auto& [name, value] : out[0].shown_fields)
    named |= name == "signals" && value == "lookup, media-email";
  EXPECT_TRUE(named);
}

TEST(Correlation, BaselineAgainstThePeerGroupWithoutOwnHistory) {
  Harness h(R"(- correlation: unusual-volume
  title: Unusual look-up volume
  severity: medium
  baseline: {of: lookup, by: user.id, period: 1d, history: 14d, min_history: 7d, z: 3,
             min_count: 10, peer: "{staff(user.id).peer_group}", min_peers: 3}
  max_keys: 1000
)");
  for (const char* id : {"pc1", "pc2", "pc3", "pc4", "cr1"}) {
    state::StaffRecord s;
    s.id = id;
    s.peer_group = id[0] == 'c' ? "control-room" : "response";
    h.ref.add_staff(s);
  }
  // Day 1: response officers make 5-7 look-ups, the control room 40.
  for (int i = 0; i < 5; ++i) h.feed(access("pc1", fmt::format("2026-01-01T09:0{}:00Z", i)));
  for (int i = 0; i < 6; ++i) h.feed(access("pc2", fmt::format("2026-01-01T09:0{}:00Z", i)));
  for (int i = 0; i < 7; ++i) h.feed(access("pc3", fmt::format("2026-01-01T09:0{}:00Z", i)));
  for (int i = 0; i < 40; ++i)
    h.feed(access("cr1", fmt::format("2026-01-01T{:02}:{:02}:00Z", 10 + i / 60, i % 60)));
  // Day 2: a new response officer (no history of their own) makes 30: far above their peers.
  std::size_t n = 0;
  for (int i = 0; i < 30; ++i)
    n += fired(h.feed(access("pc4", fmt::format("2026-01-02T09:{:02}:00Z", i))), "unusual-volume");
  EXPECT_EQ(n, 1u);
  // The control room's member has no peers with history (fewer than min_peers): silent.
  std::size_t cr = 0;
  for (int i = 0; i < 45; ++i)
    cr +=
        fired(h.feed(access("cr1", fmt::format("2026-01-02T{:02}:{:02}:00Z", 10 + i / 60, i % 60))),
              "unusual-volume");
  EXPECT_EQ(cr, 0u);
}

namespace {
const char* kLinked = R"(- correlation: lookup-then-linked-email
  title: Looked up, then named in an email
  severity: medium
  sequence:
    by: user.id
    within: 24h
    steps: [lookup, media-email]
    link: {from: {subject.id: critical, subject.name: high}, to: [email.subject, email.attachments.names]}
)";

event::Event named_lookup(const std::string& user, const std::string& time, const std::string& id,
                          const std::string& name) {
  auto e = access(user, time, "query", id);
  e.set(event::FieldId::subject_name, name);
  return e;
}

event::Event email_about(const std::string& user, const std::string& time,
                         const std::string& subject, std::vector<std::string> attachments = {}) {
  auto e = email(user, time);
  e.set(event::FieldId::email_subject, subject);
  if (!attachments.empty()) e.set(event::FieldId::email_attachments_names, std::move(attachments));
  return e;
}
}  // namespace

TEST(Correlation, LinkedSequenceNeedsTheLookedUpPersonInTheEmail) {
  Harness h(kLinked);
  h.feed(named_lookup("pc1", "2026-01-05T09:00:00Z", "P0012345", "John Paul SMITH"));
  EXPECT_EQ(fired(h.feed(email_about("pc1", "2026-01-05T10:00:00Z", "drinks on friday")),
                  "lookup-then-linked-email"),
            0u);
  const auto out = h.feed(email_about("pc1", "2026-01-05T11:00:00Z", "Re: Smith, John"));
  ASSERT_EQ(fired(out, "lookup-then-linked-email"), 1u);
  EXPECT_EQ(out[0].severity, Severity::high);  // linked by the name
}

TEST(Correlation, LinkedSequenceTakesTheStrongestLinkAndConsumesIt) {
  Harness h(kLinked);
  h.feed(named_lookup("pc1", "2026-01-05T09:00:00Z", "P0012345", "John Smith"));
  auto out =
      h.feed(email_about("pc1", "2026-01-05T12:00:00Z", "docs", {"P0012345_john_smith.pdf"}));
  ASSERT_EQ(fired(out, "lookup-then-linked-email"), 1u);
  EXPECT_EQ(out[0].severity, Severity::critical);
  // The look-up is used up: the same email again does not fire a second time.
  EXPECT_EQ(
      fired(h.feed(email_about("pc1", "2026-01-05T12:05:00Z", "docs", {"P0012345_john_smith.pdf"})),
            "lookup-then-linked-email"),
      0u);
  // Another user's look-up does not link, nor does one over 24 h before.
  h.feed(named_lookup("pc2", "2026-01-05T09:00:00Z", "P0099999", "Ann Lee"));
  EXPECT_EQ(fired(h.feed(email_about("pc1", "2026-01-05T13:00:00Z", "Ann Lee")),
                  "lookup-then-linked-email"),
            0u);
  EXPECT_EQ(fired(h.feed(email_about("pc2", "2026-01-06T09:00:01Z", "Ann Lee")),
                  "lookup-then-linked-email"),
            0u);
}

TEST(Correlation, LinkedSequenceSurvivesARestart) {
  MemoryCorrelationStore store;
  {
    Harness h(kLinked);
    h.feed(named_lookup("pc1", "2026-01-05T09:00:00Z", "P0012345", "John Smith"));
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  Harness h(kLinked);
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_EQ(fired(h.feed(email_about("pc1", "2026-01-05T10:00:00Z", "john smith")),
                  "lookup-then-linked-email"),
            1u);
}

namespace {

const char* kEighty = R"(- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 80}
)";

// The daemon's options: a wall clock the test moves by hand, and the default 5 min skew.
struct WallClock {
  event::Timestamp now = at("2026-01-05T09:00:00Z");
  CorrelationOptions options() {
    CorrelationOptions o;
    o.now = [this] { return now; };
    return o;
  }
};

// 80 look-ups by pc2, 45 s apart (59 min 15 s in all), each at the wall clock: one alert.
std::size_t eighty_in_an_hour(Harness& h, WallClock& wall) {
  std::size_t n = 0;
  for (int i = 0; i < 80; ++i) {
    wall.now = at("2026-01-05T09:00:00Z") + std::chrono::seconds(45 * i);
    n += fired(h.feed(access("pc2", event::format_time(wall.now))), "bulk");
  }
  return n;
}

}  // namespace

TEST(Correlation, AFutureDatedEventMovesNoClockUnderAWallClock) {
  WallClock wall;
  Harness h(kEighty, wall.options());
  // A justified look-up dated 9999: a detection still sees it, correlations do not.
  h.feed(access("pc1", "9999-01-01T00:00:00Z"));
  EXPECT_EQ(h.engine.counters().future_events, 1u);
  EXPECT_LE(h.engine.clock(), wall.now + std::chrono::minutes(5));
  EXPECT_EQ(eighty_in_an_hour(h, wall), 1u);
  EXPECT_EQ(h.engine.counters().late_events, 0u);
}

TEST(Correlation, AnEventInsideTheSkewIsCorrelated) {
  WallClock wall;
  Harness h(kBulk, wall.options());
  // A sender 4 min fast: inside the default 5 min, so its look-ups count as usual.
  h.feed(access("pc1", "2026-01-05T09:04:00Z"));
  h.feed(access("pc1", "2026-01-05T09:04:10Z"));
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:04:20Z")), "bulk"), 1u);
  EXPECT_EQ(h.engine.counters().future_events, 0u);
}

TEST(Correlation, RestoreClampsAClockSavedFarInTheFuture) {
  MemoryCorrelationStore store;
  {
    Harness replay(kEighty);  // no wall clock: the 9999 time moves the clock, as it used to
    replay.feed(access("pc1", "9999-01-01T00:00:00Z"));
    ASSERT_TRUE(replay.engine.checkpoint(store));
  }
  WallClock wall;
  Harness h(kEighty, wall.options());
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_EQ(h.engine.clock(), wall.now);
  {
    MemoryCorrelationStore rewritten =
        store;  // the clamped clock is written back at the checkpoint
    ASSERT_TRUE(h.engine.checkpoint(rewritten));
    Harness replay(kEighty);
    ASSERT_TRUE(replay.engine.restore(rewritten));
    EXPECT_EQ(replay.engine.clock(), wall.now);
  }
  EXPECT_EQ(eighty_in_an_hour(h, wall), 1u);
  EXPECT_EQ(h.engine.counters().late_events, 0u);
}

TEST(Correlation, ReplayWithoutAWallClockCorrelatesAnyDate) {
  Harness h(kBulk);
  h.feed(access("pc1", "9999-01-01T00:00:00Z"));
  h.feed(access("pc1", "9999-01-01T00:01:00Z"));
  EXPECT_EQ(fired(h.feed(access("pc1", "9999-01-01T00:02:00Z")), "bulk"), 1u);
  EXPECT_EQ(h.engine.counters().future_events, 0u);
}

TEST(Correlation, KeysThatOnlyGrowStayWithinTheByteBudget) {
  // Every key exists before the state is full; then each keeps growing (new subjects within
  // the window). The least recently used keys must go, as they do when new keys come.
  CorrelationOptions options;
  options.max_state_bytes = 256 << 10;
  Harness h(R"(- correlation: many-subjects
  title: Many subjects
  severity: high
  distinct: {of: lookup, by: user.id, field: subject.id, within: 1h, threshold: 100000}
)",
            options);
  for (int user = 0; user < 100; ++user)
    h.feed(access("user" + std::to_string(user), "2026-01-05T09:00:00Z"));
  ASSERT_LT(h.engine.state_bytes(), options.max_state_bytes / 2);
  ASSERT_EQ(h.engine.counters().evicted_keys, 0u);
  std::size_t most = 0;
  for (int round = 0; round < 200; ++round)
    for (int user = 0; user < 100; ++user) {
      h.feed(access("user" + std::to_string(user), "2026-01-05T09:01:00Z", "query",
                    "subject-" + std::to_string(round) + std::string(40, 's')));
      most = std::max(most, h.engine.state_bytes());
    }
  EXPECT_LE(most, options.max_state_bytes);
  EXPECT_GT(h.engine.counters().evicted_keys, 0u);
}

TEST(Correlation, AHugeGroupKeyIsKeptAsAPrefixAndAHash) {
  Harness h(kBulk);
  const std::string huge(1 << 20, 'u');  // a megabyte of user.id
  h.feed(access(huge, "2026-01-05T09:00:00Z"));
  h.feed(access(huge, "2026-01-05T09:01:00Z"));
  EXPECT_LT(h.engine.state_bytes(), std::size_t{4} << 10);
  // Still one key: the same text maps to the same bounded key.
  EXPECT_EQ(fired(h.feed(access(huge, "2026-01-05T09:02:00Z")), "bulk"), 1u);
  std::string other = huge;
  other.back() = 'v';  // same start, another key
  EXPECT_EQ(fired(h.feed(access(other, "2026-01-05T09:03:00Z")), "bulk"), 0u);
}

TEST(Correlation, StateIsBoundedByBytesAcrossKeys) {
  CorrelationOptions options;
  options.max_state_bytes = 256 << 10;
  Harness h(kBulk, options);
  for (int i = 0; i < 20000; ++i)
    h.feed(access("user" + std::to_string(i) + std::string(200, 'x'), "2026-01-05T09:00:00Z"));
  EXPECT_LE(h.engine.state_bytes(), options.max_state_bytes + (std::size_t{4} << 10));
  EXPECT_GT(h.engine.counters().evicted_keys, 10000u);
  // The newest keys are the ones kept: a user active now still correlates.
  h.feed(access("pc1", "2026-01-05T09:01:00Z"));
  h.feed(access("pc1", "2026-01-05T09:02:00Z"));
  EXPECT_EQ(fired(h.feed(access("pc1", "2026-01-05T09:03:00Z")), "bulk"), 1u);
}
