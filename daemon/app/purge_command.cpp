// `probity state purge [--dry-run]`: the daemon's retention run on demand, for when the
// daemon is stopped (it holds the store's lock while running). Not for deleting single
// alerts: retention removes by age only, so the trail can say which policy did it.
#include <cstdio>

#include "app/commands.h"
#include "app/retention.h"
#include "app/setup.h"
#include "app/state_dir.h"

namespace probity::app {

int state_purge_command(const CommonOptions& options, const StatePurgeOptions& purge) {
  auto config = effective_config(options);
  if (!config) return 2;
  if (!config->retention.alerts && !config->retention.evidence) {
    std::printf(
        "no retention period is set (retention.alerts, retention.evidence): "
        "alerts are kept for ever; nothing to purge\n");
    return 0;
  }
  auto store = open_state_dir(*config, StateAccess::write);
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto report = run_retention(**store, *config, now, purge.dry_run);
  if (!report) return std::fprintf(stderr, "probity: %s\n", describe(report.error()).c_str()), 1;
  for (const auto& line : report->lines) std::printf("%s\n", line.c_str());
  if (report->lines.empty())
    std::printf("nothing is older than the retention periods; nothing %s\n",
                purge.dry_run ? "would be removed" : "removed");
  return 0;
}

}  // namespace probity::app
