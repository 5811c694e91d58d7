// The tally behind `probity rules calibrate`: per alerting rule, the alerts and suppressed
// repeats a replay raised, whom they were about and which shown values recur; and what
// the logs cover (UTC days, users). Bookkeeping only, no I/O. Not for the what-if runs
// (threshold_variants.h) nor for printing (calibrate.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/pipeline.h"

namespace probity::app {

struct RuleTally {
  std::uint64_t alerts = 0;   ///< new alerts (the daemon would store and mail each)
  std::uint64_t repeats = 0;  ///< suppressed repeats (folded into an open alert)
  std::map<std::string, std::uint64_t> users;   ///< user.id -> new alerts
  std::map<std::string, std::uint64_t> values;  ///< "field=value" shown -> new alerts
};

/// Tallies every match it is given by rule id. The values are the alert's shown fields
/// other than user.id, event.time, event.id and absent ones ("-"); for a correlation only
/// its key fields, since its detail (the count and the times) differs on every alert.
class TallyingSink final : public MatchSink {
 public:
  explicit TallyingSink(std::set<std::string> correlations)
      : correlations_(std::move(correlations)) {}
  void on_match(const rules::Match& match, const event::Event& e) override;
  const std::map<std::string, RuleTally>& by_rule() const { return by_rule_; }

 private:
  std::set<std::string> correlations_;
  std::map<std::string, RuleTally> by_rule_;
};

/// Counts new alerts (not repeats) per rule id: enough for a what-if run.
class AlertCountingSink final : public MatchSink {
 public:
  void on_match(const rules::Match& match, const event::Event&) override {
    if (match.repeat == 0) ++alerts_[match.rule_id];
  }
  std::uint64_t alerts(const std::string& rule_id) const {
    const auto it = alerts_.find(rule_id);
    return it == alerts_.end() ? 0 : it->second;
  }

 private:
  std::map<std::string, std::uint64_t> alerts_;
};

/// The distinct UTC days the events fall on and the distinct user.id values they carry.
class LogSpan {
 public:
  void add(const event::Event& e);
  std::size_t days() const { return days_.size(); }
  std::size_t users() const { return users_.size(); }
  /// "YYYY-MM-DD" of the first and last day; empty without timed events.
  std::string first_day() const;
  std::string last_day() const;

 private:
  std::set<std::int64_t> days_;  // days since the Unix epoch
  std::set<std::string> users_;
};

/// A what-if run of one rule: its threshold scaled by `factor`.
struct WhatIfRun {
  double factor = 1;
  std::int64_t threshold = 0;
  std::optional<std::uint64_t> alerts;  ///< nullopt: the scaled rules did not load
  std::string load_error;               ///< why not (the load report's first line)
};

/// One alerting rule's line of the calibration report.
struct RuleCalibration {
  std::string rule_id, title, severity;
  std::uint64_t alerts = 0, repeats = 0;
  double alerts_per_day = 0;
  double alerts_per_1000_staff_days = 0;
  std::size_t users = 0;  ///< distinct users with a new alert
  std::vector<std::pair<std::string, std::uint64_t>> top_users, top_values;
  std::string what_if_key;  ///< "threshold" or "min_count"; empty: no what-if
  std::vector<WhatIfRun> what_if;
};

/// alerts / days and alerts per 1,000 staff-days (0 when days or staff is 0).
double per_day(std::uint64_t alerts, std::size_t days);
double per_1000_staff_days(std::uint64_t alerts, std::size_t staff, std::size_t days);

/// The `k` largest counts, largest first; equal counts in name order.
std::vector<std::pair<std::string, std::uint64_t>> top(
    const std::map<std::string, std::uint64_t>& counts, std::size_t k);

}  // namespace probity::app
