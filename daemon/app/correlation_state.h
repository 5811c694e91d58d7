// Correlation and suppression state of the rules stage kept in RocksDB: a
// rules::CorrelationStore over state::Store's rule_state table. The rules stage never
// sees RocksDB; this adapter is the only bridge. Not for reference data.
#pragma once

#include "rules/rules.h"
#include "state/store.h"

namespace probity::app {

class StoreCorrelationState final : public rules::CorrelationStore {
 public:
  explicit StoreCorrelationState(state::Store& store) : store_(store) {}
  /// A full scan of rule_state. Cost: O(entries); once at start-up.
  Result<void> load(const std::function<void(std::string_view, std::string_view)>& each) override;
  /// One WriteBatch, not synced: a process crash keeps it, a power loss may lose the last
  /// checkpoint (the state is rebuilt from new events; alerts themselves are synced).
  Result<void> save(const std::vector<rules::StateWrite>& writes) override;

 private:
  state::Store& store_;
};

}  // namespace probity::app
