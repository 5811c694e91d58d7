// `probity rules calibrate`: before go-live, replays the force's own logs (as `probity
// replay` does: merged by event time, reference data read-only, nothing stored or sent)
// and reports per alerting rule how many alerts it would raise, how often per 1,000
// staff-days, about whom and over what; and for count, distinct and baseline correlations
// how many it would raise at other thresholds. Not a tuner: it changes no rule.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/calibration.h"
#include "app/commands.h"
#include "app/exception_drops.h"
#include "app/replay_session.h"
#include "app/setup.h"
#include "app/threshold_variants.h"

namespace probity::app {
namespace {

constexpr double kFactors[] = {0.5, 0.75, 1.5, 2};

/// A copy of the rules with some thresholds scaled, run beside the real ones. Only the
/// scaled correlations and what feeds them are enabled, so a variant costs little.
struct Variant {
  double factor = 1;
  std::vector<std::size_t> sites;  ///< indices into the ThresholdSites
  std::string load_error;          ///< the scaled rules did not load: the report's first line
  AlertCountingSink alerts;
  PipelineCounters counters;  // its own, so the report counts each event once
  std::unique_ptr<EvaluationStage> evaluator;
};

std::vector<std::unique_ptr<Variant>> make_variants(const ReplaySession& session,
                                                    const std::vector<ThresholdSite>& sites,
                                                    const std::vector<rules::RuleText>& texts) {
  std::vector<std::unique_ptr<Variant>> out;
  const auto all_rules = session.rules->rules();
  for (const auto& group : independent_groups(sites)) {
    std::set<std::string> needed;
    for (const std::size_t i : group) {
      needed.insert(sites[i].rule_id);
      needed.insert(sites[i].upstream.begin(), sites[i].upstream.end());
    }
    auto options = rule_load_options(session.config, session.store.get());
    for (const auto& info : all_rules)
      if (!needed.contains(info.id)) options.disabled_ids.push_back(info.id);
    for (const double factor : kFactors) {
      auto v = std::make_unique<Variant>();
      v->factor = factor;
      v->sites = group;
      rules::LoadReport report;
      std::shared_ptr<const rules::RuleSet> set = rules::load_rules_from_texts(
          with_scaled_thresholds(texts, sites, group, factor), options, report);
      if (!set) {
        const auto text = report.format();
        v->load_error = text.substr(0, text.find('\n'));
      } else {
        v->evaluator = std::make_unique<EvaluationStage>(session.reference(), v->alerts,
                                                         v->counters, session.correlation());
        v->evaluator->set_rules(std::move(set));
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

/// Where the staff count for the rates came from.
struct StaffBasis {
  std::size_t staff = 0;
  std::string from;
};

StaffBasis staff_basis(const RulesCalibrateOptions& cal, const ReplaySession& session,
                       const LogSpan& span) {
  if (cal.staff) return {*cal.staff, "--staff"};
  if (session.store)
    if (const auto n = session.store->staff_count(); n > 0) return {n, "staff records in state"};
  return {span.users(), "distinct user.id values in the logs"};
}

std::vector<RuleCalibration> calibrate_rules(const ReplaySession& session,
                                             const TallyingSink& tally,
                                             const std::vector<ThresholdSite>& sites,
                                             const std::vector<std::unique_ptr<Variant>>& variants,
                                             std::size_t staff, std::size_t days, std::size_t k) {
  std::vector<RuleCalibration> out;
  for (const auto& info : session.rules->rules()) {
    if (!info.enabled || info.building_block) continue;
    RuleCalibration r;
    r.rule_id = info.id;
    r.title = info.title;
    r.severity = std::string(rules::to_string(info.severity));
    if (const auto it = tally.by_rule().find(info.id); it != tally.by_rule().end()) {
      const RuleTally& t = it->second;
      r.alerts = t.alerts;
      r.repeats = t.repeats;
      r.users = t.users.size();
      r.top_users = top(t.users, k);
      r.top_values = top(t.values, k);
    }
    r.alerts_per_day = per_day(r.alerts, days);
    r.alerts_per_1000_staff_days = per_1000_staff_days(r.alerts, staff, days);
    for (std::size_t i = 0; i < sites.size(); ++i) {
      if (sites[i].rule_id != info.id) continue;
      r.what_if_key = sites[i].key;
      r.what_if.push_back({1, sites[i].value, r.alerts, {}});
      for (const auto& v : variants) {
        if (std::find(v->sites.begin(), v->sites.end(), i) == v->sites.end()) continue;
        WhatIfRun run{v->factor, scaled_threshold(sites[i].value, v->factor), std::nullopt,
                      v->load_error};
        if (v->evaluator) run.alerts = v->alerts.alerts(info.id);
        r.what_if.push_back(run);
      }
      std::sort(r.what_if.begin(), r.what_if.end(),
                [](const auto& a, const auto& b) { return a.factor < b.factor; });
    }
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.alerts > b.alerts; });
  return out;
}

std::string joined(const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
  std::string out;
  for (const auto& [name, n] : counts)
    out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", name, n);
  return out.empty() ? "-" : out;
}

struct Summary {
  ReplayTotals totals;
  const LogSpan& span;
  StaffBasis staff;
  std::uint64_t alerts = 0, repeats = 0;
  double budget = 1;
  const rules::RuleSet& rules;  ///< the real rules (not a what-if copy): what exceptions dropped
};

void print_text(const std::vector<RuleCalibration>& rows, const Summary& s) {
  const std::size_t days = s.span.days();
  std::printf("%llu events (%llu rejected) over %zu UTC day%s%s; %zu staff (%s)\n\n",
              static_cast<unsigned long long>(s.totals.events),
              static_cast<unsigned long long>(s.totals.rejected), days, days == 1 ? "" : "s",
              days ? fmt::format(" ({} .. {})", s.span.first_day(), s.span.last_day()).c_str() : "",
              s.staff.staff, s.staff.from.c_str());
  std::printf("%8s %8s %9s %14s %6s  %s\n", "alerts", "repeats", "per day", "per 1k st-days",
              "users", "rule");
  for (const auto& r : rows) {
    std::printf("%8llu %8llu %9.2f %14.2f %6zu  %s\n", static_cast<unsigned long long>(r.alerts),
                static_cast<unsigned long long>(r.repeats), r.alerts_per_day,
                r.alerts_per_1000_staff_days, r.users, r.rule_id.c_str());
    if (r.alerts > 0) {
      std::printf("%50s top users: %s\n", "", joined(r.top_users).c_str());
      std::printf("%50s top values: %s\n", "", joined(r.top_values).c_str());
    }
    if (!r.what_if.empty()) {
      std::string runs;
      for (const auto& w : r.what_if)
        runs +=
            fmt::format("{}x{} ({}): {}", runs.empty() ? "" : ", ", w.factor, w.threshold,
                        w.alerts ? std::to_string(*w.alerts) : "does not load: " + w.load_error);
      std::printf("%50s what-if %s: %s\n", "", r.what_if_key.c_str(), runs.c_str());
    }
  }
  const double rate = per_1000_staff_days(s.alerts, s.staff.staff, days);
  std::printf("%8llu %8llu %9.2f %14.2f %6s  total\n\n", static_cast<unsigned long long>(s.alerts),
              static_cast<unsigned long long>(s.repeats), per_day(s.alerts, days), rate, "");
  std::printf("budget %.2f alerts per 1,000 staff-days: %s (%.2f)\n", s.budget,
              rate > s.budget ? "OVER budget" : "within budget", rate);
  if (const auto drops = format_exception_drops(s.rules); !drops.empty())
    std::printf("\n%s", drops.c_str());
}

void print_json(const std::vector<RuleCalibration>& rows, const Summary& s) {
  using Json = nlohmann::ordered_json;
  const std::size_t days = s.span.days();
  const auto counts = [](const auto& pairs, const char* name) {
    Json out = Json::array();
    for (const auto& [key, n] : pairs) out.push_back({{name, key}, {"alerts", n}});
    return out;
  };
  Json j;
  j["events"] = s.totals.events;
  j["rejected"] = s.totals.rejected;
  j["days"] = days;
  j["first_day"] = s.span.first_day();
  j["last_day"] = s.span.last_day();
  j["staff"] = s.staff.staff;
  j["staff_from"] = s.staff.from;
  j["rules"] = Json::array();
  for (const auto& r : rows) {
    Json rule{{"rule", r.rule_id},
              {"title", r.title},
              {"severity", r.severity},
              {"alerts", r.alerts},
              {"repeats", r.repeats},
              {"alerts_per_day", r.alerts_per_day},
              {"alerts_per_1000_staff_days", r.alerts_per_1000_staff_days},
              {"users", r.users},
              {"top_users", counts(r.top_users, "user")},
              {"top_values", counts(r.top_values, "value")}};
    if (!r.what_if.empty()) {
      Json runs = Json::array();
      for (const auto& w : r.what_if) {
        Json run{{"factor", w.factor},
                 {"threshold", w.threshold},
                 {"alerts", w.alerts ? Json(*w.alerts) : Json(nullptr)}};
        if (!w.alerts) run["load_error"] = w.load_error;
        runs.push_back(std::move(run));
      }
      rule["what_if"] = {{"key", r.what_if_key}, {"runs", runs}};
    }
    j["rules"].push_back(std::move(rule));
  }
  const double rate = per_1000_staff_days(s.alerts, s.staff.staff, days);
  j["total"] = {{"alerts", s.alerts},
                {"repeats", s.repeats},
                {"alerts_per_day", per_day(s.alerts, days)},
                {"alerts_per_1000_staff_days", rate}};
  j["budget"] = {{"alerts_per_1000_staff_days", s.budget}, {"over", rate > s.budget}};
  j["exceptions"] = exception_drops_json(s.rules);
  std::printf("%s\n", j.dump(2, ' ', false, Json::error_handler_t::replace).c_str());
}

}  // namespace

int rules_calibrate_command(const CommonOptions& options, const RulesCalibrateOptions& cal) {
  auto session = open_replay_session(options, cal.source);
  if (!session) return 2;

  std::set<std::string> correlations, alerting;
  for (const auto& info : session->rules->rules()) {
    if (info.correlation) correlations.insert(info.id);
    if (info.enabled && !info.building_block) alerting.insert(info.id);
  }
  rules::LoadReport read_report;
  const auto texts = rules::read_rule_files(session->config.rule_paths, read_report);
  auto sites = find_threshold_sites(texts);
  std::erase_if(sites, [&](const auto& s) { return !alerting.contains(s.rule_id); });
  const auto variants = make_variants(*session, sites, texts);

  TallyingSink tally(correlations);
  EvaluationStage evaluator(session->reference(), tally, session->counters, session->correlation());
  evaluator.set_rules(session->rules);
  LogSpan span;
  const auto totals = replay_files(*session, cal.files, [&](const event::Event& e) {
    span.add(e);
    evaluator.on_event(e);
    for (const auto& v : variants)
      if (v->evaluator) v->evaluator->on_event(e);
  });

  Summary summary{totals,     span,           staff_basis(cal, *session, span), 0, 0,
                  cal.budget, *session->rules};
  const auto rows =
      calibrate_rules(*session, tally, sites, variants, summary.staff.staff, span.days(), cal.top);
  for (const auto& r : rows) {
    summary.alerts += r.alerts;
    summary.repeats += r.repeats;
  }
  if (cal.format == "json")
    print_json(rows, summary);
  else
    print_text(rows, summary);
  return 0;
}

}  // namespace probity::app
