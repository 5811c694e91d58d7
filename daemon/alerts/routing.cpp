// Router: alerts.routes applied to one alert, with each route's rate limit.
#include "alerts/routing.h"

#include <algorithm>
#include <array>

#include "base/ascii.h"

namespace probity::alerts {

namespace {

// Unknown severities rank below every named one: a min_severity never takes them.
int severity_rank(std::string_view severity) {
  constexpr std::array<std::string_view, 5> kOrder{"info", "low", "medium", "high", "critical"};
  const auto it = std::find(kOrder.begin(), kOrder.end(), severity);
  return it == kOrder.end() ? -1 : static_cast<int>(it - kOrder.begin());
}

template <class Range, class Pred>
bool any_or_unset(const Range& wanted, Pred pred) {
  return wanted.empty() || std::any_of(wanted.begin(), wanted.end(), pred);
}

}  // namespace

bool route_matches(const Route& route, const Alert& alert) {
  if (route.internal != is_internal(alert)) return false;
  if (!route.min_severity.empty() &&
      severity_rank(alert.severity) < severity_rank(route.min_severity))
    return false;
  return any_or_unset(route.severities, [&](const auto& s) { return s == alert.severity; }) &&
         any_or_unset(route.rules, [&](const auto& g) { return glob_match(g, alert.rule_id); }) &&
         any_or_unset(route.tags,
                      [&](const auto& t) {
                        return std::find(alert.tags.begin(), alert.tags.end(), t) !=
                               alert.tags.end();
                      }) &&
         any_or_unset(route.sources, [&](const auto& s) { return iequals(s, alert.source); });
}

std::vector<Route> effective_routes(std::vector<Route> configured, const EmailConfig& email) {
  const bool takes_internal =
      std::any_of(configured.begin(), configured.end(), [](const Route& r) { return r.internal; });
  if (!takes_internal) {
    Route admins;
    admins.name = "internal alerts";
    admins.internal = true;
    admins.to = {"admins"};
    configured.insert(configured.begin(), std::move(admins));
  }
  if (configured.size() == 1) {  // nothing but internal alerts: the PSD gets the rest
    Route psd;
    psd.name = "default";
    psd.to = {"psd"};
    psd.max_per_rule_per_hour = email.max_per_rule_per_hour;
    psd.max_per_hour = email.max_per_hour;
    configured.push_back(std::move(psd));
  }
  for (std::size_t i = 0; i < configured.size(); ++i)
    if (configured[i].name.empty()) configured[i].name = "route " + std::to_string(i + 1);
  return configured;
}

Router::Router(std::vector<Route> routes, std::chrono::seconds flood_digest)
    : routes_(std::move(routes)), flood_digest_(flood_digest) {
  states_.reserve(routes_.size());
  for (const auto& r : routes_)
    states_.push_back({MailThrottle(r.max_per_rule_per_hour, r.max_per_hour), std::nullopt});
}

Router::Decision Router::route(const Alert& alert, Clock::time_point now) {
  Decision d;
  const auto add = [&d](const std::string& destination, bool held, std::chrono::seconds after) {
    const auto it = std::find_if(d.targets.begin(), d.targets.end(),
                                 [&](const Target& t) { return t.destination == destination; });
    if (it == d.targets.end()) {
      d.targets.push_back({destination, held, after});
    } else if (!held) {
      it->held = false;  // one route sending it at once is enough
    } else if (it->held) {
      it->digest_after = std::min(it->digest_after, after);
    }
  };
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    if (!route_matches(r, alert)) continue;
    // Probity's own alerts are never held: they may be what says a flood is happening. A
    // digest route's alerts wait anyway, so its limits do not apply.
    const bool limited = r.digest.count() == 0 && !is_internal(alert) &&
                         !states_[i].throttle.admit(alert.rule_id, now);
    if (limited) {
      auto& last = states_[i].last_flood_alert;
      if (!last || now - *last >= std::chrono::hours(1)) {
        last = now;
        d.flood_started = r.name;
      }
    }
    const bool held = limited || r.digest.count() > 0;
    const auto after = r.digest.count() > 0 ? r.digest : flood_digest_;
    for (const auto& destination : r.to) add(destination, held, after);
    if (!r.continue_matching) break;
  }
  return d;
}

}  // namespace probity::alerts
