// TallyingSink, LogSpan and top() (calibration.h).
#include "app/calibration.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "base/ascii.h"

namespace probity::app {
namespace {

std::string day_text(std::int64_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

/// Identifiers compare case-insensitively in rules: "PC1001" and "pc1001" are one person.
std::string user_of(const event::Event& e) { return to_lower(e.str(event::FieldId::user_id)); }

}  // namespace

void TallyingSink::on_match(const rules::Match& match, const event::Event& e) {
  RuleTally& t = by_rule_[match.rule_id];
  if (match.repeat > 0) {
    ++t.repeats;
    return;
  }
  ++t.alerts;
  if (const auto user = user_of(e); !user.empty()) ++t.users[user];
  const bool correlation = correlations_.contains(match.rule_id);
  for (const auto& [name, value] : match.shown_fields) {
    // The user has its own column; times and ids differ on every alert; "-" is absent; the
    // backfill note says how the event arrived, not what the alert is about.
    if (name == "user.id" || name == "event.time" || name == "event.id" || name == "backfill")
      continue;
    if (value.empty() || value == "-") continue;
    if (correlation && !event::field_by_name(name)) continue;  // "count": "50 in 1h (...)"
    ++t.values[fmt::format("{}={}", name, value)];
  }
}

void LogSpan::add(const event::Event& e) {
  if (const auto t = e.time())
    days_.insert(std::chrono::floor<std::chrono::days>(*t).time_since_epoch().count());
  if (auto user = user_of(e); !user.empty()) users_.insert(std::move(user));
}

std::string LogSpan::first_day() const { return days_.empty() ? "" : day_text(*days_.begin()); }
std::string LogSpan::last_day() const { return days_.empty() ? "" : day_text(*days_.rbegin()); }

double per_day(std::uint64_t alerts, std::size_t days) {
  return days == 0 ? 0 : static_cast<double>(alerts) / static_cast<double>(days);
}

double per_1000_staff_days(std::uint64_t alerts, std::size_t staff, std::size_t days) {
  const double staff_days = static_cast<double>(staff) * static_cast<double>(days);
  return staff_days == 0 ? 0 : 1000.0 * static_cast<double>(alerts) / staff_days;
}

std::vector<std::pair<std::string, std::uint64_t>> top(
    const std::map<std::string, std::uint64_t>& counts, std::size_t k) {
  std::vector<std::pair<std::string, std::uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out.size() > k) out.resize(k);
  return out;
}

}  // namespace probity::app
