// RuleOutcomeMetrics (rule_outcome_metrics.h).
#include "app/rule_outcome_metrics.h"

#include "app/rule_outcomes.h"

namespace probity::app {

namespace {

using Counts = std::map<std::pair<std::string, std::string>, std::uint64_t>;

http::MetricsRegistry::Family family(const Counts& counts, const char* second_label) {
  http::MetricsRegistry::Family out;
  out.reserve(counts.size());
  for (const auto& [key, n] : counts)
    out.push_back({{{"rule", key.first}, {second_label, key.second}}, n});
  return out;
}

}  // namespace

void RuleOutcomeMetrics::count_stored(const alerts::Alert& a) {
  ++alerts_[{a.rule_id, std::string(outcome_of(a))}];
  matches_[{a.rule_id, a.severity}] += a.count;
}

Result<void> RuleOutcomeMetrics::seed(const state::Store& store) {
  std::lock_guard lock(mutex_);
  return alerts::for_each_stored_alert(
      store, [this](const alerts::Alert& a) { count_stored(a); },
      [](std::string_view, const Error&) {});
}

void RuleOutcomeMetrics::observe(const alerts::Alert& a, alerts::StoredChange change) {
  std::lock_guard lock(mutex_);
  if (change != alerts::StoredChange::worked) {
    // A fold is one more match and changes no outcome.
    if (change == alerts::StoredChange::raised) ++alerts_[{a.rule_id, std::string(outcome_of(a))}];
    ++matches_[{a.rule_id, a.severity}];
    return;
  }
  const auto before = std::string(outcome_before_last_change(a));
  const auto now = std::string(outcome_of(a));
  if (before == now) return;  // a note, an assignment
  auto& was = alerts_[{a.rule_id, before}];
  if (was > 0) --was;
  ++alerts_[{a.rule_id, now}];
}

void RuleOutcomeMetrics::register_in(http::MetricsRegistry& metrics) {
  metrics.add_family("rule_alerts", "Alerts of each rule by where they stand now",
                     http::MetricsRegistry::Type::gauge, [this] {
                       std::lock_guard lock(mutex_);
                       return family(alerts_, "outcome");
                     });
  metrics.add_family("rule_alert_matches_total",
                     "Matches that raised or repeated an alert, by rule and severity",
                     http::MetricsRegistry::Type::counter, [this] {
                       std::lock_guard lock(mutex_);
                       return family(matches_, "severity");
                     });
}

}  // namespace probity::app
