// Commits the alerts an evaluation batch raised (AlertPipeline::commit: their JSON, routing,
// one synced write, the JSONL lines, the live page, delivery) on a thread of its own while
// the evaluation thread goes on with the next batch. In an alert storm the commit was a third
// of the evaluation thread's time, and the other core was mostly idle. Not for raising
// alerts (AlertingSink) or delivering them (alerts/destination.h).
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "alerts/alerts.h"
#include "base/latency_histogram.h"
#include "event/event.h"

namespace probity::app {

/// AlertPipeline::commit(), then `arrivals` (of events whose alerts it made durable) into
/// `event_to_alert`, measured to now; leaves `arrivals` empty.
void commit_alerts(alerts::AlertPipeline& alerts, LatencyHistogram& event_to_alert,
                   std::vector<event::Timestamp>& arrivals);

class AlertCommitter {
 public:
  AlertCommitter(alerts::AlertPipeline& alerts, LatencyHistogram& event_to_alert);
  ~AlertCommitter();  ///< stop()
  AlertCommitter(const AlertCommitter&) = delete;
  AlertCommitter& operator=(const AlertCommitter&) = delete;

  /// Alerts asked to be committed and not yet taken by a commit, past which commit() waits.
  static constexpr std::size_t kMaxWaiting = 4096;

  /// Asks for commit_alerts() on the committer's thread, of what is staged when it starts,
  /// for `alerts` alerts and repeats staged since the last call; takes `arrivals`. Asked
  /// while a commit runs, it joins the next one and returns at once: at half the maximum
  /// rate a batch holds a few events, each batch waited for the commit before it (up to
  /// 14 ms), and events queued behind those waits. It waits only while a storm has outrun
  /// the committer by kMaxWaiting alerts, so what waits for a commit stays bounded.
  void commit(std::vector<event::Timestamp>& arrivals, std::size_t alerts);
  /// commit(), unless a commit is asked for or running: then returns false at once, leaving
  /// `arrivals` to a later call. Never waits.
  bool commit_if_idle(std::vector<event::Timestamp>& arrivals, std::size_t alerts);
  /// Returns once every commit asked for so far has ended.
  void wait();
  /// wait(), then ends the thread; later commits run on the caller's thread. Idempotent.
  void stop();

 private:
  void run();

  alerts::AlertPipeline& alerts_;
  LatencyHistogram& event_to_alert_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool requested_ = false, running_ = false, stopping_ = false;
  std::size_t waiting_ = 0;                 // alerts of the commit requested
  std::vector<event::Timestamp> arrivals_;  // of the commit requested
  std::thread thread_;
};

}  // namespace probity::app
