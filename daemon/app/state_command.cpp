// `probity state import|show`: reference data in, one entry out (personal data only
// through the audited door, app/consult.h). `state purge` has its own file
// (purge_command.cpp).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/consult.h"
#include "app/control_socket.h"
#include "app/reference_import.h"
#include "app/setup.h"
#include "app/state_dir.h"
#include "state/state.h"

namespace probity::app {

namespace {

// The daemon's answer to state.import (control_ops.h) as an import report.
state::ImportReport report_from_answer(const nlohmann::json& answer) {
  state::ImportReport report;
  report.rows_loaded = answer.value("rows_loaded", std::size_t{0});
  if (const auto it = answer.find("errors"); it != answer.end() && it->is_array())
    for (const auto& e : *it)
      if (e.is_string()) report.errors.push_back({"", 0, e.get<std::string>()});
  return report;
}

}  // namespace

int state_import_command(const CommonOptions& options, const StateImportOptions& import) {
  auto config = effective_config(options);
  if (!config) return 2;
  if (auto kind = state::import_kind_from_string(import.kind); !kind)
    return std::fprintf(stderr, "probity: %s\n", kind.error().message.c_str()), 2;
  const ReferenceImport request{import.kind, std::filesystem::absolute(import.file),
                                import.list_name, import.replace};
  Result<state::ImportReport> result = fail("state.import", "");
  bool live = false;
  auto store = open_state_dir(*config, StateAccess::write);
  if (store) {
    result = import_reference(**store, trail_file(*config), audit::current_actor(), request);
  } else if (store.error().code == "state.locked") {
    // The daemon holds the store: it loads the file, and the next event it evaluates sees it.
    auto answer = call_daemon(control_socket_path(*config), {{"op", "state.import"},
                                                             {"kind", request.kind},
                                                             {"file", request.file.string()},
                                                             {"list", request.list_name},
                                                             {"replace", request.replace}});
    if (!answer) return std::fprintf(stderr, "probity: %s\n", describe(answer.error()).c_str()), 1;
    result = report_from_answer(*answer);
    live = true;
  } else {
    return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  }
  if (!result) return std::fprintf(stderr, "probity: %s\n", describe(result.error()).c_str()), 1;
  if (!result->ok()) {
    for (const auto& e : result->errors)
      std::fprintf(stderr, "%s\n", e.file.empty() ? e.message.c_str() : describe(e).c_str());
    std::fprintf(stderr, "probity: %zu bad rows; nothing was loaded from %s\n",
                 result->errors.size(), import.file.c_str());
    return 1;
  }
  std::printf("loaded %zu %s rows from %s into %s%s\n", result->rows_loaded, import.kind.c_str(),
              import.file.c_str(), config->state_dir.c_str(),
              live ? " (the running daemon uses them from its next event)" : "");
  return 0;
}

int state_show_command(const CommonOptions& options, const StateShowOptions& show) {
  auto config = effective_config(options);
  if (!config) return 2;
  auto store = open_state_dir(*config, StateAccess::read);
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  // Personal data goes through the audited door; the rest (systems, domain lists) does not.
  const auto shown = state::personal_data_shown(**store, show.table, show.key);
  if (!shown.empty() && show.reason.empty()) {
    std::fprintf(stderr,
                 "probity: '%s' entries hold personal data: give --reason (a case reference or "
                 "why you need it); the consultation is recorded before anything is shown\n",
                 show.table.c_str());
    return 2;
  }
  if (!shown.empty()) {
    if (auto ok = audit::check_reason(config->reason_policy, show.reason); !ok)
      return std::fprintf(stderr, "probity: %s\n", ok.error().message.c_str()), 2;
  }
  // Correlation state is kept in a database of its own (app/correlation_db.h).
  std::unique_ptr<state::Store> correlation;
  if (show.table == "rule_state" || show.table == "rule_states") {
    auto opened = open_correlation_dir(*config, StateAccess::read);
    if (!opened) return std::fprintf(stderr, "probity: %s\n", describe(opened.error()).c_str()), 2;
    correlation = std::move(*opened);
  }
  auto text = state::describe_entry(correlation ? *correlation : **store, show.table, show.key);
  if (!text) return std::fprintf(stderr, "probity: %s\n", text.error().message.c_str()), 1;
  if (!shown.empty() &&
      !record_before_showing(
          *config, {"state.show", show.table + "/" + (show.key.empty() ? "*" : show.key), shown,
                    show.reason}))
    return 1;
  std::printf("%s\n", text->c_str());
  return 0;
}

}  // namespace probity::app
