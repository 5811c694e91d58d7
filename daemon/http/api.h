// The alert API's routes (http.h's AlertDesk behind them): login, logout and session,
// the alert list, one alert, and POSTed actions. Plain structs in and out, so the routing,
// cookies, CSRF and statuses are tested without a socket. Private to http/.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http.h"
#include "http/sessions.h"

namespace probity::http {

/// The cookie holding the session token.
inline constexpr std::string_view kSessionCookie = "probity_session";

struct ApiRequest {
  bool post = false;
  std::string_view target;  ///< path and query
  std::string_view cookie;  ///< the Cookie header
  std::string_view csrf;    ///< the X-CSRF-Token header
  std::string_view content_type;
  std::string_view body;
  std::string address;  ///< the client's IP address
};

struct ApiResponse {
  int status = 200;
  std::string body;  ///< JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Api {
  AlertDesk& desk;
  Sessions& sessions;
  LoginThrottle& throttle;
  bool secure_cookie = false;  ///< add Secure to the cookie (the listener speaks TLS)
};

/// Whether `target` is the API's (/api/...).
bool is_api_target(std::string_view target);

/// Answers one API request. Every change (POST) but login needs the session's CSRF token
/// in X-CSRF-Token and a JSON body (application/json, so a cross-site form cannot send
/// one without a preflight). Statuses: 401 no or expired session, bad login; 403 wrong
/// role or CSRF; 400 malformed; 404; 409 refused by the lifecycle; 429 login throttled.
ApiResponse handle_api(Api& api, const ApiRequest& request, SteadyClock::time_point now);

/// The session's person for a request outside /api (the /events stream); nullopt: 401.
std::optional<Principal> session_principal(Api& api, std::string_view cookie, std::string address,
                                           SteadyClock::time_point now);

/// Whether the request's session is still open (a live stream ends when it is not).
bool session_alive(Api& api, std::string_view cookie, SteadyClock::time_point now);

/// Splits "a=1&b=x%20y" into decoded pairs ('+' is a space); malformed escapes are kept
/// as written.
Query parse_query(std::string_view query);

}  // namespace probity::http
