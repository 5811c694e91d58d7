// RuleOutcomeTally (rule_outcomes.h).
#include "app/rule_outcomes.h"

#include <algorithm>

namespace probity::app {

double RuleOutcomes::precision() const {
  const auto good = resolved + escalated;
  const auto closed = good + false_positive + benign + duplicate;
  return closed == 0 ? -1.0 : static_cast<double>(good) / static_cast<double>(closed);
}

void RuleOutcomeTally::add(const alerts::Alert& a) {
  if (since_ && a.raised_at < *since_) return;
  RuleOutcomes& r = by_rule_[a.rule_id];
  ++r.raised;
  if (a.status == "resolved") {
    ++r.resolved;
  } else if (a.status == "escalated") {
    ++r.escalated;
  } else if (a.status == "dismissed") {
    // The outcome is the last dismissal's (a reopened and re-dismissed alert counts once).
    const auto last = std::find_if(a.history.rbegin(), a.history.rend(),
                                   [](const auto& h) { return h.action == "dismiss"; });
    const std::string kind = last == a.history.rend() ? "" : last->dismissal;
    if (kind == "benign")
      ++r.benign;
    else if (kind == "duplicate")
      ++r.duplicate;
    else
      ++r.false_positive;
  } else {
    ++r.open;
  }
  // The first change that is not a note: someone took the alert on.
  const auto first = std::find_if(a.history.begin(), a.history.end(),
                                  [](const auto& h) { return h.action != "note"; });
  if (first != a.history.end()) {
    ++r.acknowledged_count;
    waits_[a.rule_id].push_back(
        std::max(std::chrono::seconds(0),
                 std::chrono::duration_cast<std::chrono::seconds>(first->at - a.raised_at)));
  }
}

std::map<std::string, RuleOutcomes> RuleOutcomeTally::finish() {
  for (auto& [rule, waits] : waits_) {
    if (waits.empty()) continue;
    const auto mid = waits.begin() + static_cast<std::ptrdiff_t>(waits.size() / 2);
    std::nth_element(waits.begin(), mid, waits.end());
    by_rule_[rule].median_to_acknowledge = *mid;
  }
  return std::move(by_rule_);
}

}  // namespace probity::app
