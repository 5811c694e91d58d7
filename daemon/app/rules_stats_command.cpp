// `probity rules stats`: per rule, what became of its alerts (app/rule_outcomes.h), from the
// store; the figures that say which rules to tune. Reads only: works beside the daemon.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/rule_outcomes.h"
#include "app/setup.h"
#include "app/state_dir.h"

namespace probity::app {

int rules_stats_command(const CommonOptions& options, const RulesStatsOptions& o) {
  auto config = effective_config(options);
  if (!config) return 2;
  std::optional<event::Timestamp> since;
  if (!o.since.empty()) {
    since = event::parse_time(o.since.size() == 10 ? o.since + "T00:00:00Z" : o.since);
    if (!since) return std::fprintf(stderr, "probity: --since is not a date or RFC 3339 time\n"), 2;
  }
  auto store = open_state_dir(*config, StateAccess::read);
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  RuleOutcomeTally tally(since);
  auto scanned = alerts::for_each_stored_alert(
      **store, [&](const alerts::Alert& a) { tally.add(a); },
      [](std::string_view id, const Error& e) {
        std::fprintf(stderr, "probity: stored alert %.*s cannot be read: %s\n",
                     static_cast<int>(id.size()), id.data(), e.message.c_str());
      });
  if (!scanned) return std::fprintf(stderr, "probity: %s\n", scanned.error().message.c_str()), 1;
  const auto rules = tally.finish();
  if (o.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [rule, r] : rules) {
      out[rule] = {
          {"raised", r.raised},
          {"open", r.open},
          {"false_positive", r.false_positive},
          {"benign", r.benign},
          {"duplicate", r.duplicate},
          {"resolved", r.resolved},
          {"escalated", r.escalated},
          {"precision", r.precision() < 0 ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(r.precision())},
          {"median_seconds_to_acknowledge",
           r.median_to_acknowledge ? nlohmann::ordered_json(r.median_to_acknowledge->count())
                                   : nlohmann::ordered_json(nullptr)}};
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-44s %6s %5s %5s %6s %4s %8s %9s %9s %10s\n", "rule", "raised", "open", "f.p.",
              "benign", "dup", "resolved", "escalated", "precision", "median ack");
  for (const auto& [rule, r] : rules)
    std::printf(
        "%-44s %6llu %5llu %5llu %6llu %4llu %8llu %9llu %9s %10s\n", rule.c_str(),
        static_cast<unsigned long long>(r.raised), static_cast<unsigned long long>(r.open),
        static_cast<unsigned long long>(r.false_positive),
        static_cast<unsigned long long>(r.benign), static_cast<unsigned long long>(r.duplicate),
        static_cast<unsigned long long>(r.resolved), static_cast<unsigned long long>(r.escalated),
        r.precision() < 0 ? "-" : fmt::format("{:.2f}", r.precision()).c_str(),
        r.median_to_acknowledge
            ? fmt::format("{} min", r.median_to_acknowledge->count() / 60).c_str()
            : "-");
  std::fprintf(stderr,
               "precision = (resolved + escalated) / closed; f.p. = dismissed as false positive\n");
  return 0;
}

}  // namespace probity::app
