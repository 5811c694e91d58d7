// `probity alerts list|show|ack|...`: the PSD's view of stored alerts from the command
// line. The list shows pseudonyms only; `show` prints the evidence with real identities and
// needs a reason, which goes to the consultation trail first; the triage commands work an
// alert under the same lifecycle as the page (alerts/triage.h).
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "alerts/alerts.h"
#include "app/alert_filter.h"
#include "app/commands.h"
#include "app/consult.h"
#include "app/control_socket.h"
#include "app/setup.h"
#include "app/state_dir.h"
#include "app/work_alert.h"

namespace probity::app {

int alerts_list_command(const CommonOptions& options, const AlertsListOptions& list) {
  auto config = effective_config(options);
  if (!config) return 2;
  auto filter = parse_alert_filter(list.filter);
  if (!filter) return std::fprintf(stderr, "probity: %s\n", filter.error().message.c_str()), 2;
  auto store = open_state_dir(*config, StateAccess::read);
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  std::vector<std::string> lines;
  auto scanned = alerts::for_each_stored_alert(
      **store,
      [&](const alerts::Alert& alert) {
        // The user as the alert was shown when raised (its pseudonym under the key of the
        // day); no key is read here, so a pseudonym can never be recomputed or created by
        // this command. Filters see only the shown view, as on the page.
        const auto shown = alerts::as_shown(alert);
        if (!matches_except_status(*filter, shown) || !matches_status(*filter, alert)) return;
        lines.push_back(fmt::format("{}  {:<8}  {:<12}  {:<12}  {:<40}  {}", alert.id,
                                    alert.severity, alert.status,
                                    alert.owner.empty() ? "-" : alert.owner, alert.rule_id,
                                    shown.user_id.empty() ? "-" : shown.user_id));
      },
      [](std::string_view id, const Error& error) {
        std::fprintf(stderr, "probity: stored alert %.*s cannot be read: %s\n",
                     static_cast<int>(id.size()), id.data(), error.message.c_str());
      });
  if (!scanned) return std::fprintf(stderr, "probity: %s\n", scanned.error().message.c_str()), 1;
  const std::size_t from = lines.size() > list.limit ? lines.size() - list.limit : 0;
  for (std::size_t i = from; i < lines.size(); ++i) std::printf("%s\n", lines[i].c_str());
  std::fprintf(stderr, "%zu alerts match; showing the last %zu (users pseudonymised)\n",
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

int alerts_triage_command(const CommonOptions& options, const AlertsTriageOptions& o) {
  auto config = effective_config(options);
  if (!config) return 2;
  std::string status, owner;
  auto store = open_state_dir(*config, StateAccess::write);
  if (store) {
    alerts::TriageRequest request;
    request.action = *alerts::triage_action_from(o.action);
    const auto actor = audit::current_actor();
    request.actor = actor.person;
    request.text = o.text;
    request.owner = o.owner;
    request.dismissal = o.dismissal;
    request.reference = o.reference;
    request.at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    alerts::AlertCounters counters;
    alerts::AlertPipeline pipeline(**store, config->alerts, counters);  // not started: no mail
    auto changed = work_alert(**store, pipeline, trail_file(*config), actor, o.id, request);
    if (!changed) return std::fprintf(stderr, "probity: %s\n", changed.error().message.c_str()), 1;
    status = changed->status;
    owner = changed->owner;
  } else if (store.error().code == "state.locked") {
    // The daemon holds the store: it makes the change, so the live page sees it at once.
    auto answer = call_daemon(control_socket_path(*config), {{"op", "alert.triage"},
                                                             {"id", o.id},
                                                             {"action", o.action},
                                                             {"text", o.text},
                                                             {"owner", o.owner},
                                                             {"dismissal", o.dismissal},
                                                             {"reference", o.reference}});
    if (!answer) return std::fprintf(stderr, "probity: %s\n", answer.error().message.c_str()), 1;
    status = answer->value("status", "");
    owner = answer->value("owner", "");
  } else {
    return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  }
  std::printf("alert %s: %s (owner %s)\n", o.id.c_str(), status.c_str(),
              owner.empty() ? "-" : owner.c_str());
  return 0;
}

}  // namespace probity::app
