// The API's routing without a socket: sessions, cookies, CSRF, statuses and the login limit,
// in front of a desk that records what reached it.
#include "http/api.h"

#include <algorithm>

#include <gtest/gtest.h>

using namespace probity;
using namespace std::chrono_literals;

namespace {

// The desk's side is app/'s (tested end to end in tests/e2e/alert_api_e2e_test.cpp); here
// it only says who may log in and echoes what the routes hand it.
constexpr std::string_view kToken = "probity_0123456789abcdef";

class RecordingDesk final : public http::AlertDesk {
 public:
  std::optional<std::uint8_t> authenticate(std::string_view account,
                                           std::string_view password) override {
    if (account == "ana" && password == "correct horse battery") return std::uint8_t{1};
    return std::nullopt;
  }
  std::optional<http::TokenHolder> authenticate_token(std::string_view token) override {
    if (token == kToken) return http::TokenHolder{"ana", 1, "nightly"};
    return std::nullopt;
  }
  void record_access(const http::Principal& who, std::string_view what) override {
    accesses.push_back(std::string(what) + " " + who.account + " " + who.address +
                       (who.token.empty() ? "" : " " + who.token));
  }
  Result<std::string> list(const http::Principal& who, const http::Query& q) override {
    std::string out = "list " + who.account;
    for (const auto& [k, v] : q) out += " " + k + "=" + v;
    return out;
  }
  Result<std::string> detail(const http::Principal&, std::string_view id) override {
    if (id == "missing") return fail("alerts.unknown", "no alert missing");
    return "detail " + std::string(id);
  }
  Result<std::string> act(const http::Principal& who, std::string_view id, std::string_view action,
                          std::string_view body) override {
    if (action == "whoami") return who.account + " " + who.token;
    if (action == "reveal") return fail("api.forbidden", "analysts may not reveal");
    if (action == "dismiss") return fail("triage.refused", "alert is dismissed already");
    return std::string(action) + " " + std::string(id) + " " + std::string(body);
  }
  std::vector<std::string> accesses;
};

struct Fixture {
  RecordingDesk desk;
  http::Sessions sessions{http::SessionLimits{30min, 12h, 1000}};
  http::LoginThrottle throttle;
  http::Api api{desk, sessions, throttle, false};
  http::SteadyClock::time_point now{};

  http::ApiResponse call(bool post, std::string_view target, std::string cookie = {},
                         std::string csrf = {}, std::string body = {},
                         std::string type = "application/json") {
    cookie_ = std::move(cookie), csrf_ = std::move(csrf), body_ = std::move(body),
    type_ = std::move(type);
    return http::handle_api(
        api, {post, target, cookie_, csrf_, type_, body_, "192.0.2.7", authorization_}, now);
  }
  // A script's request: Authorization: Bearer, no cookie, no CSRF token.
  http::ApiResponse bearer(bool post, std::string_view target, std::string authorization,
                           std::string body = {}, std::string type = "application/json") {
    authorization_ = std::move(authorization);
    auto r = call(post, target, {}, {}, std::move(body), std::move(type));
    authorization_.clear();
    return r;
  }
  // Logs in as ana; {Cookie header value, csrf}.
  std::pair<std::string, std::string> login() {
    const auto r =
        call(true, "/api/login", {}, {}, R"({"account":"ana","password":"correct horse battery"})");
    EXPECT_EQ(r.status, 200) << r.body;
    std::string cookie;
    for (const auto& [name, value] : r.headers)
      if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
    const auto at = r.body.find("\"csrf\":\"");
    return {cookie, at == std::string::npos ? "" : r.body.substr(at + 8, 64)};
  }

 private:
  std::string cookie_, csrf_, body_, type_, authorization_;
};

}  // namespace

TEST(AlertApi, EverythingButLoginNeedsASession) {
  Fixture f;
  EXPECT_EQ(f.call(false, "/api/alerts").status, 401);
  EXPECT_EQ(f.call(false, "/api/alerts/a1").status, 401);
  EXPECT_EQ(f.call(false, "/api/session").status, 401);
  EXPECT_EQ(f.call(false, "/api/alerts", "probity_session=" + std::string(64, 'a')).status, 401);
  EXPECT_TRUE(f.desk.accesses.empty());
}

TEST(AlertApi, LoginSetsAStrictHttpOnlyCookieAndRecordsIt) {
  Fixture f;
  const auto r =
      f.call(true, "/api/login", {}, {}, R"({"account":"ana","password":"correct horse battery"})");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Set-Cookie");
  EXPECT_NE(r.headers[0].second.find("HttpOnly"), std::string::npos);
  EXPECT_NE(r.headers[0].second.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(r.headers[0].second.find("Secure"), std::string::npos);  // no TLS here
  EXPECT_NE(r.body.find("\"csrf\":\""), std::string::npos);
  EXPECT_EQ(f.desk.accesses, std::vector<std::string>{"login ana 192.0.2.7"});
}

TEST(AlertApi, ReadsWithTheSessionAndPassesTheDecodedQuery) {
  Fixture f;
  const auto [cookie, csrf] = f.login();
  const auto r = f.call(false, "/api/alerts?status=new,acknowledged&q=pc%201+x", cookie);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "list ana status=new,acknowledged q=pc 1 x");
  EXPECT_EQ(f.call(false, "/api/alerts/a1", cookie).body, "detail a1");
  EXPECT_EQ(f.call(false, "/api/alerts/missing", cookie).status, 404);
  EXPECT_EQ(f.call(false, "/api/elsewhere", cookie).status, 404);
}

TEST(AlertApi, ChangesNeedTheCsrfTokenAndAJsonBody) {
  Fixture f;
  const auto [cookie, csrf] = f.login();
  EXPECT_EQ(f.call(true, "/api/alerts/a1/note", cookie, {}, R"({"text":"x"})").status, 403);
  EXPECT_EQ(f.call(true, "/api/alerts/a1/note", cookie, std::string(64, '0'), "{}").status, 403);
  EXPECT_EQ(f.call(true, "/api/alerts/a1/note", cookie, csrf, "text=x",
                   "application/x-www-form-urlencoded")
                .status,
            415);
  const auto ok = f.call(true, "/api/alerts/a1/note", cookie, csrf, R"({"text":"x"})");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"(note a1 {"text":"x"})");
  EXPECT_EQ(f.call(false, "/api/alerts/a1/note", cookie).status, 405);
}

TEST(AlertApi, DeskErrorsBecomeStatuses) {
  Fixture f;
  const auto [cookie, csrf] = f.login();
  const auto reveal = f.call(true, "/api/alerts/a1/reveal", cookie, csrf, "{}");
  EXPECT_EQ(reveal.status, 403);
  EXPECT_NE(reveal.body.find("analysts may not reveal"), std::string::npos);
  EXPECT_EQ(f.call(true, "/api/alerts/a1/dismiss", cookie, csrf, "{}").status, 409);
}

TEST(AlertApi, MalformedLoginsAre400AndWrongOnes401) {
  Fixture f;
  EXPECT_EQ(f.call(true, "/api/login", {}, {}, "not json").status, 400);
  EXPECT_EQ(f.call(true, "/api/login", {}, {}, R"({"account":"ana"})").status, 400);
  EXPECT_EQ(f.call(true, "/api/login", {}, {}, R"({"account":1,"password":"x"})").status, 400);
  EXPECT_EQ(f.call(false, "/api/login").status, 405);
  EXPECT_EQ(f.call(true, "/api/login", {}, {}, R"({"account":"ana","password":"wrong"})").status,
            401);
  EXPECT_EQ(f.desk.accesses, std::vector<std::string>{"login.failed ana 192.0.2.7"});
}

TEST(AlertApi, FiveFailuresLockTheAccountForTheWindowEvenWithTheRightPassword) {
  Fixture f;
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(f.call(true, "/api/login", {}, {}, R"({"account":"ana","password":"no"})").status,
              401);
  const auto locked =
      f.call(true, "/api/login", {}, {}, R"({"account":"ana","password":"correct horse battery"})");
  EXPECT_EQ(locked.status, 429);
  ASSERT_FALSE(locked.headers.empty());
  EXPECT_EQ(locked.headers[0].first, "Retry-After");
  EXPECT_EQ(f.desk.accesses.back(), "login.throttled ana 192.0.2.7");
  f.now += 16min;
  EXPECT_EQ(
      f.call(true, "/api/login", {}, {}, R"({"account":"ana","password":"correct horse battery"})")
          .status,
      200);
}

TEST(AlertApi, SessionsEndWhenIdleAndAtTheAbsoluteLimitAndAtLogout) {
  Fixture f;
  auto [cookie, csrf] = f.login();
  f.now += 29min;
  EXPECT_EQ(f.call(false, "/api/session", cookie).status, 200);  // use restarts the idle time
  f.now += 29min;
  EXPECT_EQ(f.call(false, "/api/session", cookie).status, 200);
  f.now += 31min;
  EXPECT_EQ(f.call(false, "/api/session", cookie).status, 401);  // idle too long

  std::tie(cookie, csrf) = f.login();
  for (int i = 0; i < 26; ++i) {  // busy all day: 26 x 28 min > 12 h
    f.now += 28min;
    if (f.call(false, "/api/session", cookie).status != 200) break;
  }
  EXPECT_EQ(f.call(false, "/api/session", cookie).status, 401);

  std::tie(cookie, csrf) = f.login();
  const auto out = f.call(true, "/api/logout", cookie, csrf, "{}");
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(out.headers.at(0).second.find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(f.call(false, "/api/session", cookie).status, 401);
}

TEST(AlertApi, ParsesQueriesLeavingBadEscapesAsWritten) {
  const auto q = http::parse_query("a=1&&b=x%2Fy+z&c&d=%zz%4");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[1], (std::pair<std::string, std::string>{"b", "x/y z"}));
  EXPECT_EQ(q[2], (std::pair<std::string, std::string>{"c", ""}));
  EXPECT_EQ(q[3].second, "%zz%4");
}

TEST(LoginThrottle, CountsPerAddressAcrossAccounts) {
  http::LoginThrottle t({5, 3, std::chrono::seconds(900), 100});
  const http::SteadyClock::time_point now{};
  for (const char* account : {"a", "b", "c"}) t.failed(account, "198.51.100.1", now);
  EXPECT_GT(t.wait("d", "198.51.100.1", now), 0);  // a fourth name from the same address
  EXPECT_EQ(t.wait("d", "198.51.100.2", now), 0);
}

TEST(AlertApi, BearerTokensActWithoutSessionOrCsrfButKeepTheJsonRule) {
  Fixture f;
  const std::string auth = "Bearer " + std::string(kToken);
  EXPECT_EQ(f.bearer(false, "/api/alerts?status=new", auth).body, "list ana status=new");
  const auto acted = f.bearer(true, "/api/alerts/a1/whoami", auth, "{}");
  EXPECT_EQ(acted.status, 200);
  EXPECT_EQ(acted.body, "ana nightly");  // the desk knows a script acted, and which token
  EXPECT_EQ(f.bearer(true, "/api/alerts/a1/acknowledge", "bearer   " + std::string(kToken), "{}",
                     "text/plain")
                .status,
            415);
  const auto session = f.bearer(false, "/api/session", auth);
  EXPECT_NE(session.body.find(R"("token":"nightly")"), std::string::npos) << session.body;
  EXPECT_EQ(f.bearer(true, "/api/logout", auth, "{}").status, 400);
  // One use recorded however many requests, until the interval has passed.
  EXPECT_EQ(f.desk.accesses, std::vector<std::string>{"token.used ana 192.0.2.7 nightly"});
  f.now += http::kTokenTrailInterval;
  f.bearer(false, "/api/alerts", auth);
  EXPECT_EQ(f.desk.accesses.size(), 2u);
}

TEST(AlertApi, BadTokensAre401RecordedAndThrottledByAddress) {
  Fixture f;
  for (const std::string& bad :
       std::vector<std::string>{"Bearer probity_wrong", "Bearer ", "Basic YW5hOnB3",
                                "Bearer " + std::string(200, 'x')}) {
    const auto r = f.bearer(false, "/api/alerts", bad);
    EXPECT_EQ(r.status, 401) << bad;
    EXPECT_NE(r.body.find("api.token"), std::string::npos);
  }
  EXPECT_EQ(f.desk.accesses.size(), 4u);
  EXPECT_EQ(f.desk.accesses.front(), "token.failed  192.0.2.7");
  for (int i = 0; i < 16; ++i) f.bearer(false, "/api/alerts", "Bearer probity_guess");
  const auto refused = f.bearer(false, "/api/alerts", "Bearer " + std::string(kToken));
  EXPECT_EQ(refused.status, 429);  // twenty failures from this address: even a good token waits
  f.bearer(false, "/api/alerts", "Bearer " + std::string(kToken));
  EXPECT_EQ(f.desk.accesses.back(), "token.throttled  192.0.2.7");
  EXPECT_EQ(
      std::count(f.desk.accesses.begin(), f.desk.accesses.end(), "token.throttled  192.0.2.7"),
      1);  // at most once per interval in the trail
}

TEST(OncePerInterval, IsDueOncePerKeyPerInterval) {
  http::OncePerInterval once(std::chrono::seconds(60), 2);
  const http::SteadyClock::time_point t0{};
  EXPECT_TRUE(once.due("a", t0));
  EXPECT_FALSE(once.due("a", t0 + 59s));
  EXPECT_TRUE(once.due("b", t0 + 1s));
  EXPECT_TRUE(once.due("a", t0 + 60s));
  EXPECT_TRUE(once.due("c", t0 + 61s));  // over max_keys: the stalest (b) goes
  EXPECT_TRUE(once.due("b", t0 + 62s));
}
