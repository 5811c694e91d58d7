// Correlation and suppression state of the rules stage kept in RocksDB: a
// rules::CorrelationStore over state::Store's rule_state table. The rules stage never
// sees RocksDB; this adapter is the only bridge. Not for reference data.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/ingest_journal.h"
#include "rules/rules.h"
#include "state/store.h"

namespace probity::app {

class StoreCorrelationState final : public rules::CorrelationStore {
 public:
  /// With `position`, the journal position set by set_resume_point is saved with the state
  /// and published there once written. With `background`, save() hands its batch to a
  /// writer thread and returns: a checkpoint of a busy engine is tens of megabytes, and
  /// writing it on the evaluation thread stalled every event behind it.
  /// A batch of `ingest_from` bytes or more is written as files the store takes in whole
  /// (Store::ingest_packed), not as a WriteBatch: one as large as a busy checkpoint was held
  /// three times over while written.
  explicit StoreCorrelationState(state::Store& store, EvaluatedPosition* position = nullptr,
                                 bool background = false,
                                 std::size_t ingest_from = kIngestFromBytes);
  static constexpr std::size_t kIngestFromBytes = std::size_t{8} << 20;
  /// Writes what is in flight first.
  ~StoreCorrelationState() override;
  StoreCorrelationState(const StoreCorrelationState&) = delete;
  StoreCorrelationState& operator=(const StoreCorrelationState&) = delete;

  /// A full scan of rule_state, read ahead on a thread of its own (base/read_ahead.h).
  /// Cost: O(entries); once at start-up.
  Result<void> load(const std::function<void(std::string_view, std::string_view)>& each) override;
  /// One WriteBatch, not synced: a process crash keeps it, a power loss may lose the last
  /// checkpoint (the journal evaluates again what it had not seen). A large one is ingested
  /// as files instead, durable at once. In the background, one
  /// batch is in flight at a time; a batch that failed is retried here, before the next,
  /// and its error returned if it fails again (the next then stays with the caller).
  Result<void> save(rules::StateWrites& writes) override;
  std::size_t writes_in_flight() const override;
  bool writing() const override;
  void set_resume_point(std::uint64_t position) override {
    resume_point_ = position;
    resume_unsaved_ = true;
  }

 private:
  struct Batch {
    rules::StateWrites writes;
    std::optional<JournalSeq> point;  // the resume point it records
  };
  /// Writes the batch with its resume point.
  Result<void> write(const Batch& batch);
  /// `writes` as a batch (swapped in, leaving it empty), with the resume point when it is
  /// unsaved.
  Batch take(rules::StateWrites& writes);
  void run_writer();

  state::Store& store_;
  EvaluatedPosition* position_;
  std::size_t ingest_from_;
  JournalSeq resume_point_ = 0;
  bool resume_unsaved_ = false;

  // The background writer: `queued` is the batch to write, or (with `failed`) the one held.
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Batch> queued_;
  rules::StateWrites spare_;  // emptied after writing, handed back by the next save()
  bool writing_ = false, failed_ = false, stopping_ = false;
  std::thread writer_;
};

}  // namespace probity::app
