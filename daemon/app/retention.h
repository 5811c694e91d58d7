// Retention: alerts raised longer ago than retention.alerts are deleted with their outbox
// entries, alerts older than retention.evidence keep their text but lose their evidence
// events, and rotated JSONL logs past the shorter period are removed. Every run that
// removes anything is written to the consultation trail before anything is removed.
// Not for deciding the periods (config/) or for the trail itself (app/consult.h).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "config/config.h"
#include "event/event.h"
#include "state/store.h"

namespace probity::app {

/// What a purge removes from the store: computed by plan_store_purge, done by apply.
struct StorePurgePlan {
  std::optional<event::Timestamp> alerts_cutoff;    ///< alerts raised before this go
  std::optional<event::Timestamp> evidence_cutoff;  ///< alerts raised before this lose events
  std::size_t alerts_removed = 0;
  std::size_t outbox_removed = 0;
  std::size_t evidence_stripped = 0;
  std::size_t unreadable = 0;  ///< alert records that are not JSON with a raised_at: left alone
  std::vector<state::RuntimeWrite> writes;
  bool empty() const { return writes.empty(); }
};

/// Scans the alerts and outbox tables. An alert past retention.alerts is erased with every
/// outbox entry "...:<its id>"; one past retention.evidence (and not erased) with a
/// non-empty "events" array is rewritten with "events": [] and "evidence_purged_at": now,
/// every other member kept. Unset periods remove nothing. Errors: the store's scan errors.
/// Cost: reads and parses every alert; from any thread. Beside a running daemon, a fold()
/// into an alert between plan and apply can be overwritten by its stripped copy, and an
/// alert still undelivered after retention.alerts is dropped from the mail queue with an
/// error logged: both need an alert older than a whole period, so neither is guarded.
Result<StorePurgePlan> plan_store_purge(const state::Store& store,
                                        const config::RetentionConfig& policy,
                                        event::Timestamp now);

/// Writes the plan in synced batches, then compacts the alerts and outbox tables so the
/// removed values leave the disk. Errors: state.write / state.compact.
Result<void> apply_store_purge(state::Store& store, const StorePurgePlan& plan);

/// What one retention run removed (or, dry, would remove).
struct RetentionReport {
  StorePurgePlan store;
  std::vector<std::filesystem::path> rotated_logs_removed;
  bool log_rotated = false;
  /// One line per kind of removal, for the log and `state purge`.
  std::vector<std::string> lines;
};

/// One run at `now`: rotates the JSONL log at jsonl_rotate_mb, plans the store purge and
/// the rotated logs past the shorter period, records one trail entry per policy that
/// removes something (action "retention.purge"), then removes. If the trail cannot be
/// written nothing is removed and the error is returned. dry_run rotates, records and
/// removes nothing. Cost: plan_store_purge plus a compaction when anything was removed.
Result<RetentionReport> run_retention(state::Store& store, const config::Config& config,
                                      event::Timestamp now, bool dry_run);

}  // namespace probity::app
