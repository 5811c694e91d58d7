// EvaluationThread: a mutex-and-condition-variable queue of batches. Batches, not single
// events, cross the thread boundary, so the lock is taken once per few hundred events.
#include "app/evaluation_thread.h"

#include "base/thread_role.h"

namespace probity::app {

namespace {
// Enough to hand the decoding thread a vector with capacity at each batch; more were only
// held, not used. Each may still hold its evaluated events (most of a megabyte) until then.
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
  std::vector<event::Event> recycled;
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] {
    return queue_.empty() || stopping_ ||
           (queue_.size() < max_batches_ &&
            queued_events_.load(std::memory_order_relaxed) < max_events_);
  });
  if (!spare_.empty()) {
    recycled = std::move(spare_.back());
    spare_.pop_back();
  }
  queued_events_.fetch_add(events.size(), std::memory_order_relaxed);
  queue_.push_back({std::move(events), position});
  lock.unlock();
  not_empty_.notify_one();
  // A spare holds the events the evaluation thread has finished with. They are freed here,
  // on the decoding thread: freeing a batch's few thousand strings was a twentieth of the
  // evaluation thread's time, and that thread is the one that bounds throughput.
  recycled.clear();
  events = std::move(recycled);  // the caller keeps a recycled, empty vector with capacity
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
    evaluator_.evaluate_batch(batch.events, batch.position);  // the events stay in it
    lock.lock();
    if (spare_.size() < kSpareBatches) {
      spare_.push_back(std::move(batch.events));
    } else {
      lock.unlock();  // the decoding thread is not taking spares: free them here, unlocked
      batch.events.clear();
    }
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
