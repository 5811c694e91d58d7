// Internal to alerts/: the durable outbox (one entry per alert and destination still to be
// delivered, in the outbox table) and the in-memory retry schedule that decides what to try
// next. Not for sending (channel.h) or for threads (destination.cpp owns the lock).
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

/// What a previous run left for a destination: an alert id and how often it was tried.
struct OutboxEntry {
  std::string alert_id;
  std::uint32_t attempts = 0;
};

/// An alert a destination holds for its next digest, and when that digest is due.
struct HeldEntry {
  std::string alert_id;
  event::Timestamp due{};
};

/// An entry no configured destination owns (its destination left the config, or it was
/// written before routes, as "email:<id>" or "digest:<id>"): its alert is routed again.
struct StrayEntry {
  std::string key;
  std::string alert_id;
};

/// The outbox table, one row per alert and destination still to deliver:
/// "send:<destination>:<alert id>" (at once, with its attempts) and
/// "hold:<destination>:<alert id>" (for the next digest). Each is written in the same
/// batch as its alert and erased, synced, once delivered.
class AlertOutbox {
 public:
  explicit AlertOutbox(state::Store& store) : store_(store) {}

  static state::RuntimeWrite send_write(std::string_view destination, std::string_view alert_id,
                                        event::Timestamp created);
  static state::RuntimeWrite hold_write(std::string_view destination, std::string_view alert_id,
                                        event::Timestamp created, event::Timestamp due);

  /// The destination's entries to send, in alert id order (oldest first).
  Result<std::vector<OutboxEntry>> load_sends(std::string_view destination) const;
  /// The destination's held alerts, oldest first, at most `limit`.
  Result<std::vector<HeldEntry>> load_held(std::string_view destination, std::size_t limit) const;
  /// Entries of no destination in `destinations` (jsonl: backlog marks are not entries).
  Result<std::vector<StrayEntry>> load_strays(const std::set<std::string>& destinations) const;

  /// Synced erase after a delivery, so a restart does not send it again.
  Result<void> remove_send(std::string_view destination, std::string_view alert_id);
  /// Synced erase of held entries once their digest is delivered, in one batch.
  Result<void> remove_held(std::string_view destination, const std::vector<std::string>& ids);
  /// Best effort, unsynced: keeps attempts and the last error visible (`state show outbox`).
  Result<void> record_failure(std::string_view destination, std::string_view alert_id,
                              std::uint32_t attempts, std::string_view error);

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
  /// Adds an entry due at `due`, or brings an existing one forward to it.
  void due_by(const std::string& id, Clock::time_point due);
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
