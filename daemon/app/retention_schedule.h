// The daemon's retention clock: run_retention once at start-up (before the outbox is
// re-queued, so purged alerts are never mailed) and then every hour on a thread of its own,
// away from ingest and evaluation. Not for what a run removes (app/retention.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "config/config.h"
#include "state/store.h"

namespace probity::app {

/// Whether a config asks for any retention work (a period set or JSONL rotation on).
bool retention_enabled(const config::Config& config);

/// One run now, logged: what was removed, or the error (a failed run is retried next time).
void run_retention_logged(state::Store& store, const config::Config& config);

class RetentionSchedule {
 public:
  /// Does nothing until start(); `store` and `config` must outlive it.
  RetentionSchedule(state::Store& store, const config::Config& config,
                    std::chrono::seconds every = std::chrono::hours(1));
  ~RetentionSchedule();  ///< calls stop()
  RetentionSchedule(const RetentionSchedule&) = delete;
  RetentionSchedule& operator=(const RetentionSchedule&) = delete;

  /// Starts the thread; its first run is one period from now.
  void start();
  /// Wakes and joins the thread; a run in progress finishes first. Idempotent.
  void stop();

 private:
  state::Store& store_;
  const config::Config& config_;
  std::chrono::seconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace probity::app
