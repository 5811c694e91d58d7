// Correlation and suppression state of the rules stage kept in RocksDB: a
// rules::CorrelationStore over state::Store's rule_state table. The rules stage never
// sees RocksDB; this adapter is the only bridge. Not for reference data.
#pragma once

#include "app/ingest_journal.h"
#include "rules/rules.h"
#include "state/store.h"

namespace probity::app {

class StoreCorrelationState final : public rules::CorrelationStore {
 public:
  /// With `position`, the journal position set by set_resume_point is saved with the state
  /// and published there once written.
  explicit StoreCorrelationState(state::Store& store, EvaluatedPosition* position = nullptr)
      : store_(store), position_(position) {}
  /// A full scan of rule_state. Cost: O(entries); once at start-up.
  Result<void> load(const std::function<void(std::string_view, std::string_view)>& each) override;
  /// One WriteBatch, not synced: a process crash keeps it, a power loss may lose the last
  /// checkpoint (the state is rebuilt from new events; alerts themselves are synced).
  Result<void> save(const std::vector<rules::StateWrite>& writes) override;
  void set_resume_point(std::uint64_t position) override {
    resume_point_ = position;
    resume_unsaved_ = true;
  }

 private:
  state::Store& store_;
  EvaluatedPosition* position_;
  JournalSeq resume_point_ = 0;
  bool resume_unsaved_ = false;
};

}  // namespace probity::app
