// adopt_legacy_correlation_state: rule_state and the evaluated position, from the main
// store into the correlation store.
#include "app/correlation_db.h"

#include <spdlog/spdlog.h>

#include "app/ingest_journal.h"

namespace probity::app {
namespace {

Result<bool> holds_state(const state::Store& store) {
  auto position = EvaluatedPosition::read(store);
  if (!position) return tl::unexpected(position.error());
  if (*position != 0) return true;
  bool any = false;
  auto scanned = store.scan(state::RuntimeTable::rule_state, "", [&](auto, auto) {
    any = true;
    return false;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  return any;
}

}  // namespace

Result<void> adopt_legacy_correlation_state(state::Store& main, state::Store& correlation) {
  std::vector<state::RuntimeWrite> moved, erased;
  auto scanned =
      main.scan(state::RuntimeTable::rule_state, "", [&](std::string_view k, std::string_view v) {
        moved.push_back({state::RuntimeTable::rule_state, std::string(k), std::string(v)});
        erased.push_back({state::RuntimeTable::rule_state, std::string(k), std::nullopt});
        return true;
      });
  if (!scanned) return scanned;
  auto position = EvaluatedPosition::read(main);
  if (!position) return tl::unexpected(position.error());
  if (moved.empty() && *position == 0) return {};
  auto already = holds_state(correlation);
  if (!already) return tl::unexpected(already.error());
  if (!*already) {
    if (*position != 0) moved.push_back(EvaluatedPosition::write(*position));
    if (auto ok = correlation.write_batch(moved, /*sync=*/true); !ok) return ok;
    spdlog::info("correlation state: {} entries moved into its own database",
                 moved.size() - (*position != 0));
  }
  erased.push_back(EvaluatedPosition::erase());
  return main.write_batch(erased, /*sync=*/true);
}

}  // namespace probity::app
