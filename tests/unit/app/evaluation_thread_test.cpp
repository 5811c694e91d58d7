// EvaluationThread's queue: bounded in events as well as batches, so an evaluation thread
// that falls behind holds a bounded number of decoded events, and the decoding thread waits.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/evaluation_thread.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using probity::testing::TempDir;

namespace {

/// Holds the evaluation thread in its first match until released.
struct GateSink final : app::MatchSink {
  void on_match(const rules::Match&, const event::Event&) override {
    std::unique_lock lock(mutex);
    entered = true;
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
  }
  void wait_entered() {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return entered; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false, open = false;
};

std::vector<event::Event> views(int n) {
  std::vector<event::Event> out;
  for (int i = 0; i < n; ++i) {
    event::Event e(event::Kind::access);
    e.set(event::FieldId::user_id, std::string("pc1"));
    e.set(event::FieldId::action, std::string("view"));
    out.push_back(std::move(e));
  }
  return out;
}

/// One detection, matching every view.
std::shared_ptr<const rules::RuleSet> view_rule() {
  rules::LoadReport report;
  auto set = rules::load_rules_from_string(R"(- detection: view
  title: View
  severity: low
  condition: action == "view"
)",
                                           "rules.yaml", {}, report);
  EXPECT_TRUE(set) << report.format();
  return std::shared_ptr<const rules::RuleSet>(std::move(set));
}

}  // namespace

TEST(EvaluationThread, AQueueBehindASlowEvaluatorHoldsAtMostItsEventsThenTheSenderWaits) {
  TempDir tmp("probity-app");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store);
  GateSink sink;
  app::PipelineCounters counters;
  app::EvaluationStage evaluator(**store, sink, counters);
  evaluator.set_rules(view_rule());
  {
    app::EvaluationThread evaluation(evaluator, /*max_batches=*/64, /*max_events=*/100);
    std::atomic<int> queued{0};
    std::thread sender([&] {
      for (int i = 0; i < 10; ++i) {
        auto batch = views(30);
        evaluation.on_events(batch, static_cast<app::JournalSeq>(i + 1));
        ++queued;
      }
    });
    sink.wait_entered();  // the first batch is taken and held in its first match
    // 30, 60, 90 queued events each leave room for one more batch; 120 do not.
    for (int i = 0; i < 500 && evaluation.queued_events() < 120; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(evaluation.queued_events(), 120u);
    EXPECT_EQ(queued.load(), 5);
    sink.release();
    sender.join();
    evaluation.drain();
  }
  EXPECT_EQ(counters.evaluated.load(), 300u);  // nothing lost to the bound
}

/// Counts matches; never holds the evaluation thread.
struct CountingSink final : app::MatchSink {
  void on_match(const rules::Match&, const event::Event&) override { ++matches; }
  std::atomic<int> matches{0};
};

// An evaluated batch goes back to the decoding thread with its events, which that thread frees
// (the evaluation thread bounds throughput): the sender always gets an empty vector, and once a
// batch was evaluated, one with that batch's capacity.
TEST(EvaluationThread, TheSenderGetsEvaluatedBatchesBackEmptiedWithTheirCapacity) {
  TempDir tmp("probity-app");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store);
  CountingSink sink;
  app::PipelineCounters counters;
  app::EvaluationStage evaluator(**store, sink, counters);
  evaluator.set_rules(view_rule());
  app::EvaluationThread evaluation(evaluator);
  int recycled = 0;
  for (int i = 0; i < 6; ++i) {
    auto batch = views(30);
    evaluation.on_events(batch, static_cast<app::JournalSeq>(i + 1));
    EXPECT_TRUE(batch.empty()) << "batch " << i;
    if (batch.capacity() >= 30) ++recycled;
    for (int wait = 0; wait < 1000 && counters.evaluated.load() < 30u * (i + 1); ++wait)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ASSERT_EQ(counters.evaluated.load(), 30u * (i + 1));
    // The batch is handed back just after its last event counts as evaluated.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(recycled, 4);
  evaluation.drain();
  EXPECT_EQ(sink.matches.load(), 180);
}
