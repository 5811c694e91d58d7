// The AlertCommitter: a batch's alerts committed on a thread of their own while the next batch
// is raised, yet a re-sent event still finds its alert, a repeat still folds into it, and a
// checkpoint never passes events whose alerts are not durable.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include "app/alert_committer.h"
#include "app/correlation_state.h"
#include "app/pipeline.h"
#include "state/store.h"
#include "stored_alerts_fixture.h"
#include "test_support.h"

using namespace probity;
using namespace std::chrono_literals;

namespace {

alerts::Alert alert_with_origin(int i) {
  alerts::Alert a;
  a.rule_id = "view";
  a.title = "View";
  a.severity = "low";
  a.message = "pc1 viewed a record";
  a.user_id = "pc1";
  a.origin = "origin-" + std::to_string(i);
  return a;
}

// An alert pipeline (no mail) over a store of its own, and a committer for it.
class Committing : public probity::testing::StoredAlertsTest {
 protected:
  void SetUp() override {
    start_alerts([this](const alerts::Alert&, alerts::StoredChange) {
      stored_on_ = std::this_thread::get_id();
      if (hold_next_commit_.exchange(false)) {
        entered_.set_value();
        released_.wait();
      }
    });
    committer_.emplace(*alerts_, event_to_alert_);
  }
  void TearDown() override {
    release();
    committer_.reset();
    StoredAlertsTest::TearDown();
  }
  std::uint64_t latencies_counted() const {
    std::uint64_t n = 0;
    for (std::size_t i = 0; i <= LatencyHistogram::kBoundsUs.size(); ++i)
      n += event_to_alert_.count_in(i);
    return n;
  }

  /// Ends a commit held by hold_next_commit_, once (also when a test fails before it does).
  void release() {
    if (!released_.valid() || released_.wait_for(0s) != std::future_status::ready)
      release_.set_value();
  }

  LatencyHistogram event_to_alert_;
  std::thread::id stored_on_;
  // The next commit stops at its first stored alert: entered_ says so, and it goes on once
  // release_ is set.
  std::atomic<bool> hold_next_commit_{false};
  std::promise<void> entered_, release_;
  std::shared_future<void> released_ = release_.get_future().share();
  std::optional<app::AlertCommitter> committer_;
};

}  // namespace

TEST_F(Committing, AlertsAreStoredOnTheCommittersThreadAndTheirLatencyCounted) {
  ASSERT_TRUE(alerts_->raise(alert_with_origin(0), alerts::AlertPipeline::Sync::at_commit));
  std::vector<event::Timestamp> arrivals{
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now())};
  committer_->commit(arrivals, 1);
  EXPECT_TRUE(arrivals.empty());
  committer_->wait();
  EXPECT_EQ(alert_counters_.stored.load(), 1u);
  EXPECT_EQ(latencies_counted(), 1u);
  EXPECT_NE(stored_on_, std::thread::id());
  EXPECT_NE(stored_on_, std::this_thread::get_id());
}

// Batches of a few events each waited for the commit before theirs, and events queued behind
// those waits: a commit asked for while one runs joins the next and returns at once. Only a
// storm that outruns the committer by kMaxWaiting alerts waits, so what waits stays bounded.
TEST_F(Committing, AskedWhileACommitRunsItJoinsTheNextAndOnlyAStormWaits) {
  const auto now = [] {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  };
  hold_next_commit_ = true;
  ASSERT_TRUE(alerts_->raise(alert_with_origin(0), alerts::AlertPipeline::Sync::at_commit));
  std::vector<event::Timestamp> first{now()};
  committer_->commit(first, 1);
  entered_.get_future().wait();  // the first commit runs, held at its alert

  ASSERT_TRUE(alerts_->raise(alert_with_origin(1), alerts::AlertPipeline::Sync::at_commit));
  std::vector<event::Timestamp> second{now()};
  auto asked = std::async(std::launch::async, [&] { committer_->commit(second, 1); });
  EXPECT_EQ(asked.wait_for(10s), std::future_status::ready) << "waited for the running commit";
  std::vector<event::Timestamp> none;
  auto storm = std::async(std::launch::async,
                          [&] { committer_->commit(none, app::AlertCommitter::kMaxWaiting); });
  EXPECT_EQ(storm.wait_for(200ms), std::future_status::timeout) << "a storm was not held back";

  release();
  EXPECT_EQ(storm.wait_for(10s), std::future_status::ready);
  asked.wait();
  committer_->wait();
  EXPECT_EQ(alert_counters_.stored.load(), 2u);
  EXPECT_EQ(latencies_counted(), 2u);
}

// While a commit writes an alert, it is neither staged nor (yet) in the store: a re-sent
// event must still find it, and a repeat staged meanwhile must still be counted in it.
TEST_F(Committing, AnAlertBeingCommittedIsFoundAndItsRepeatCounted) {
  std::vector<event::Timestamp> none;
  const auto seen = *event::parse_time("2026-01-05T22:00:00Z");
  std::vector<std::string> ids;
  for (int i = 0; i < 500; ++i) {
    auto id = alerts_->raise(alert_with_origin(i), alerts::AlertPipeline::Sync::at_commit);
    ASSERT_TRUE(id);
    ids.push_back(*id);
    committer_->commit(none, 1);
    EXPECT_EQ(alerts_->raised_for("origin-" + std::to_string(i)), *id) << i;
    ASSERT_TRUE(alerts_->fold(*id, seen, {}, alerts::AlertPipeline::Sync::at_commit));
  }
  committer_->commit(none, 1);
  committer_->wait();
  EXPECT_EQ(alert_counters_.stored.load(), 500u);
  for (const auto& id : ids) {
    auto alert = alerts::stored_alert(*store_, id);
    ASSERT_TRUE(alert) << id;
    EXPECT_EQ(alert->count, 2u) << id;
  }
}

// A checkpoint waits for the alerts of the events it covers: once it returns, every alert of
// the batch before it is stored.
TEST_F(Committing, ACheckpointWaitsForTheAlertsOfWhatItCovers) {
  auto correlation = state::Store::open({.dir = tmp_ / "correlation"});
  ASSERT_TRUE(correlation);
  app::StoreCorrelationState state(**correlation);
  app::PipelineCounters counters;
  app::AlertingSink sink(*alerts_, counters, nullptr, nullptr, &*committer_);
  app::EvaluationStage evaluator(*store_, sink, counters, {}, &state);
  rules::LoadReport report;
  auto rules = rules::load_rules_from_string(R"(- detection: view
  title: View
  severity: low
  condition: event.kind == "access" and action == "view"
  fields: [user.id]
)",
                                             "rules.yaml", {}, report);
  ASSERT_TRUE(rules) << report.format();
  evaluator.set_rules(std::shared_ptr<const rules::RuleSet>(std::move(rules)));
  ASSERT_TRUE(evaluator.restore());
  std::vector<event::Event> batch;
  for (int u = 0; u < 500; ++u) {
    event::Event e(event::Kind::access);
    e.set(event::FieldId::user_id, "pc" + std::to_string(u));
    e.set(event::FieldId::action, std::string("view"));
    e.set(event::FieldId::event_id, "view-" + std::to_string(u));
    batch.push_back(std::move(e));
  }
  evaluator.on_events(batch, 1);
  ASSERT_TRUE(evaluator.checkpoint());
  EXPECT_EQ(alert_counters_.stored.load(), 500u);
}
