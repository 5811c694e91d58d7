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

/// An API token's use is recorded in the trail at most this often per token and address
/// (and a throttled address's attempts likewise): every use of a session is its login.
inline constexpr std::chrono::seconds kTokenTrailInterval{15 * 60};

struct ApiRequest {
  bool post = false;
  std::string_view target;  ///< path and query
  std::string_view cookie;  ///< the Cookie header
  std::string_view csrf;    ///< the X-CSRF-Token header
  std::string_view content_type;
  std::string_view body;
  std::string address;             ///< the client's IP address
  std::string_view authorization;  ///< the Authorization header ("Bearer TOKEN" for scripts)
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
  /// When a token's use is next recorded in the trail (kTokenTrailInterval).
  OncePerInterval token_trail{kTokenTrailInterval};
};

/// Whether `target` is the API's (/api/...).
bool is_api_target(std::string_view target);

/// Answers one API request. Every change (POST) but login needs a JSON body
/// (application/json, so a cross-site form cannot send one without a preflight) and, from
/// a session, its CSRF token in X-CSRF-Token. A request with `Authorization: Bearer TOKEN`
/// (a script's; RFC 6750 §2.1) needs no session nor CSRF token, since a browser never
/// adds that header by itself; a bad token counts as a failed login from its address.
/// Statuses: 401 no or expired session, bad login or token; 403 wrong role or CSRF; 400
/// malformed; 404; 409 refused by the lifecycle; 429 login throttled.
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
