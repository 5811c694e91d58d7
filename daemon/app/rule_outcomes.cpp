// RuleOutcomeTally (rule_outcomes.h).
#include "app/rule_outcomes.h"

#include <algorithm>

namespace probity::app {

double RuleOutcomes::precision() const {
  const auto good = resolved + escalated;
  const auto closed = good + false_positive + benign + duplicate;
  return closed == 0 ? -1.0 : static_cast<double>(good) / static_cast<double>(closed);
}

namespace {

using History = std::vector<alerts::TriageEntry>;

std::string_view outcome_at(std::string_view status, History::const_reverse_iterator from,
                            History::const_reverse_iterator end) {
  if (status == "resolved" || status == "escalated") return status;
  if (status != "dismissed") return "open";
  // The last dismissal's kind (a reopened and re-dismissed alert counts once).
  const auto last = std::find_if(from, end, [](const auto& h) { return h.action == "dismiss"; });
  const std::string_view kind = last == end ? "" : std::string_view(last->dismissal);
  return kind == "benign" || kind == "duplicate" ? kind : "false_positive";
}

}  // namespace

std::string_view outcome_of(const alerts::Alert& a) {
  return outcome_at(a.status, a.history.rbegin(), a.history.rend());
}

std::string_view outcome_before_last_change(const alerts::Alert& a) {
  if (a.history.empty()) return "";
  return outcome_at(a.history.back().from, std::next(a.history.rbegin()), a.history.rend());
}

void RuleOutcomeTally::add(const alerts::Alert& a) {
  if (since_ && a.raised_at < *since_) return;
  RuleOutcomes& r = by_rule_[a.rule_id];
  ++r.raised;
  const auto outcome = outcome_of(a);
  if (outcome == "resolved") {
    ++r.resolved;
  } else if (outcome == "escalated") {
    ++r.escalated;
  } else if (outcome == "benign") {
    ++r.benign;
  } else if (outcome == "duplicate") {
    ++r.duplicate;
  } else if (outcome == "false_positive") {
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
