// Internal to alerts/: which destinations an alert goes to (alerts.routes), and whether it
// goes at once or waits for a digest (the route's digest mode, or its rate limit). Not for
// delivery (destination.h) or config syntax (config/delivery_reader.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alerts.h"
#include "alerts/mail_throttle.h"

namespace probity::alerts {

/// Routes in config order; the first that matches takes the alert, and with `continue` the
/// next matching route takes it too.
class Router {
 public:
  using Clock = std::chrono::steady_clock;

  struct Target {
    std::string destination;
    /// Waits for the destination's next digest (false: delivered at once).
    bool held = false;
    /// When that digest is due at the latest, counted from the routing.
    std::chrono::seconds digest_after{0};
  };
  struct Decision {
    std::vector<Target> targets;  ///< one per destination, at once winning over held
    /// Set when a route's rate limit held this alert and no flood alert was raised for that
    /// route in the last hour: the route's name and its limits, for the one internal alert.
    std::optional<std::string> flood_started;
  };

  /// `flood_digest` is when alerts past a route's limit are mailed together.
  Router(std::vector<Route> routes, std::chrono::seconds flood_digest);

  /// Decides and takes rate-limit tokens. Not thread-safe (the pipeline holds its lock).
  Decision route(const Alert& alert, Clock::time_point now);

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct RouteState {
    MailThrottle throttle;
    std::optional<Clock::time_point> last_flood_alert;
  };
  std::vector<Route> routes_;
  std::vector<RouteState> states_;
  std::chrono::seconds flood_digest_;
};

/// Whether `route` takes `alert` (every condition it sets holds). Internal alerts
/// (is_internal) match only routes with `internal: true`, and those match nothing else.
bool route_matches(const Route& route, const Alert& alert);

/// The routes in force: `configured`, or without any the defaults (internal alerts to
/// the group `admins`, everything else to `psd`), and when no route takes internal alerts,
/// one sending them to `admins` first.
std::vector<Route> effective_routes(std::vector<Route> configured, const EmailConfig& email);

}  // namespace probity::alerts
