// `probity alerts list|show`: the PSD's view of stored alerts from the command line.
// The list shows pseudonyms only; `show` prints the evidence with real identities and
// needs a reason, which goes to the consultation trail first.
#include <cstdio>

#include <fmt/format.h>

#include "alerts/alerts.h"
#include "app/commands.h"
#include "app/consult.h"
#include "app/setup.h"
#include "app/state_dir.h"

namespace probity::app {

int alerts_list_command(const CommonOptions& options, const AlertsListOptions& list) {
  auto config = effective_config(options);
  if (!config) return 2;
  auto store = open_state_dir(*config, StateAccess::read);
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  std::vector<std::string> lines;
  auto scanned = alerts::for_each_stored_alert(
      **store,
      [&](const alerts::Alert& alert) {
        // The user as the alert was shown when raised (its pseudonym under the key of the
        // day); no key is read here, so a pseudonym can never be recomputed or created by
        // this command.
        const auto shown = alerts::as_shown(alert);
        lines.push_back(fmt::format("{}  {:<8}  {:<40}  {}", alert.id, alert.severity,
                                    alert.rule_id, shown.user_id.empty() ? "-" : shown.user_id));
      },
      [](std::string_view id, const Error& error) {
        std::fprintf(stderr, "probity: stored alert %.*s cannot be read: %s\n",
                     static_cast<int>(id.size()), id.data(), error.message.c_str());
      });
  if (!scanned) return std::fprintf(stderr, "probity: %s\n", scanned.error().message.c_str()), 1;
  const std::size_t from = lines.size() > list.limit ? lines.size() - list.limit : 0;
  for (std::size_t i = from; i < lines.size(); ++i) std::printf("%s\n", lines[i].c_str());
  std::fprintf(stderr, "%zu alerts stored; showing the last %zu (users pseudonymised)\n",
               lines.size(), lines.size() - from);
  return 0;
}

int alerts_show_command(const CommonOptions& options, const AlertsShowOptions& show) {
  auto config = effective_config(options);
  if (!config) return 2;
  if (auto ok = audit::check_reason(config->reason_policy, show.reason); !ok)
    return std::fprintf(stderr, "probity: %s\n", ok.error().message.c_str()), 2;
  auto store = open_state_dir(*config, StateAccess::read);
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  auto document = alerts::stored_alert_document(**store, show.id);
  if (!document) return std::fprintf(stderr, "probity: %s\n", document.error().message.c_str()), 1;
  if (!*document) return std::fprintf(stderr, "probity: no alert %s\n", show.id.c_str()), 1;
  // Recorded before anything is shown: a consultation that cannot be audited is refused.
  if (!record_before_showing(*config, {"alert.show", show.id, "alert evidence", show.reason}))
    return 1;
  std::printf("%s\n", (*document)->c_str());
  return 0;
}

}  // namespace probity::app
