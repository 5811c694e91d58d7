// import_reference (reference_import.h).
#include "app/reference_import.h"

namespace probity::app {

Result<state::ImportReport> import_reference(state::Store& store,
                                             const std::filesystem::path& trail,
                                             const audit::Actor& actor,
                                             const ReferenceImport& import) {
  auto kind = state::import_kind_from_string(import.kind);
  if (!kind) return tl::unexpected(kind.error());
  const std::string what = std::string(state::to_string(*kind)) +
                           (import.list_name.empty() ? "" : "/" + import.list_name);
  // Recorded first, as every change to the store: one nobody can trace is refused.
  if (auto recorded = audit::record_consultation(
          trail,
          {"state.import", what, "",
           (import.replace ? "replace from " : "upsert from ") + import.file.string()},
          actor);
      !recorded)
    return tl::unexpected(recorded.error());
  return state::import_file(store, *kind, import.file, import.list_name, import.replace);
}

}  // namespace probity::app
