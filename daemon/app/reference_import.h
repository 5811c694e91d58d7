// Loading a reference-data file (staff, vetting, associations, lists, registers) into the
// store, recorded in the trail: the one function `probity state import` runs on a stopped
// daemon's store and the running daemon runs for it over the control socket (control_ops.h),
// so an import is checked, recorded and applied alike through either door.
#pragma once

#include <filesystem>
#include <string>

#include "audit/audit.h"
#include "state/state.h"

namespace probity::app {

struct ReferenceImport {
  std::string kind;  ///< state::import_kind_from_string: staff, associations, list, ...
  std::filesystem::path file;
  std::string list_name;  ///< lists only; "" = the file's stem
  bool replace = false;   ///< swap the table (or the list) for the file's rows
};

/// Records "state.import" with the kind, file and mode, then loads the file in one synced
/// batch (state::import_file): the next event evaluated sees all of it or, with bad rows
/// (in the report), none of it. Errors: an unknown kind, the trail's, import_file's.
Result<state::ImportReport> import_reference(state::Store& store,
                                             const std::filesystem::path& trail,
                                             const audit::Actor& actor,
                                             const ReferenceImport& import);

}  // namespace probity::app
