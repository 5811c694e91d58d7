// Internal to alerts/: which stored alerts still lack their JSONL line. A mark per alert
// ("jsonl:<alert id>" in the outbox table) goes into the alert's own batch and is erased
// once the line is written; catch_up() writes the lines of the marks left behind (fd
// exhaustion, a full disk, a crash). Not for the mail outbox (outbox.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts/alerts.h"
#include "alerts/sinks.h"
#include "state/store.h"

namespace probity::alerts {

class JsonlBacklog {
 public:
  /// The JSONL line for a stored alert (the pipeline decides: full or shown view).
  using LineOf = std::function<std::string(const Alert&, const std::string& stored_json)>;

  JsonlBacklog(state::Store& store, JsonlSink& sink, LineOf line_of)
      : store_(store), sink_(sink), line_of_(std::move(line_of)) {}

  /// The mark, for the batch that stores the alert.
  static state::RuntimeWrite mark_write(std::string_view alert_id);

  /// How many catch_up() runs have begun. Read before the marks are written, it lets
  /// append() tell that none has run since, so none can have taken those marks.
  std::uint64_t catch_ups() const { return catch_ups_.load(std::memory_order_acquire); }

  /// Writes the lines (alert id, line) of alerts stored with their marks, in one write, and
  /// erases the marks in one batch. A line whose mark catch_up() took first is skipped: a
  /// line is never logged twice by a race. Given `catch_ups_before` (catch_ups() read before
  /// the marks were written) and no catch-up since, the marks are not read back one by one.
  /// On failure the marks stay. Any thread.
  Result<void> append(const std::vector<std::pair<std::string, std::string>>& lines,
                      std::optional<std::uint64_t> catch_ups_before = std::nullopt);

  /// Marks an alert whose line could not be written after a change made outside raise()
  /// (fold); best effort.
  void mark(std::string_view alert_id);

  /// Writes the line of every marked alert still stored, oldest first, as it is stored now,
  /// and erases the marks; stops at the first failed write. Returns how many were written.
  /// Any thread; cost O(marks).
  Result<std::size_t> catch_up();

 private:
  state::Store& store_;
  JsonlSink& sink_;
  LineOf line_of_;
  std::mutex mutex_;                         // one writer of lines and marks at a time
  std::atomic<std::uint64_t> catch_ups_{0};  // changed under mutex_, read without it
};

}  // namespace probity::alerts
