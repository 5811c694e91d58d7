// Versions before the journal had files of its own kept its records in the state store
// (table ingest_journal, 'm' + big-endian sequence). Those records move to the files once.
#pragma once

#include "app/ingest_journal.h"
#include "base/result.h"
#include "state/store.h"

namespace probity::app {

/// Moves the records in `store` into `journal` with their numbers, syncs the journal, then
/// erases them from the store. Safe to run again after a crash half-way: records the
/// journal already has are not added twice. Returns how many moved.
/// Errors: state.read (a record that does not decode), journal.write, state.write.
Result<std::size_t> adopt_store_journal(state::Store& store, IngestJournal& journal);

}  // namespace probity::app
