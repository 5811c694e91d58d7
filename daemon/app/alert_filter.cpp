// parse_alert_filter and the per-alert checks (alert_filter.h).
#include "app/alert_filter.h"

#include <fnmatch.h>

#include <algorithm>

#include "base/ascii.h"

namespace probity::app {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<event::Timestamp> parse_day_or_time(const std::string& text, bool end_of_day) {
  if (auto t = event::parse_time(text)) return t;
  if (text.size() == 10) {
    if (auto t = event::parse_time(text + "T00:00:00Z"))
      return end_of_day ? *t + std::chrono::hours(24) - std::chrono::microseconds(1) : *t;
  }
  return std::nullopt;
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return ascii_lower(a) == ascii_lower(b); }) !=
         haystack.end();
}

}  // namespace

Result<AlertFilter> parse_alert_filter(const http::Query& query) {
  AlertFilter f;
  for (const auto& [name, value] : query) {
    if (value.size() > 512) return fail("api.bad_request", name + " is too long");
    if (name == "status") {
      f.statuses = split_list(value);
    } else if (name == "severity") {
      f.severities = split_list(value);
    } else if (name == "rule") {
      // fnmatch backtracks on each '*': a few are all a rule id needs, and the bound keeps a
      // hostile pattern from costing seconds over 50,000 alerts.
      if (std::count(value.begin(), value.end(), '*') > 4)
        return fail("api.bad_request", "rule takes at most four '*'");
      f.rule = value;
    } else if (name == "owner") {
      f.owner = value;
    } else if (name == "q") {
      f.text = value;
    } else if (name == "before") {
      f.before = value;
    } else if (name == "since" || name == "until") {
      if (value.empty()) continue;
      const auto t = parse_day_or_time(value, name == "until");
      if (!t) return fail("api.bad_request", name + " is not a date or RFC 3339 time: " + value);
      (name == "since" ? f.since : f.until) = t;
    } else if (name == "limit") {
      const auto n = std::atoi(value.c_str());
      if (n < 1 || n > 200) return fail("api.bad_request", "limit is 1-200");
      f.limit = static_cast<std::size_t>(n);
    }
    // Other parameters (the page's own, a cache-buster) are ignored.
  }
  return f;
}

bool matches_except_status(const AlertFilter& f, const alerts::Alert& a) {
  if (!f.severities.empty() &&
      std::find(f.severities.begin(), f.severities.end(), a.severity) == f.severities.end())
    return false;
  if (!f.rule.empty() && fnmatch(f.rule.c_str(), a.rule_id.c_str(), 0) != 0) return false;
  if (!f.owner.empty() && !(f.owner == "none" ? a.owner.empty() : a.owner == f.owner)) return false;
  if (f.since && a.event_time < *f.since) return false;
  if (f.until && a.event_time > *f.until) return false;
  if (!f.text.empty() && !contains_folded(a.id, f.text) && !contains_folded(a.rule_id, f.text) &&
      !contains_folded(a.title, f.text) && !contains_folded(a.message, f.text) &&
      !contains_folded(a.user_id, f.text))
    return false;
  return true;
}

bool matches_status(const AlertFilter& f, const alerts::Alert& a) {
  return f.statuses.empty() ||
         std::find(f.statuses.begin(), f.statuses.end(), a.status) != f.statuses.end();
}

}  // namespace probity::app
