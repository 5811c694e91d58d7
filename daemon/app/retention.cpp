// plan_store_purge, apply_store_purge and run_retention. The alert JSON is edited as JSON
// (not through alerts::Alert) so members this build does not know survive the rewrite.
#include "app/retention.h"

#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/alert_log_rotation.h"
#include "app/consult.h"

namespace probity::app {
namespace {

using Json = nlohmann::ordered_json;  // a rewritten alert keeps its member order

/// Synced batches of this many writes: a year of alerts is not one giant batch.
constexpr std::size_t kBatchWrites = 1000;

std::string policy_reason(std::string_view key, const config::RetentionPeriod& period) {
  return fmt::format("retention policy retention.{}={}", key, period.text);
}

/// The shorter of the two periods bounds the JSONL log: its lines carry the evidence.
const config::RetentionPeriod* log_period(const config::RetentionConfig& p, std::string& key) {
  if (p.evidence && (!p.alerts || p.evidence->length < p.alerts->length)) {
    key = "evidence";
    return &*p.evidence;
  }
  key = "alerts";
  return p.alerts ? &*p.alerts : nullptr;
}

}  // namespace

Result<StorePurgePlan> plan_store_purge(const state::Store& store,
                                        const config::RetentionConfig& policy,
                                        event::Timestamp now) {
  StorePurgePlan plan;
  if (policy.alerts) plan.alerts_cutoff = now - policy.alerts->length;
  if (policy.evidence) plan.evidence_cutoff = now - policy.evidence->length;
  if (!plan.alerts_cutoff && !plan.evidence_cutoff) return plan;

  std::set<std::string, std::less<>> removed;
  const std::string purged_at = event::format_time(now);
  auto scanned = store.scan(state::RuntimeTable::alerts, "", [&](auto key, auto value) {
    Json j = Json::parse(value, nullptr, /*allow_exceptions=*/false);
    const auto raised = j.is_object() && j.contains("raised_at") && j["raised_at"].is_string()
                            ? event::parse_time(j["raised_at"].get<std::string>())
                            : std::nullopt;
    if (!raised) {
      ++plan.unreadable;
      return true;
    }
    if (plan.alerts_cutoff && *raised < *plan.alerts_cutoff) {
      plan.writes.push_back({state::RuntimeTable::alerts, std::string(key), std::nullopt});
      removed.emplace(key);
      ++plan.alerts_removed;
    } else if (plan.evidence_cutoff && *raised < *plan.evidence_cutoff) {
      const auto events = j.find("events");
      if (events == j.end() || !events->is_array() || events->empty()) return true;
      *events = Json::array();
      j["evidence_purged_at"] = purged_at;
      plan.writes.push_back({state::RuntimeTable::alerts, std::string(key),
                             j.dump(-1, ' ', false, Json::error_handler_t::replace)});
      ++plan.evidence_stripped;
    }
    return true;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  if (removed.empty()) return plan;

  // Outbox keys end ":<alert id>" (alerts/outbox.h), whatever comes before.
  scanned = store.scan(state::RuntimeTable::outbox, "", [&](auto key, auto) {
    const auto colon = key.rfind(':');
    if (colon != std::string_view::npos && removed.contains(key.substr(colon + 1))) {
      plan.writes.push_back({state::RuntimeTable::outbox, std::string(key), std::nullopt});
      ++plan.outbox_removed;
    }
    return true;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  return plan;
}

Result<void> apply_store_purge(state::Store& store, const StorePurgePlan& plan) {
  if (plan.empty()) return {};
  for (std::size_t at = 0; at < plan.writes.size(); at += kBatchWrites) {
    const auto first = plan.writes.begin() + static_cast<std::ptrdiff_t>(at);
    const auto last = plan.writes.begin() +
                      static_cast<std::ptrdiff_t>(std::min(at + kBatchWrites, plan.writes.size()));
    const std::vector<state::RuntimeWrite> batch(first, last);
    if (auto r = store.write_batch(batch, /*sync=*/true); !r) return r;
  }
  if (auto r = store.compact(state::RuntimeTable::alerts); !r) return r;
  if (plan.outbox_removed > 0) return store.compact(state::RuntimeTable::outbox);
  return {};
}

Result<RetentionReport> run_retention(state::Store& store, const config::Config& config,
                                      event::Timestamp now, bool dry_run) {
  const auto& policy = config.retention;
  const auto& log = config.alerts.jsonl_path;
  RetentionReport report;
  if (!dry_run) {
    auto rotated = rotate_alert_log(log, policy.jsonl_rotate_mb << 20, now);
    if (!rotated) return tl::unexpected(rotated.error());
    report.log_rotated = *rotated;
    if (*rotated) report.lines.push_back("rotated the alert log " + log.string());
  }

  auto plan = plan_store_purge(store, policy, now);
  if (!plan) return tl::unexpected(plan.error());
  report.store = std::move(*plan);
  std::string log_key;
  const auto* log_policy = log_period(policy, log_key);
  if (log_policy)
    report.rotated_logs_removed = rotated_alert_logs_before(log, now - log_policy->length);

  // What each policy removes, as (trail target, reason); recorded before removing.
  std::vector<std::pair<std::string, std::string>> records;
  const auto& p = report.store;
  if (p.alerts_removed > 0)
    records.emplace_back(
        fmt::format("{} alerts and {} outbox entries raised before {}", p.alerts_removed,
                    p.outbox_removed, event::format_time(*p.alerts_cutoff)),
        policy_reason("alerts", *policy.alerts));
  if (p.evidence_stripped > 0)
    records.emplace_back(fmt::format("evidence events of {} alerts raised before {}",
                                     p.evidence_stripped, event::format_time(*p.evidence_cutoff)),
                         policy_reason("evidence", *policy.evidence));
  if (!report.rotated_logs_removed.empty())
    records.emplace_back(fmt::format("{} rotated alert log files of {} last written before {}",
                                     report.rotated_logs_removed.size(), log.string(),
                                     event::format_time(now - log_policy->length)),
                         policy_reason(log_key, *log_policy));
  const std::string verb = dry_run ? "would remove " : "removed ";
  for (const auto& [target, reason] : records)
    report.lines.push_back(verb + target + " (" + reason + ")");
  if (p.unreadable > 0)
    report.lines.push_back(fmt::format("left {} unreadable alert records alone", p.unreadable));
  if (dry_run) return report;

  const auto trail = trail_file(config);
  for (const auto& [target, reason] : records)
    if (auto r = audit::record_consultation(trail, {"retention.purge", target, "nothing", reason});
        !r)
      return tl::unexpected(r.error());
  if (auto r = apply_store_purge(store, report.store); !r) return tl::unexpected(r.error());
  for (const auto& f : report.rotated_logs_removed) {
    std::error_code ec;
    if (!std::filesystem::remove(f, ec) && ec)
      return fail("alerts.rotate", "cannot remove " + f.string() + ": " + ec.message());
  }
  return report;
}

}  // namespace probity::app
