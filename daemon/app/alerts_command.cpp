// `probity alerts list|show`: the PSD's view of stored alerts from the command line.
// The list shows pseudonyms only; `show` prints the evidence with real identities and
// needs a reason, which goes to the consultation trail first.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/alerts.h"
#include "app/commands.h"
#include "app/consult.h"
#include "app/setup.h"
#include "state/state.h"

namespace probity::app {

int alerts_list_command(const CommonOptions& options, const AlertsListOptions& list) {
  auto config = effective_config(options);
  if (!config) return 2;
  auto store = state::Store::open({config->state_dir, true});
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  std::vector<std::string> lines;
  auto scanned = (*store)->scan(state::RuntimeTable::alerts, "", [&](auto, std::string_view v) {
    auto alert = alerts::alert_from_json(v);
    if (!alert) return true;
    // The user as the alert was shown when raised (its pseudonym under the key of the day);
    // no key is read here, so a pseudonym can never be recomputed or created by this command.
    const auto shown = alerts::as_shown(*alert);
    lines.push_back(fmt::format("{}  {:<8}  {:<40}  {}", alert->id, alert->severity,
                                alert->rule_id, shown.user_id.empty() ? "-" : shown.user_id));
    return true;
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
  auto store = state::Store::open({config->state_dir, true});
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  auto stored = (*store)->get(state::RuntimeTable::alerts, show.id);
  if (!stored) return std::fprintf(stderr, "probity: %s\n", stored.error().message.c_str()), 1;
  if (!*stored) return std::fprintf(stderr, "probity: no alert %s\n", show.id.c_str()), 1;
  // Recorded before anything is shown: a consultation that cannot be audited is refused.
  if (!record_before_showing(*config, {"alert.show", show.id, "alert evidence", show.reason}))
    return 1;
  const auto j = nlohmann::json::parse(**stored, nullptr, false);
  std::printf("%s\n", j.is_discarded() ? (*stored)->c_str() : j.dump(2).c_str());
  return 0;
}

}  // namespace probity::app
