// Internal to alerts/: the durable outbox (one entry per alert still to be emailed, in the
// outbox table) and the in-memory retry schedule that decides what to try next.
// Not for sending (sinks.h) or for threads (pipeline.cpp owns the lock around these).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "event/event.h"
#include "state/store.h"

namespace probity::alerts {

/// What a previous run left behind: an alert id and how often it was tried.
struct OutboxEntry {
  std::string alert_id;
  std::uint32_t attempts = 0;
};

/// The outbox table's view for email: key "email:<alert id>", value a small JSON record.
class AlertOutbox {
 public:
  explicit AlertOutbox(state::Store& store) : store_(store) {}

  static std::string key(std::string_view alert_id);
  /// The write that queues an alert; goes into the same batch as the alert itself.
  static state::RuntimeWrite enqueue_write(std::string_view alert_id, event::Timestamp created);

  /// An alert held by the flood limit for the next digest: key "digest:<alert id>".
  static state::RuntimeWrite enqueue_digest_write(std::string_view alert_id,
                                                  event::Timestamp created);

  /// Every entry, in alert id order (oldest first). Store errors are returned.
  Result<std::vector<OutboxEntry>> load() const;
  /// Alert ids waiting for a digest, oldest first, at most `limit`.
  Result<std::vector<std::string>> load_digest(std::size_t limit) const;
  /// Synced erase of digest entries once their digest is delivered, in one batch.
  Result<void> remove_digest(const std::vector<std::string>& alert_ids);
  /// Synced erase after a delivery, so a restart does not send it again.
  Result<void> remove(std::string_view alert_id);
  /// Best effort, unsynced: keeps attempts and the last error visible to `probity alerts`.
  Result<void> record_failure(std::string_view alert_id, std::uint32_t attempts,
                              std::string_view error);

 private:
  state::Store& store_;
};

/// Which outbox entry to try next. Each entry backs off on its own failures, and the
/// whole sink holds off after any failure (a relay outage costs one attempt per period,
/// not one per queued alert); the entry that is due earliest goes first, so one message
/// the relay keeps rejecting does not block the others. Not thread-safe.
class RetrySchedule {
 public:
  using Clock = std::chrono::steady_clock;

  RetrySchedule(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(initial), max_(max) {}

  /// Adds an entry due now; a second add of the same id keeps the first.
  void add(const std::string& alert_id, std::uint32_t attempts, Clock::time_point now);
  /// The due entry to try now, if any and if the sink is not holding off.
  std::optional<std::string> pick(Clock::time_point now) const;
  /// When pick() may next return something; nullopt when empty.
  std::optional<Clock::time_point> next_wake() const;
  void succeeded(const std::string& alert_id);
  /// Drops an entry that can never be delivered (its alert is missing or unreadable).
  void drop(const std::string& alert_id);
  /// Returns the entry's attempts so far.
  std::uint32_t failed(const std::string& alert_id, Clock::time_point now);

  std::chrono::milliseconds backoff(std::uint32_t failures) const;
  std::vector<std::string> ids() const;
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::uint32_t attempts = 0;
    Clock::time_point due;
  };
  std::chrono::milliseconds initial_, max_;
  void erase(const std::string& alert_id);

  std::map<std::string, Entry> entries_;  // by alert id
  // (due, id): the next due entry in O(log n), oldest id first among equally due. A flood
  // of held retries must not make every raise() scan the whole schedule under the lock.
  std::set<std::pair<Clock::time_point, std::string>> by_due_;
  std::uint32_t consecutive_failures_ = 0;
  Clock::time_point hold_until_{};
};

}  // namespace probity::alerts
