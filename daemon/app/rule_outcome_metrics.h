// Per-rule figures on /metrics, kept current as alerts are raised, folded and worked:
//   probity_rule_alerts{rule,outcome}       gauge: alerts of the rule now in each outcome
//                                           (open, false_positive, benign, duplicate,
//                                           resolved, escalated); a reopen moves one back
//   probity_rule_alert_matches_total{rule,severity}  matches that raised or repeated an alert
// Seeded from the store at start, so the figures cover every stored alert.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "alerts/alerts.h"
#include "http/http.h"

namespace probity::app {

class RuleOutcomeMetrics {
 public:
  /// Counts every stored alert (call before the pipeline starts). Unreadable ones are
  /// skipped: `probity alerts list` names them.
  Result<void> seed(const state::Store& store);
  /// For AlertPipeline::on_stored: a raise, a fold or a triage change. Any thread.
  void observe(const alerts::Alert& alert, alerts::StoredChange change);
  /// Registers both families; `this` must outlive the registry's renders.
  void register_in(http::MetricsRegistry& metrics);

 private:
  void count_stored(const alerts::Alert& alert);
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> alerts_;   // rule, outcome
  std::map<std::pair<std::string, std::string>, std::uint64_t> matches_;  // rule, severity
};

}  // namespace probity::app
