// AlertCommitter: a one-slot hand-off between the evaluation thread and a commit thread.
#include "app/alert_committer.h"

#include "base/thread_role.h"

namespace probity::app {

void commit_alerts(alerts::AlertPipeline& alerts, LatencyHistogram& event_to_alert,
                   std::vector<event::Timestamp>& arrivals) {
  alerts.commit();
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  for (const auto received : arrivals) event_to_alert.observe(now - received);
  arrivals.clear();
}

AlertCommitter::AlertCommitter(alerts::AlertPipeline& alerts, LatencyHistogram& event_to_alert)
    : alerts_(alerts), event_to_alert_(event_to_alert), thread_([this] {
        name_this_thread("probity-commit");
        run();
      }) {}

AlertCommitter::~AlertCommitter() { stop(); }

void AlertCommitter::commit(std::vector<event::Timestamp>& arrivals, std::size_t alerts) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !requested_ || stopping_ || waiting_ + alerts <= kMaxWaiting; });
  if (stopping_) {
    lock.unlock();
    commit_alerts(alerts_, event_to_alert_, arrivals);
    return;
  }
  requested_ = true;
  waiting_ += alerts;
  arrivals_.insert(arrivals_.end(), arrivals.begin(), arrivals.end());
  arrivals.clear();
  lock.unlock();
  changed_.notify_all();
}

bool AlertCommitter::commit_if_idle(std::vector<event::Timestamp>& arrivals, std::size_t alerts) {
  {
    std::lock_guard lock(mutex_);
    if (requested_ || running_ || stopping_) return false;
    requested_ = true;
    waiting_ = alerts;
    arrivals_.swap(arrivals);
    arrivals.clear();
  }
  changed_.notify_all();
  return true;
}

void AlertCommitter::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !requested_ && !running_; });
}

void AlertCommitter::run() {
  std::vector<event::Timestamp> arrivals;
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return requested_ || stopping_; });
    if (!requested_) return;  // stopping, and nothing asked for
    requested_ = false;
    running_ = true;
    waiting_ = 0;
    arrivals.swap(arrivals_);
    lock.unlock();
    changed_.notify_all();  // a commit() waiting for room may ask for the next
    commit_alerts(alerts_, event_to_alert_, arrivals);
    lock.lock();
    running_ = false;
    changed_.notify_all();
  }
}

void AlertCommitter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace probity::app
