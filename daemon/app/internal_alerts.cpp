// The internal alerts (internal_alerts.h).
#include "app/internal_alerts.h"

#include <fmt/format.h>

#include "alerts/identity_mask.h"

namespace probity::app {

alerts::Alert internal_alert(std::string rule_id, std::string severity, std::string title,
                             std::string message) {
  alerts::Alert a;
  a.rule_id = std::move(rule_id);
  a.rule_version = "internal";
  a.title = std::move(title);
  a.severity = std::move(severity);
  a.message = std::move(message);
  a.event_time =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  a.shown = alerts::unmasked(a);
  return a;
}

alerts::Alert reload_failed_alert(const std::string& problems) {
  return internal_alert("probity-rules-reload-failed", "critical",
                        "Rule reload failed; the previous rules are still running", problems);
}

std::optional<alerts::Alert> unmet_requirements_alert(const rules::RuleSet& rules,
                                                      const config::Config& config) {
  const auto& unmet = rules.unmet_requirements();
  if (unmet.empty()) return std::nullopt;
  std::string message = fmt::format("{} rule(s) are not running until {} sets:", unmet.size(),
                                    config.site_file.string());
  for (const auto& u : unmet) message += fmt::format(" {} (needs {});", u.rule_id, u.fact);
  return internal_alert("probity-rules-disabled-unset-facts", "high",
                        "Rules disabled: the site file does not set facts they need",
                        std::move(message));
}

}  // namespace probity::app
