// EvaluationThread: a mutex-and-condition-variable queue of batches. Batches, not single
// events, cross the thread boundary, so the lock is taken once per few hundred events.
#include "app/evaluation_thread.h"

#include "base/thread_role.h"

namespace probity::app {

namespace {
// Enough to hand the decoding thread an empty vector with capacity at each batch; more were
// only held, not used.
constexpr std::size_t kSpareBatches = 4;
}  // namespace

EvaluationThread::EvaluationThread(EvaluationStage& evaluator, std::size_t max_batches,
                                   std::size_t max_events)
    : evaluator_(evaluator), max_batches_(max_batches), max_events_(max_events), thread_([this] {
        name_this_thread("probity-eval");
        evaluator_.yield_to(&queued_events_);  // on this thread, before any batch
        run();
      }) {}

EvaluationThread::~EvaluationThread() { drain(); }

void EvaluationThread::on_events(std::vector<event::Event>& events, JournalSeq position) {
  if (events.empty()) return;
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] {
    return queue_.empty() || stopping_ ||
           (queue_.size() < max_batches_ &&
            queued_events_.load(std::memory_order_relaxed) < max_events_);
  });
  std::vector<event::Event> batch;
  if (!spare_.empty()) {
    batch = std::move(spare_.back());
    spare_.pop_back();
  }
  batch.swap(events);  // the caller keeps a recycled, empty vector with capacity
  queued_events_.fetch_add(batch.size(), std::memory_order_relaxed);
  queue_.push_back({std::move(batch), position});
  lock.unlock();
  not_empty_.notify_one();
}

void EvaluationThread::tick() {
  {
    std::lock_guard lock(mutex_);
    if (!queue_.empty() || stopping_) return;
    queue_.emplace_back();
  }
  not_empty_.notify_one();
}

void EvaluationThread::run() {
  for (;;) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) return;  // stopping and nothing left
    auto batch = std::move(queue_.front());
    queue_.pop_front();
    queued_events_.fetch_sub(batch.events.size(), std::memory_order_relaxed);
    lock.unlock();
    not_full_.notify_one();
    evaluator_.on_events(batch.events, batch.position);  // leaves it empty with its capacity
    lock.lock();
    if (spare_.size() < kSpareBatches) spare_.push_back(std::move(batch.events));
  }
}

void EvaluationThread::drain() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace probity::app
