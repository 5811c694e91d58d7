// handle_api (api.h): sessions, CSRF and the routes onto the AlertDesk.
#include "http/api.h"

#include <openssl/crypto.h>

#include <cctype>
#include <nlohmann/json.hpp>

namespace probity::http {

namespace {

using Json = nlohmann::json;

ApiResponse json_error(int status, std::string_view code, std::string message) {
  return {status, Json{{"error", std::move(message)}, {"code", code}}.dump(), {}};
}

int status_of(const Error& e) {
  if (e.code == "api.bad_request" || e.code == "triage.invalid") return 400;
  if (e.code == "api.forbidden") return 403;
  if (e.code == "alerts.unknown") return 404;
  if (e.code == "triage.refused") return 409;
  if (e.code.starts_with("audit.reason")) return 400;
  return 500;
}

ApiResponse from_result(const Result<std::string>& r) {
  if (r) return {200, *r, {}};
  return json_error(status_of(r.error()), r.error().code, r.error().message);
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
      return pair.substr(name.size() + 1);
  }
  return {};
}

std::string session_cookie(std::string_view token, bool secure, bool clear) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(token) +
                  "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) c += "; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

bool same_secret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string session_json(const Session& s, std::string_view csrf) {
  return Json{{"account", s.account}, {"roles", s.roles}, {"csrf", csrf}}.dump();
}

ApiResponse login(Api& api, const ApiRequest& req, SteadyClock::time_point now) {
  const Json body = Json::parse(req.body, nullptr, false);
  if (!body.is_object() || !body.contains("account") || !body["account"].is_string() ||
      !body.contains("password") || !body["password"].is_string())
    return json_error(400, "api.bad_request",
                      "login needs a JSON object with \"account\" and \"password\" strings");
  const auto account = body["account"].get<std::string>();
  const auto password = body["password"].get<std::string>();
  if (account.size() > 64 || password.size() > 256)
    return json_error(401, "api.login", "wrong account or password");
  Principal who{account, 0, req.address, ""};
  if (const auto wait = api.throttle.wait(account, req.address, now); wait > 0) {
    api.desk.record_access(who, "login.throttled");
    auto r = json_error(429, "api.throttled",
                        "too many failed logins; try again in " + std::to_string(wait) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
  }
  const auto roles = api.desk.authenticate(account, password);
  if (!roles) {
    api.throttle.failed(account, req.address, now);
    api.desk.record_access(who, "login.failed");
    return json_error(401, "api.login", "wrong account or password");
  }
  api.throttle.succeeded(account);
  who.roles = *roles;
  api.desk.record_access(who, "login");
  auto [token, csrf] = api.sessions.open(account, *roles, now);
  Session s{account, *roles, csrf, now, now};
  ApiResponse r{200, session_json(s, csrf), {}};
  r.headers.emplace_back("Set-Cookie", session_cookie(token, api.secure_cookie, false));
  return r;
}

// The alert routes, the same for a session and a token.
ApiResponse route(Api& api, const Principal& who, bool post, std::string_view path,
                  std::string_view query, std::string_view body) {
  if (path == "/api/alerts") {
    if (post) return json_error(405, "api.bad_request", "the list is read with GET");
    return from_result(api.desk.list(who, parse_query(query)));
  }
  constexpr std::string_view kAlertPrefix = "/api/alerts/";
  if (path.starts_with(kAlertPrefix)) {
    const std::string_view rest = path.substr(kAlertPrefix.size());
    const auto slash = rest.find('/');
    const std::string_view id = rest.substr(0, slash);
    if (id.empty() || id.size() > 128) return json_error(404, "alerts.unknown", "no such alert");
    if (slash == std::string_view::npos) {
      if (post) return json_error(405, "api.bad_request", "an alert is read with GET");
      return from_result(api.desk.detail(who, id));
    }
    if (!post) return json_error(405, "api.bad_request", "actions are POSTed");
    return from_result(api.desk.act(who, id, rest.substr(slash + 1), body));
  }
  return json_error(404, "api.not_found", "no such API path");
}

// RFC 6750 §2.1: `Bearer` (any case), one or more spaces, the token; "" when absent.
std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  authorization.remove_prefix(kScheme.size());
  while (!authorization.empty() && authorization.front() == ' ') authorization.remove_prefix(1);
  while (!authorization.empty() && authorization.back() == ' ') authorization.remove_suffix(1);
  return authorization;
}

// The account behind a script's API token, or the answer refusing it. Refusals are
// throttled by address like failed logins; uses are recorded at most once per
// kTokenTrailInterval per token and address.
tl::expected<Principal, ApiResponse> token_principal(Api& api, const ApiRequest& req,
                                                     SteadyClock::time_point now) {
  const std::string_view token = bearer_token(req.authorization);
  Principal who{"", 0, req.address, ""};
  if (const auto wait = api.throttle.wait(req.address, now); wait > 0) {
    if (api.token_trail.due("throttled " + req.address, now))
      api.desk.record_access(who, "token.throttled");
    auto r = json_error(
        429, "api.throttled",
        "too many failed logins from this address; try again in " + std::to_string(wait) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return tl::unexpected(std::move(r));
  }
  const auto holder =
      token.empty() || token.size() > 128 ? std::nullopt : api.desk.authenticate_token(token);
  if (!holder) {
    api.throttle.failed(req.address, now);
    api.desk.record_access(who, "token.failed");
    auto r = json_error(401, "api.token",
                        "send Authorization: Bearer with a token from `probity users token`; "
                        "this one is unknown, revoked, or its account is disabled");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"probity\"");
    return tl::unexpected(std::move(r));
  }
  who.account = holder->account;
  who.roles = holder->roles;
  who.token = holder->label;
  if (api.token_trail.due(who.account + "/" + who.token + " " + who.address, now))
    api.desk.record_access(who, "token.used");
  return who;
}

}  // namespace

bool is_api_target(std::string_view target) {
  return target == "/api" || target.starts_with("/api/") || target.starts_with("/api?");
}

Query parse_query(std::string_view query) {
  auto decode = [](std::string_view in) {
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto hexval = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
      };
      if (in[i] == '+') {
        out += ' ';
      } else if (in[i] == '%' && i + 2 < in.size() && hexval(in[i + 1]) >= 0 &&
                 hexval(in[i + 2]) >= 0) {
        out += static_cast<char>(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
        i += 2;
      } else {
        out += in[i];
      }
    }
    return out;
  };
  Query out;
  while (!query.empty()) {
    const auto end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    out.emplace_back(decode(pair.substr(0, eq)),
                     eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1)));
  }
  return out;
}

std::optional<Principal> session_principal(Api& api, std::string_view cookie, std::string address,
                                           SteadyClock::time_point now) {
  const auto session = api.sessions.use(cookie_value(cookie, kSessionCookie), now);
  if (!session) return std::nullopt;
  return Principal{session->account, session->roles, std::move(address), ""};
}

bool session_alive(Api& api, std::string_view cookie, SteadyClock::time_point now) {
  return api.sessions.alive(cookie_value(cookie, kSessionCookie), now);
}

ApiResponse handle_api(Api& api, const ApiRequest& req, SteadyClock::time_point now) {
  const auto q = req.target.find('?');
  const std::string_view path = req.target.substr(0, q);
  const std::string_view query =
      q == std::string_view::npos ? std::string_view() : req.target.substr(q + 1);
  if (req.post && !req.content_type.starts_with("application/json"))
    return json_error(415, "api.bad_request", "send the body as application/json");
  if (path == "/api/login") {
    if (!req.post) return json_error(405, "api.bad_request", "log in with POST");
    return login(api, req, now);
  }
  if (!req.authorization.empty()) {
    const auto who = token_principal(api, req, now);
    if (!who) return who.error();
    if (path == "/api/session")
      return {200,
              Json{{"account", who->account}, {"roles", who->roles}, {"token", who->token}}.dump(),
              {}};
    if (path == "/api/logout")
      return json_error(400, "api.bad_request",
                        "a token is not a session: revoke it with `probity users token NAME "
                        "--revoke`");
    return route(api, *who, req.post, path, query, req.body);
  }
  const std::string_view token = cookie_value(req.cookie, kSessionCookie);
  const auto session = api.sessions.use(token, now);
  if (!session) return json_error(401, "api.login", "log in first (no session, or it expired)");
  if (req.post && !same_secret(req.csrf, session->csrf))
    return json_error(403, "api.csrf", "missing or wrong X-CSRF-Token");
  const Principal who{session->account, session->roles, req.address, ""};

  if (path == "/api/session") return {200, session_json(*session, session->csrf), {}};
  if (path == "/api/logout") {
    if (!req.post) return json_error(405, "api.bad_request", "log out with POST");
    api.sessions.close(token);
    api.desk.record_access(who, "logout");
    ApiResponse r{200, "{}", {}};
    r.headers.emplace_back("Set-Cookie", session_cookie("", api.secure_cookie, true));
    return r;
  }
  return route(api, who, req.post, path, query, req.body);
}

}  // namespace probity::http
