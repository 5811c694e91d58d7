// The ingest journal: every message received is written to the state store before it is
// decoded, and stays until evaluation has saved its progress past it (with the correlation
// checkpoint, in one batch). A restart, even after SIGKILL, evaluates what was received but
// not evaluated; RELP acknowledges a message only once it is here and synced.
// Single-threaded: the I/O thread appends, commits and trims; the evaluation thread only
// publishes the saved position (EvaluatedPosition).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/packed_writes.h"
#include "base/result.h"
#include "state/store.h"

namespace probity::app {

/// Sequence numbers start at 1; 0 means "nothing" (before the first message).
using JournalSeq = std::uint64_t;

struct JournalRecord {
  JournalSeq seq = 0;
  std::chrono::sys_time<std::chrono::microseconds> received{};
  bool acknowledged = false;  ///< came by RELP: the sender may re-send it
  std::string_view peer;
  std::string_view message;
};

/// Where evaluation stands: written with the correlation checkpoint, read by the I/O
/// thread to trim. Thread-safe.
class EvaluatedPosition {
 public:
  /// The store write that records `seq` as evaluated (put in the checkpoint's batch).
  static state::RuntimeWrite write(JournalSeq seq);
  /// The store write that removes the recorded position.
  static state::RuntimeWrite erase();
  /// Reads the recorded position (0 when none).
  static Result<JournalSeq> read(const state::Store& store);

  void saved(JournalSeq seq) { saved_.store(seq, std::memory_order_release); }
  JournalSeq saved() const { return saved_.load(std::memory_order_acquire); }

 private:
  std::atomic<JournalSeq> saved_{0};
};

class IngestJournal {
 public:
  /// Reads the last sequence number; numbering goes on past `evaluated` (the position the
  /// correlation state recorded) even with no record left. Errors: state.read.
  static Result<IngestJournal> open(state::Store& store, JournalSeq evaluated = 0);

  /// Adds a message to the pending batch; returns its sequence number.
  JournalSeq append(std::string_view message, std::string_view peer, bool acknowledged,
                    std::chrono::sys_time<std::chrono::microseconds> received);
  /// Writes the pending batch, not synced: it survives a crash of the process.
  Result<void> commit();
  /// commit(), then waits until everything written is on disk (a crash of the machine).
  Result<void> sync();

  JournalSeq last() const { return next_ - 1; }
  /// Calls fn for every record after `after`, in order. Errors: state.read, or a record
  /// that does not decode (state.read with its sequence number).
  Result<void> read_after(JournalSeq after,
                          const std::function<void(const JournalRecord&)>& fn) const;
  /// Erases records up to `evaluated`, except the last `keep` records (kept so re-sent
  /// RELP messages are recognised after a restart).
  Result<void> trim(JournalSeq evaluated, std::uint64_t keep);

 private:
  explicit IngestJournal(state::Store& store, JournalSeq next) : store_(&store), next_(next) {}

  state::Store* store_;
  JournalSeq next_;
  JournalSeq trimmed_ = 0;  ///< records up to here are erased
  PackedWrites pending_;
};

}  // namespace probity::app
