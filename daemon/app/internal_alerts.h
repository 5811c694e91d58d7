// Probity's own alerts about itself (rule ids "probity-..."): a reload that failed, rules
// left off for want of a site fact, config changes that wait for a restart. They hold no
// personal data, so their shown view is the alert itself; routes send them to the
// administrators (alerts/routing.h).
#pragma once

#include <optional>
#include <string>

#include "alerts/alerts.h"
#include "config/config.h"
#include "rules/rules.h"

namespace probity::app {

/// An internal alert raised now.
alerts::Alert internal_alert(std::string rule_id, std::string severity, std::string title,
                             std::string message);

/// A rule reload failed: the old rules keep running, and someone must know the new ones
/// were not applied.
alerts::Alert reload_failed_alert(const std::string& problems);

/// Rules left disabled because the site file does not set a fact they need: the force is
/// not monitored for those risks until an administrator sets it. nullopt when none are.
std::optional<alerts::Alert> unmet_requirements_alert(const rules::RuleSet& rules,
                                                      const config::Config& config);

}  // namespace probity::app
