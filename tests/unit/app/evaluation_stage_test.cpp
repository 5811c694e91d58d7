// The EvaluationStage with correlations: state persisted through StoreCorrelationState across a
// restart, building blocks kept from the sink, suppressed repeats folded into one alert.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <optional>
#include <sstream>
#include <thread>

#include "app/correlation_state.h"
#include "app/pipeline.h"
#include "state/store.h"
#include "stored_alerts_fixture.h"
#include "test_support.h"

using namespace probity;
using probity::testing::TempDir;

namespace {

constexpr const char* kEvaluationStageRules = R"(- detection: lookup
  title: Look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: media-email
  title: Media email
  severity: low
  building_block: true
  condition: event.kind == "email" and email.to.domain == "news.example"
- detection: view
  title: View
  severity: low
  condition: event.kind == "access" and action == "view"
  suppress: {by: [user.id], for: 1h}
- correlation: lookup-then-media
  title: Look-up then media email
  severity: critical
  sequence: {by: user.id, within: 24h, steps: [lookup, media-email]}
)";

struct Recorder final : app::MatchSink {
  void on_match(const rules::Match& m, const event::Event&) override { ids.push_back(m.rule_id); }
  std::vector<std::string> ids;
};

event::Event access(const char* action, const char* time) {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, std::string("pc1"));
  e.set(event::FieldId::action, std::string(action));
  e.set(event::FieldId::event_time, *event::parse_time(time));
  return e;
}

std::shared_ptr<const rules::RuleSet> load() {
  rules::LoadReport report;
  auto set = rules::load_rules_from_string(kEvaluationStageRules, "rules.yaml", {}, report);
  EXPECT_TRUE(set) << report.format();
  return std::shared_ptr<const rules::RuleSet>(std::move(set));
}

event::Event media_email_by(const std::string& user) {
  event::Event mail(event::Kind::email);
  mail.set(event::FieldId::user_id, user);
  mail.set(event::FieldId::email_to_domain, std::string("news.example"));
  mail.set(event::FieldId::event_time, *event::parse_time("2026-01-05T10:00:00Z"));
  return mail;
}

/// The rules that match `e` in a stage restored from the state saved in `dir`.
std::vector<std::string> matches_after_restart(const std::filesystem::path& dir,
                                               const event::Event& e) {
  auto store = state::Store::open({.dir = dir});
  EXPECT_TRUE(store);
  if (!store) return {};
  app::StoreCorrelationState state(**store);
  Recorder sink;
  app::PipelineCounters counters;
  app::EvaluationStage evaluator(**store, sink, counters, {}, &state);
  evaluator.set_rules(load());
  EXPECT_TRUE(evaluator.restore());
  evaluator.on_event(e);
  return sink.ids;
}

}  // namespace

TEST(EvaluationStage, CorrelationStateSurvivesARestart) {
  TempDir tmp("probity-app");
  {
    auto store = state::Store::open({.dir = tmp / "state"});
    ASSERT_TRUE(store);
    app::StoreCorrelationState state(**store);
    Recorder sink;
    app::PipelineCounters counters;
    app::EvaluationStage evaluator(**store, sink, counters, {}, &state);
    evaluator.set_rules(load());
    ASSERT_TRUE(evaluator.restore());
    evaluator.on_event(access("query", "2026-01-05T09:00:00Z"));
    EXPECT_TRUE(sink.ids.empty());  // a building block alone never reaches the sink
    ASSERT_TRUE(evaluator.checkpoint());
  }
  EXPECT_EQ(matches_after_restart(tmp / "state", media_email_by("pc1")),
            std::vector<std::string>{"lookup-then-media"});
}

namespace {

// An evaluation stage raising alerts into a store of its own (no mail).
class AlertingStage : public probity::testing::StoredAlertsTest {
 protected:
  void SetUp() override {
    start_alerts();
    sink_.emplace(*alerts_, counters_);
    evaluator_.emplace(*store_, *sink_, counters_);
    evaluator_->set_rules(load());
  }

  app::PipelineCounters counters_;
  std::optional<app::AlertingSink> sink_;
  std::optional<app::EvaluationStage> evaluator_;
};

}  // namespace

TEST_F(AlertingStage, SuppressedRepeatsFoldIntoOneStoredAlert) {
  evaluator_->on_event(access("view", "2026-01-05T22:00:00Z"));
  evaluator_->on_event(access("view", "2026-01-05T22:10:00Z"));
  evaluator_->on_event(access("view", "2026-01-05T22:20:00Z"));
  EXPECT_EQ(alert_counters_.stored.load(), 1u);
  std::vector<alerts::Alert> stored;
  ASSERT_TRUE(store_->scan(state::RuntimeTable::alerts, "", [&](auto, std::string_view v) {
    stored.push_back(*alerts::alert_from_json(v));
    return true;
  }));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].count, 3u);
  EXPECT_EQ(stored[0].last_seen, *event::parse_time("2026-01-05T22:20:00Z"));
}

// A storm of repeats folds into one alert and is not a log line each: 100 a second, then
// how many more once the second has ended.
TEST_F(AlertingStage, RepeatsAreLoggedWithinABudget) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  spdlog::set_level(spdlog::level::info);
  const auto view_at = [](int second) {
    event::Event e = access("view", "2026-01-05T22:00:00Z");
    e.set(event::FieldId::event_time,
          *event::parse_time("2026-01-05T22:00:00Z") + std::chrono::seconds(second));
    e.set(event::FieldId::event_id, "view-" + std::to_string(second));
    return e;
  };
  for (int i = 0; i < 300; ++i) evaluator_->on_event(view_at(i));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  evaluator_->on_event(view_at(300));
  spdlog::set_default_logger(previous);
  EXPECT_EQ(alert_counters_.stored.load(), 1u);
  const std::string text = log.str();
  std::size_t lines = 0;
  for (std::size_t at = text.find(" repeated ("); at != std::string::npos;
       at = text.find(" repeated (", at + 1))
    ++lines;
  EXPECT_EQ(lines, 101u);  // 100 in the first second, one after it
  EXPECT_NE(text.find("199 more repeat(s) folded"), std::string::npos) << text.substr(0, 2000);
}

TEST(AlertingSink, TheSameEventsReplayedAfterARestartAreNeitherRaisedNorCountedAgain) {
  TempDir tmp("probity-app");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store);
  alerts::AlertConfig config;
  config.email.enabled = false;
  std::vector<event::Event> events;
  for (const char* time :
       {"2026-01-05T22:00:00Z", "2026-01-05T22:10:00Z", "2026-01-05T22:20:00Z"}) {
    events.push_back(access("view", time));
    events.back().set(event::FieldId::event_id, std::string("ev-") + time);
  }
  alerts::AlertCounters alert_counters;
  for (int run = 0; run < 2; ++run) {  // a fresh sink and evaluator: as after a restart
    alerts::AlertPipeline alerts(**store, config, alert_counters);
    ASSERT_TRUE(alerts.start());
    app::PipelineCounters counters;
    app::AlertingSink sink(alerts, counters);
    app::EvaluationStage evaluator(**store, sink, counters);
    evaluator.set_rules(load());
    for (const auto& e : events) evaluator.on_event(e);
    EXPECT_EQ(counters.already_raised.load(), run == 0 ? 0u : 3u);
    alerts.stop();
  }
  EXPECT_EQ(alert_counters.stored.load(), 1u);
  std::vector<alerts::Alert> stored;
  ASSERT_TRUE((*store)->scan(state::RuntimeTable::alerts, "", [&](auto, std::string_view v) {
    stored.push_back(*alerts::alert_from_json(v));
    return true;
  }));
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].count, 3u);  // not 6: replayed repeats are not folded twice
}

// A checkpoint is encoded a slice after each batch, bounded by time; even with one event per
// batch and no idle tick to finish it, the batches that follow end it, and what it saved is
// what a restart finds.
namespace {

// A stage whose every tick begins a checkpoint, into a store of the test's.
struct CheckpointingStage {
  explicit CheckpointingStage(state::Store& store)
      : state(store),
        evaluator(store, sink, counters, {}, &state,
                  /*checkpoint_every=*/std::chrono::milliseconds(0)) {
    evaluator.set_rules(load());
  }
  app::StoreCorrelationState state;
  Recorder sink;
  app::PipelineCounters counters;
  app::EvaluationStage evaluator;
};

// A look-up by each of `users` users: a batch that opens a group per user.
std::vector<event::Event> queries_by_users(int users) {
  std::vector<event::Event> batch;
  for (int u = 0; u < users; ++u) {
    batch.push_back(access("query", "2026-01-05T09:00:00Z"));
    batch.back().set(event::FieldId::user_id, "pc" + std::to_string(u));
  }
  return batch;
}

}  // namespace

TEST(EvaluationStage, ACheckpointBegunWhileEventsFlowIsEndedByTheBatchesThatFollow) {
  TempDir tmp("probity-app");
  constexpr int kUsers = 200;
  {
    auto store = state::Store::open({.dir = tmp / "state"});
    ASSERT_TRUE(store);
    CheckpointingStage stage(**store);
    ASSERT_TRUE(stage.evaluator.restore());
    // One batch opens a group per user; the tick after it begins a checkpoint of them all.
    auto batch = queries_by_users(kUsers);
    stage.evaluator.on_events(batch, 1);
    const auto checkpoints = stage.counters.state_checkpoints.load();
    int batches = 0;
    while (stage.counters.state_checkpoints.load() == checkpoints && batches < kUsers) {
      std::vector<event::Event> one{access("view", "2026-01-05T09:01:00Z")};
      stage.evaluator.on_events(one, 2 + batches);
      ++batches;
    }
    EXPECT_EQ(stage.counters.state_checkpoints.load(), checkpoints + 1);
    EXPECT_LE(batches, kUsers / 4 + 1);  // a step of a few groups at least after each batch
  }
  EXPECT_EQ(matches_after_restart(tmp / "state", media_email_by("pc" + std::to_string(kUsers - 1))),
            std::vector<std::string>{"lookup-then-media"});
}

// A tick (an empty batch, sent when none waited) encodes the rest of a checkpoint, but stops
// for events that arrived meanwhile: encoded at once, a busy engine's rest held them for a
// tenth of a second.
TEST(EvaluationStage, ATickEncodesTheRestOfACheckpointUnlessEventsWait) {
  TempDir tmp("probity-app");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store);
  CheckpointingStage stage(**store);
  ASSERT_TRUE(stage.evaluator.restore());
  std::atomic<std::size_t> queued{0};
  stage.evaluator.yield_to(&queued);
  // One batch opens a group per user; the tick after it begins a checkpoint of them all.
  auto batch = queries_by_users(200);
  stage.evaluator.on_events(batch, 1);
  const auto checkpoints = stage.counters.state_checkpoints.load();
  queued = 30;  // a batch is waiting
  std::vector<event::Event> tick;
  stage.evaluator.on_events(tick, 0);
  EXPECT_EQ(stage.counters.state_checkpoints.load(), checkpoints) << "the tick did not yield";
  queued = 0;
  stage.evaluator.on_events(tick, 0);
  EXPECT_EQ(stage.counters.state_checkpoints.load(), checkpoints + 1);
}

namespace {

/// A background store as the stage sees one: saves counted, and "still writing the last
/// batch" set by the test.
class SlowWriterStore final : public rules::CorrelationStore {
 public:
  Result<void> load(const std::function<void(std::string_view, std::string_view)>&) override {
    return {};
  }
  Result<void> save(rules::StateWrites& writes) override {
    ++saves;
    writes.clear();
    return {};
  }
  bool writing() const override { return still_writing; }
  int saves = 0;
  bool still_writing = false;
};

}  // namespace

// Encoding a checkpoint beside the one still being written held two batches in memory at
// once: a due checkpoint waits for the write, and begins at the first tick after it.
TEST(EvaluationStage, ADueCheckpointWaitsUntilTheLastOneIsWritten) {
  TempDir tmp("probity-app");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store);
  SlowWriterStore state;
  Recorder sink;
  app::PipelineCounters counters;
  app::EvaluationStage evaluator(**store, sink, counters, {}, &state,
                                 /*checkpoint_every=*/std::chrono::milliseconds(0));
  evaluator.set_rules(load());
  ASSERT_TRUE(evaluator.restore());
  state.still_writing = true;
  std::vector<event::Event> batch{access("query", "2026-01-05T09:00:00Z")};
  evaluator.on_events(batch, 1);  // its tick finds the checkpoint due
  std::vector<event::Event> idle;
  evaluator.on_events(idle, 0);  // an idle tick would finish one begun
  EXPECT_EQ(state.saves, 0);
  EXPECT_EQ(counters.state_checkpoints.load(), 0u);

  state.still_writing = false;
  evaluator.tick(/*force=*/false);  // within the second since the last tick: not yet
  EXPECT_EQ(state.saves, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1050));  // ticks come once a second
  evaluator.on_events(idle, 0);
  evaluator.on_events(idle, 0);
  EXPECT_EQ(state.saves, 1);
  EXPECT_EQ(counters.state_checkpoints.load(), 1u);
}
