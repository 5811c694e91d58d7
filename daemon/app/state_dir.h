// The one policy for opening the state directory, shared by the daemon and every CLI
// command that reads or writes it. Not for what the store does once open (state/store.h)
// nor for the files beside it that are not the store (alert log, mailbox).
#pragma once

#include <memory>

#include "base/result.h"
#include "config/config.h"
#include "state/store.h"

namespace probity::app {

enum class StateAccess {
  /// A RocksDB secondary instance: takes no lock (works beside a running daemon), creates
  /// nothing, every write fails. For show, list and reference look-ups.
  read,
  /// The exclusive primary: creates the directory (0750) and the database when missing;
  /// fails with state.locked while the daemon runs. For the daemon, import and purge.
  write,
};

/// Opens config.state_dir. Checked, in order, before RocksDB sees the directory:
///   1. when the path exists, it is a directory ("state directory D is not a directory")
///      this account can list ("state directory D cannot be read: Permission denied"),
///      both state.unreadable;
///   2. nothing in it is open to other local accounts or writable by its group, the
///      consultation trail excepted (files.not_private, naming the chmod that fixes it);
/// then the store's own checks (state.open "no state database here" when reading a
/// directory without one, state.locked, state.schema_version, ...).
/// Every error is one line a user can act on; commands print it and exit with status 2.
Result<std::unique_ptr<state::Store>> open_state_dir(const config::Config& config,
                                                     StateAccess access);

/// For commands where reference data is optional (parse, replay, rules check and explain,
/// calibrate, learn): a state directory that does not exist is no reference data (null),
/// not an error; one that exists is opened for reading under the checks above, and its
/// errors are returned, never dropped.
Result<std::unique_ptr<state::Store>> open_state_dir_if_present(const config::Config& config);

/// The correlation state's own database, in the state directory's `correlation`
/// subdirectory (app/correlation_db.h says why). Opened after open_state_dir(), whose
/// checks cover it.
Result<std::unique_ptr<state::Store>> open_correlation_dir(const config::Config& config,
                                                           StateAccess access);

}  // namespace probity::app
