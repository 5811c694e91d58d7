// Where correlation state lives: a RocksDB database of its own beside the main one, holding
// the rule_state entries and the journal position they were saved at (one batch, so still
// atomic). A busy engine's checkpoint is tens of megabytes in one batch; in the main
// database every journal append and alert write queued behind it, for a fifth of a second
// every five.
#pragma once

#include "base/result.h"
#include "state/store.h"

namespace probity::app {

/// Moves what older versions kept in the main store (rule_state entries and the evaluated
/// position) into `correlation`, unless it already holds state, then erases them from
/// `main`. Idempotent: a crash between the two steps leaves state in both, and the next
/// start only erases. Cost: a scan of the main store's rule_state; nothing when empty.
Result<void> adopt_legacy_correlation_state(state::Store& main, state::Store& correlation);

}  // namespace probity::app
