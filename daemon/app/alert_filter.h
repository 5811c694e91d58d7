// The alert list's filter, from the page's URL query: status, severity, rule (a glob),
// owner, time range, free text, paging. Parsed once per request and checked per alert.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alerts.h"
#include "base/result.h"
#include "http/http.h"

namespace probity::app {

struct AlertFilter {
  std::vector<std::string> statuses;             ///< any of; empty = all
  std::vector<std::string> severities;           ///< any of; empty = all
  std::string rule;                              ///< fnmatch glob over rule_id; "" = all
  std::string owner;                             ///< "" = all; "none" = nobody's yet
  std::optional<event::Timestamp> since, until;  ///< on event_time, inclusive
  std::string text;    ///< case-insensitive, in id, rule, title and the shown message/user
  std::string before;  ///< paging: ids below this one
  std::size_t limit = 50;
};

/// Reads status, severity (comma-separated), rule, owner, since, until (RFC 3339 or
/// YYYY-MM-DD; until's date means the whole day), q, before, limit (1-200). Errors:
/// api.bad_request naming the parameter.
Result<AlertFilter> parse_alert_filter(const http::Query& query);

/// Every condition but status and paging (the counts per status are over these).
bool matches_except_status(const AlertFilter& f, const alerts::Alert& shown);
bool matches_status(const AlertFilter& f, const alerts::Alert& a);

}  // namespace probity::app
