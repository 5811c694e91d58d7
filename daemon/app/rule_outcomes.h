// Per-rule figures from how people closed its alerts: the tuning signal Elastic, Splunk ES
// and Purview give their users. For `probity rules stats` (and the page, through the API).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "alerts/alerts.h"

namespace probity::app {

struct RuleOutcomes {
  std::uint64_t raised = 0, open = 0;
  std::uint64_t false_positive = 0, benign = 0, duplicate = 0;
  std::uint64_t resolved = 0, escalated = 0;
  std::uint64_t acknowledged_count = 0;                       ///< alerts anyone has acted on
  std::optional<std::chrono::seconds> median_to_acknowledge;  ///< raise to first change
  /// (resolved + escalated) / (resolved + escalated + dismissed of any kind); none closed: -1.
  double precision() const;
};

/// Where an alert stands for tuning: "open" (new or acknowledged), "false_positive",
/// "benign", "duplicate" (its last dismissal's kind), "resolved" or "escalated".
std::string_view outcome_of(const alerts::Alert& alert);
/// The same, before the alert's latest triage change; "" when it has none (just raised).
std::string_view outcome_before_last_change(const alerts::Alert& alert);

/// Tallies alerts (raised at or after `since`) by rule. Feed every stored alert to add();
/// finish() computes the medians.
class RuleOutcomeTally {
 public:
  explicit RuleOutcomeTally(std::optional<event::Timestamp> since = {}) : since_(since) {}
  void add(const alerts::Alert& alert);
  std::map<std::string, RuleOutcomes> finish();

 private:
  std::optional<event::Timestamp> since_;
  std::map<std::string, RuleOutcomes> by_rule_;
  std::map<std::string, std::vector<std::chrono::seconds>> waits_;
};

}  // namespace probity::app
