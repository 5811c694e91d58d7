// Checkpoints taken a slice at a time (CorrelationEngine::begin_checkpoint and
// continue_checkpoint): events evaluated while one runs change groups it has yet to encode,
// and what it saves must still be the state as it stood when it began; a batch the store
// refuses is offered again, so a restart after the next success lacks nothing.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <limits>
#include <map>

#include "lookup_and_media_rules.h"
#include "memory_correlation_store.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

namespace {

constexpr std::size_t kAll = std::numeric_limits<std::size_t>::max();

event::Event lookup(int user, int minute) {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, fmt::format("pc{}", user));
  e.set(event::FieldId::action, std::string("query"));
  e.set(event::FieldId::subject_id, fmt::format("P{:04}{:02}", user, minute));
  e.set(event::FieldId::event_time,
        *event::parse_time(fmt::format("2026-01-05T09:{:02}:00Z", minute)));
  return e;
}

event::Event media_email(int user, int minute) {
  event::Event e(event::Kind::email);
  e.set(event::FieldId::user_id, fmt::format("pc{}", user));
  e.set(event::FieldId::email_to_domain, std::string("news.example"));
  e.set(event::FieldId::event_time,
        *event::parse_time(fmt::format("2026-01-05T09:{:02}:00Z", minute)));
  return e;
}

struct CheckpointEngine {
  CheckpointEngine() : rules(load_ok(kLookupAndMediaRules)), engine(rules, {}) {}
  std::size_t feed(const event::Event& e) {
    std::vector<Match> matches;
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    std::size_t alerts = 0;
    for (const auto& m : matches) alerts += !m.building_block;
    return alerts;
  }
  TestReference ref;
  std::shared_ptr<const RuleSet> rules;
  CorrelationEngine engine;
};

// Ten users' look-ups over minutes [from, to), one each per minute.
void lookups(CheckpointEngine& h, int from, int to) {
  for (int m = from; m < to; ++m)
    for (int u = 0; u < 10; ++u) h.feed(lookup(u, m));
}

// A store's entries with evidence keys stripped of their sequence numbers, which depend on
// the order entries were encoded in: what a restart reads, compared as a whole.
std::multimap<std::string, std::string> restorable(const MemoryCorrelationStore& store) {
  std::multimap<std::string, std::string> out;
  for (const auto& [key, value] : store.data) {
    std::string k = key;
    if (!k.empty() && k[0] == 'v') {
      // v SEP rule SEP version SEP seq SEP group: drop the fourth field.
      std::size_t at = 0;
      for (int field = 0; field < 3; ++field) at = k.find('\x1f', at) + 1;
      k.erase(at, k.find('\x1f', at) + 1 - at);
    }
    out.emplace(std::move(k), value);
  }
  return out;
}

}  // namespace

TEST(CorrelationCheckpoint, ASlicedCheckpointSavesTheStateAsItWasWhenItBegan) {
  // The same first ten minutes, then one engine checkpoints whole and the other in slices
  // while the next ten minutes change most of its groups (and open new ones).
  CheckpointEngine whole, sliced;
  lookups(whole, 0, 10);
  lookups(sliced, 0, 10);
  MemoryCorrelationStore expected, store;
  ASSERT_TRUE(whole.engine.checkpoint(expected));

  sliced.engine.begin_checkpoint();
  ASSERT_TRUE(sliced.engine.checkpoint_running());
  auto done = sliced.engine.continue_checkpoint(store, 3);
  ASSERT_TRUE(done);
  EXPECT_FALSE(*done);  // 3 of 20 groups encoded
  EXPECT_TRUE(store.data.empty());
  std::size_t alerts = 0;
  for (int m = 10; m < 20; ++m) {
    for (int u = 0; u < 12; ++u)
      alerts += sliced.feed(u % 3 == 0 ? media_email(u, m) : lookup(u, m));
    done = sliced.engine.continue_checkpoint(store, 1);
    ASSERT_TRUE(done);
  }
  EXPECT_GT(alerts, 0u);  // groups fired (and were used up) while it ran
  EXPECT_TRUE(*done);
  EXPECT_FALSE(sliced.engine.checkpoint_running());
  EXPECT_EQ(restorable(store), restorable(expected));
  // What changed while it ran is saved by the next one, in full.
  EXPECT_GT(sliced.engine.dirty(), 0u);
}

TEST(CorrelationCheckpoint, ARestartFromASlicedCheckpointEvaluatesTheRestAsIfNeverStopped) {
  CheckpointEngine live, before_restart;
  MemoryCorrelationStore store;
  lookups(live, 0, 1);
  lookups(before_restart, 0, 1);
  before_restart.engine.begin_checkpoint();
  ASSERT_TRUE(before_restart.engine.continue_checkpoint(store, 1));
  lookups(before_restart, 1, 2);  // evaluated after the checkpoint began: not in it
  ASSERT_TRUE(before_restart.engine.continue_checkpoint(store, kAll));

  // The journal sends again what came after the point the checkpoint began at.
  CheckpointEngine restarted;
  ASSERT_TRUE(restarted.engine.restore(store));
  // Which look-ups raise an alert: each user's third, at minute 2, in both (a look-up
  // counted twice would fire at minute 1).
  std::vector<std::pair<int, int>> live_alerts, restarted_alerts;
  for (int m = 1; m < 5; ++m)
    for (int u = 0; u < 10; ++u) {
      if (live.feed(lookup(u, m)) > 0) live_alerts.emplace_back(m, u);
      if (restarted.feed(lookup(u, m)) > 0) restarted_alerts.emplace_back(m, u);
    }
  ASSERT_EQ(live_alerts.size(), 10u);
  EXPECT_EQ(live_alerts.front(), std::make_pair(2, 0));
  EXPECT_EQ(restarted_alerts, live_alerts);
}

TEST(CorrelationCheckpoint, ABatchTheStoreRefusedIsSavedWithTheNext) {
  CheckpointEngine h, reference;
  MemoryCorrelationStore store, expected;
  lookups(h, 0, 2);
  lookups(reference, 0, 2);
  store.fail = true;
  EXPECT_FALSE(h.engine.checkpoint(store));
  EXPECT_GT(h.engine.dirty(), 0u);
  lookups(h, 2, 3);
  lookups(reference, 2, 3);
  store.fail = false;
  ASSERT_TRUE(h.engine.checkpoint(store));
  EXPECT_EQ(h.engine.dirty(), 0u);
  ASSERT_TRUE(reference.engine.checkpoint(expected));
  EXPECT_EQ(restorable(store), restorable(expected));
}

TEST(CorrelationCheckpoint, AReloadDuringACheckpointFinishesItsEncodingFirst) {
  CheckpointEngine h, reference;
  MemoryCorrelationStore store, expected;
  lookups(h, 0, 3);
  lookups(reference, 0, 3);
  ASSERT_TRUE(reference.engine.checkpoint(expected));
  h.engine.begin_checkpoint();
  ASSERT_TRUE(h.engine.continue_checkpoint(store, 1));
  h.engine.set_rules(load_ok(kLookupAndMediaRules));  // same rules: state carried over
  lookups(h, 3, 4);
  ASSERT_TRUE(h.engine.continue_checkpoint(store, kAll));
  EXPECT_EQ(restorable(store), restorable(expected));
}

namespace {
// Counts what each batch saved holds, puts and erases alike, before the store applies it.
class CountingStore final : public CorrelationStore {
 public:
  Result<void> load(const std::function<void(std::string_view, std::string_view)>& each) override {
    return inner.load(each);
  }
  Result<void> save(StateWrites& writes) override {
    entries = 0;
    writes.each([&](std::string_view, const std::optional<PackedValue>&) { ++entries; });
    return inner.save(writes);
  }
  MemoryCorrelationStore inner;
  std::size_t entries = 0;  // in the last batch
};
}  // namespace

TEST(CorrelationCheckpoint, GroupsOpenedAndEvictedBetweenTwoCheckpointsWriteNothing) {
  // A churn of keys (a user per look-up, max_keys 5) between two checkpoints: the first
  // checkpoint's groups are erased by the second; the groups that came and went in between
  // were never saved and cost it nothing.
  std::shared_ptr<const RuleSet> rules = load_ok(R"(- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 3}
  max_keys: 5
)");
  TestReference ref;
  CorrelationEngine engine(rules, {});
  auto feed = [&](int user) {
    std::vector<Match> matches;
    const auto e = lookup(user, 0);
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
  };
  CountingStore store;
  for (int u = 0; u < 5; ++u) feed(u);
  ASSERT_TRUE(engine.checkpoint(store));
  const std::size_t first = store.entries;
  EXPECT_GE(first, 5u);  // five groups (and their evidence)
  for (int u = 100; u < 1100; ++u) feed(u);
  EXPECT_EQ(engine.counters().evicted_keys, 1000u);
  ASSERT_TRUE(engine.checkpoint(store));
  // The five groups saved before, erased with their evidence, and the five held now.
  EXPECT_LE(store.entries, 2 * first + 1) << "entries of the second checkpoint";
  // What a restart reads is what the engine holds: users 1095..1099.
  CorrelationEngine restarted(rules, {});
  ASSERT_TRUE(restarted.restore(store.inner));
  EXPECT_EQ(restarted.counters().keys, 5u);
  std::size_t groups = 0;
  for (const auto& [key, value] : store.inner.data)
    if (key.rfind("c\x1f", 0) == 0) {
      ++groups;
      EXPECT_NE(key.find("pc109"), std::string::npos) << key;
    }
  EXPECT_EQ(groups, 5u);
}

TEST(CorrelationCheckpoint, EachCorrelationCountsTheGroupsAndBytesItsCheckpointsEncode) {
  CheckpointEngine h;
  const auto cost_of = [&](std::string_view id) {
    for (const auto& c : h.rules->correlation_costs())
      if (c.rule_id == id) return c;
    ADD_FAILURE() << "no correlation " << id;
    return CorrelationCost{};
  };
  EXPECT_EQ(cost_of("bulk").groups_saved, 0u);
  lookups(h, 0, 3);  // ten users, three look-ups each: one bulk group per user
  MemoryCorrelationStore store;
  ASSERT_TRUE(h.engine.checkpoint(store));
  const CorrelationCost first = cost_of("bulk");
  EXPECT_EQ(first.groups_saved, 10u);
  std::size_t stored = 0;  // what the store holds for the bulk correlation: all of it is new
  for (const auto& [key, value] : store.data)
    if (key.find("\x1f"
                 "bulk\x1f") != std::string::npos)
      stored += key.size() + value.size();
  EXPECT_GE(first.bytes_saved, stored);
  EXPECT_EQ(cost_of("lookup-then-media").groups_saved, 10u);  // a step seen per user

  ASSERT_TRUE(h.engine.checkpoint(store));  // nothing changed: nothing encoded
  EXPECT_EQ(cost_of("bulk").groups_saved, first.groups_saved);
  EXPECT_EQ(cost_of("bulk").bytes_saved, first.bytes_saved);
  h.feed(lookup(4, 3));  // one user's group changes: that group alone, whole, again
  ASSERT_TRUE(h.engine.checkpoint(store));
  EXPECT_EQ(cost_of("bulk").groups_saved, first.groups_saved + 1);
  EXPECT_GT(cost_of("bulk").bytes_saved, first.bytes_saved);
}
