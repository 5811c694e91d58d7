// Internal to alerts/: one destination's delivery (a recipient group, a webhook, a SIEM):
// its rows in the outbox, its retry schedule, its digest, and the thread that empties them
// through its channel. A destination that is down holds back only itself. Not for routing
// (routing.h) or for what is stored (pipeline.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "alerts/alerts.h"
#include "alerts/channel.h"
#include "alerts/outbox.h"

namespace probity::alerts {

class Destination {
 public:
  using Clock = std::chrono::steady_clock;

  Destination(std::string name, std::unique_ptr<Channel> channel, state::Store& store,
              const AlertConfig& config, AlertCounters& counters);
  ~Destination();  ///< stops without draining if still running
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;

  const std::string& name() const { return name_; }
  std::string_view kind() const { return channel_->kind(); }

  /// This destination's share of AlertCounters, for /metrics; read from any thread.
  struct Stats {
    std::atomic<std::uint64_t> delivered{0};  ///< alerts and digests
    std::atomic<std::uint64_t> failed{0};     ///< attempts, retried
    std::atomic<std::uint64_t> pending{0};
  };
  const Stats& stats() const { return stats_; }

  /// Queues what a previous run left for this destination and starts its thread.
  /// Errors: the store's.
  Result<void> start();

  /// The alert's "send" row is committed: deliver it soon. Any thread.
  void queue(const std::string& alert_id);
  /// A "hold" row is committed: the digest goes out at `due` at the latest. Any thread.
  void hold(Clock::time_point due);

  /// Asks the thread to stop: it tries what is pending once more until `drain_deadline`,
  /// then ends; join() waits for it. Undelivered rows stay for the next start().
  void request_stop(Clock::time_point drain_deadline);
  void join();

 private:
  enum class Outcome { delivered, failed, dropped };
  void run();
  Outcome attempt(const std::string& entry, std::string& error);
  Outcome send_one(const std::string& alert_id, std::string& error);
  Outcome send_digest(std::string& error);
  void log_failure(const std::string& entry, std::uint32_t attempts, const std::string& why);
  void set_pending_locked();

  const std::string name_;
  std::unique_ptr<Channel> channel_;
  state::Store& store_;
  AlertOutbox outbox_;
  AlertCounters& counters_;

  std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  RetrySchedule schedule_;
  bool digest_more_ = false;  // the last digest left held alerts for another, due at once
  bool stopping_ = false;
  Clock::time_point drain_deadline_{};
  std::size_t pending_shown_ = 0;  // this destination's share of counters_.pending
  Stats stats_;
  std::thread thread_;

  // Rate-limited failure logging: the delivery thread only.
  Clock::time_point last_failure_log_{};
  std::uint64_t unlogged_failures_ = 0;
};

}  // namespace probity::alerts
