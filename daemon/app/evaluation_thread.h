// Runs the EvaluationStage (rules, correlation, alerts) on a thread of its own, fed batches of
// decoded events through a bounded queue, so parsing and evaluation use two cores. When
// the queue is full on_events() blocks the I/O thread, which stops reading sockets: TCP
// flow control, not loss, absorbs an overload.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "app/pipeline.h"

namespace probity::app {

class EvaluationThread final : public EventSink {
 public:
  /// The queue holds at most `max_batches` batches and, past its first, `max_events` events:
  /// a full batch of decoded events is most of a megabyte, and while evaluation falls behind
  /// every slot is full.
  explicit EvaluationThread(EvaluationStage& evaluator, std::size_t max_batches = 64,
                            std::size_t max_events = 8192);
  ~EvaluationThread() override;  ///< drain()
  EvaluationThread(const EvaluationThread&) = delete;
  EvaluationThread& operator=(const EvaluationThread&) = delete;

  /// Queues the batch (taking its events); waits while the queue is full.
  void on_events(std::vector<event::Event>& events, JournalSeq position) override;
  /// Queues a tick (an empty batch) when nothing is queued, so the evaluator's timers
  /// (absent-rule deadlines, state checkpoints) run while no events arrive. Never waits.
  void tick();
  /// Evaluates everything queued, then stops the thread. Idempotent.
  void drain();
  /// Events waiting for the evaluation thread (the queue between decoding and rules).
  std::size_t queued_events() const { return queued_events_.load(std::memory_order_relaxed); }

 private:
  void run();

  EvaluationStage& evaluator_;
  const std::size_t max_batches_, max_events_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  struct Batch {
    std::vector<event::Event> events;
    JournalSeq position = 0;
  };
  std::deque<Batch> queue_;
  std::vector<std::vector<event::Event>> spare_;  // recycled batch vectors (capacity kept), a few
  bool stopping_ = false;
  std::atomic<std::size_t> queued_events_{0};
  std::thread thread_;
};

}  // namespace probity::app
