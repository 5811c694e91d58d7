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

  /// commit_alerts() on the committer's thread, of what is staged when it starts. Waits
  /// first while the one before is still to run or running: one batch's alerts are written
  /// while the next batch's are raised, never more, so what waits for a commit stays
  /// bounded. Takes `arrivals`.
  void commit(std::vector<event::Timestamp>& arrivals);
  /// commit(), unless a commit is asked for or running: then returns false at once, leaving
  /// `arrivals` to a later call. Never waits.
  bool commit_if_idle(std::vector<event::Timestamp>& arrivals);
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
  std::vector<event::Timestamp> arrivals_;  // of the commit requested
  std::thread thread_;
};

}  // namespace probity::app
