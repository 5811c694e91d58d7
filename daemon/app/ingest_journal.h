// The ingest journal: every message received is appended to it before it is decoded, and
// stays until evaluation has saved its progress past it (with the correlation checkpoint).
// A restart, even after SIGKILL, evaluates what was received but not evaluated; RELP
// acknowledges a message only once it is here and synced.
// Append-only segment files in a directory of their own (the state directory's `journal`),
// not the state store: a message is written once, by one write(2) per batch, and leaves
// with its whole segment; a store would copy it into a memtable and a table file and
// compact it away again. Single-threaded: the I/O thread appends, commits and trims (the
// daemon deletes trimmed segments on a thread of its own, detach_trimmable); the evaluation
// thread only publishes the saved position (EvaluatedPosition).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
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

/// Where evaluation stands: written with the correlation checkpoint (in the correlation
/// store), read by the I/O thread to trim. Thread-safe.
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
  /// A segment is closed, and a new one begun, once it holds this many bytes.
  static constexpr std::uint64_t kSegmentBytes = std::uint64_t{16} << 20;

  /// Opens `dir` (created 0700 when missing) and reads where its segments end. Numbering
  /// goes on past `evaluated` (the position the correlation state recorded) even with no
  /// record left. Errors: journal.open.
  static Result<IngestJournal> open(const std::filesystem::path& dir, JournalSeq evaluated = 0,
                                    std::uint64_t segment_bytes = kSegmentBytes);

  /// Adds a message to the pending batch; returns its sequence number.
  JournalSeq append(std::string_view message, std::string_view peer, bool acknowledged,
                    std::chrono::sys_time<std::chrono::microseconds> received);
  /// Adds a record that keeps its number (moved from an older journal) when that is above
  /// every record here; otherwise adds nothing and returns false (it is here already).
  bool append_numbered(const JournalRecord& record);
  /// Writes the pending batch, not synced: it survives a crash of the process. On failure
  /// the batch is dropped (its messages are being evaluated now; RELP senders, told 500,
  /// send them again) and the next batch goes to a new segment. Errors: journal.write.
  Result<void> commit();
  /// commit(), then waits until everything written is on disk (a crash of the machine).
  Result<void> sync();

  JournalSeq last() const { return next_ - 1; }
  /// Calls fn for every record after `after`, in order. Bytes at a segment's end that are
  /// not a whole record (a crash while writing) end that segment, with a warning.
  /// Errors: journal.read (a segment that cannot be read).
  Result<void> read_after(JournalSeq after,
                          const std::function<void(const JournalRecord&)>& fn) const;
  /// Deletes the segments whose records are all up to `evaluated`, except those holding
  /// the last `keep` records (kept so re-sent RELP messages are recognised after a restart):
  /// delete_segments(detach_trimmable(evaluated, keep)).
  Result<void> trim(JournalSeq evaluated, std::uint64_t keep);
  /// The segments trim() deletes, taken out of the journal but left on disk, for the caller
  /// to delete off the I/O thread: unlinking a 16 MiB segment stalled it for up to 10 ms.
  /// One that is then not deleted is read again, and trimmed, at the next start.
  std::vector<std::filesystem::path> detach_trimmable(JournalSeq evaluated, std::uint64_t keep);
  /// Deletes segment files (detach_trimmable's); any thread. Errors: journal.trim, for the
  /// first that could not be deleted (the others are still tried).
  static Result<void> delete_segments(const std::vector<std::filesystem::path>& paths);

  /// How many segment files the journal has now.
  std::size_t segments() const { return segments_.size(); }

 private:
  struct Segment {
    JournalSeq first;  ///< no record in it is below this; the next segment's are above
    std::filesystem::path path;
  };
  IngestJournal(std::filesystem::path dir, UniqueFd dir_fd, std::uint64_t segment_bytes)
      : dir_(std::move(dir)), dir_fd_(std::move(dir_fd)), segment_bytes_(segment_bytes) {}

  void add_record(JournalSeq seq, std::chrono::sys_time<std::chrono::microseconds> received,
                  bool acknowledged, std::string_view peer, std::string_view message,
                  bool sync_owed);
  Result<void> begin_segment();
  Result<void> write_pending();
  void close_segment();

  std::filesystem::path dir_;
  UniqueFd dir_fd_;
  std::uint64_t segment_bytes_;
  std::vector<Segment> segments_;  ///< oldest first; the open one, if any, is the last
  UniqueFd open_;                  ///< the segment being appended to
  std::uint64_t open_bytes_ = 0;   ///< its size
  UniqueFd unsynced_;              ///< a closed segment with records sync() must cover
  bool sync_owed_ = false;         ///< a record added since the last sync needs one
  bool dir_unsynced_ = false;      ///< a segment was created since the last sync
  std::string pending_;            ///< encoded records not yet written
  JournalSeq pending_first_ = 0;   ///< the first of them (names a new segment)
  JournalSeq written_last_ = 0;    ///< the last record written or pending
  JournalSeq next_ = 1;
};

}  // namespace probity::app
