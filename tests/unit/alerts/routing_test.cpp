// Routes: which alerts each takes, first match and continue, digests, and rate limits.
#include "alerts/routing.h"

#include <gtest/gtest.h>

using namespace probity::alerts;
using namespace std::chrono_literals;

namespace {

Alert alert_of(std::string rule, std::string severity, std::vector<std::string> tags = {},
               std::string source = "PNC") {
  Alert a;
  a.rule_id = std::move(rule);
  a.severity = std::move(severity);
  a.tags = std::move(tags);
  a.source = std::move(source);
  return a;
}

Route route_to(std::vector<std::string> to) {
  Route r;
  r.to = std::move(to);
  return r;
}

std::vector<std::string> destinations(const Router::Decision& d) {
  std::vector<std::string> out;
  for (const auto& t : d.targets) out.push_back(t.destination + (t.held ? " (held)" : ""));
  return out;
}

}  // namespace

TEST(RouteMatch, EveryConditionSetMustHoldAndUnsetOnesMatchAnything) {
  Route r = route_to({"psd-intel"});
  EXPECT_TRUE(route_matches(r, alert_of("x", "low")));
  r.min_severity = "medium";
  EXPECT_FALSE(route_matches(r, alert_of("x", "low")));
  EXPECT_TRUE(route_matches(r, alert_of("x", "critical")));
  EXPECT_FALSE(route_matches(r, alert_of("x", "urgent")));  // unknown severities rank lowest
  r.rules = {"pnc-*", "niche-dob"};
  EXPECT_TRUE(route_matches(r, alert_of("pnc-a", "high")));
  EXPECT_TRUE(route_matches(r, alert_of("niche-dob", "high")));
  EXPECT_FALSE(route_matches(r, alert_of("mail-x", "high")));
  r.tags = {"disclosure", "misuse"};
  EXPECT_FALSE(route_matches(r, alert_of("pnc-a", "high", {"risk-signal"})));
  EXPECT_TRUE(route_matches(r, alert_of("pnc-a", "high", {"risk-signal", "misuse"})));
  r.sources = {"pnc"};  // any case: "PNC" in the event
  EXPECT_TRUE(route_matches(r, alert_of("pnc-a", "high", {"misuse"}, "PNC")));
  EXPECT_FALSE(route_matches(r, alert_of("pnc-a", "high", {"misuse"}, "Niche")));
  r.severities = {"critical"};
  EXPECT_FALSE(route_matches(r, alert_of("pnc-a", "high", {"misuse"}, "PNC")));
}

TEST(RouteMatch, InternalAlertsMatchOnlyInternalRoutes) {
  const Alert reload = alert_of("probity-rule-reload-failed", "high", {}, "");
  Route everything = route_to({"psd"});
  EXPECT_FALSE(route_matches(everything, reload));
  Route internal = route_to({"admins"});
  internal.internal = true;
  EXPECT_TRUE(route_matches(internal, reload));
  EXPECT_FALSE(route_matches(internal, alert_of("pnc-a", "high")));
}

TEST(EffectiveRoutes, WithoutRoutesInternalGoesToAdminsAndTheRestToPsd) {
  EmailConfig email;
  email.max_per_rule_per_hour = 7;
  const auto routes = effective_routes({}, email);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_TRUE(routes[0].internal);
  EXPECT_EQ(routes[0].to, std::vector<std::string>{"admins"});
  EXPECT_EQ(routes[1].to, std::vector<std::string>{"psd"});
  EXPECT_EQ(routes[1].max_per_rule_per_hour, 7u);

  // Configured routes that take no internal alert get the admins route in front of them.
  const auto configured = effective_routes({route_to({"psd-duty"})}, email);
  ASSERT_EQ(configured.size(), 2u);
  EXPECT_TRUE(configured[0].internal);
  EXPECT_EQ(configured[1].to, std::vector<std::string>{"psd-duty"});
  EXPECT_EQ(configured[1].name, "route 2");
}

TEST(Router, FirstMatchTakesItAndContinueFansOut) {
  Route urgent = route_to({"psd-duty"});
  urgent.min_severity = "high";
  Route rest = route_to({"psd-intel"});
  rest.digest = 1h;
  Router router({urgent, rest}, 10min);
  const auto now = Router::Clock::now();
  EXPECT_EQ(destinations(router.route(alert_of("x", "critical"), now)),
            std::vector<std::string>{"psd-duty"});
  EXPECT_EQ(destinations(router.route(alert_of("x", "medium"), now)),
            std::vector<std::string>{"psd-intel (held)"});

  urgent.continue_matching = true;
  Router fan_out({urgent, rest}, 10min);
  const auto d = fan_out.route(alert_of("x", "critical"), now);
  EXPECT_EQ(destinations(d), (std::vector<std::string>{"psd-duty", "psd-intel (held)"}));
  EXPECT_EQ(d.targets[1].digest_after, 1h);
}

TEST(Router, OneDestinationOnceAndAtOnceWinsOverHeld) {
  Route digest = route_to({"psd-intel", "infosec"});
  digest.digest = 24h;
  digest.continue_matching = true;
  Route immediate = route_to({"psd-intel"});
  Router router({digest, immediate}, 10min);
  EXPECT_EQ(destinations(router.route(alert_of("x", "low"), Router::Clock::now())),
            (std::vector<std::string>{"psd-intel", "infosec (held)"}));
}

TEST(Router, PastTheRateLimitAlertsAreHeldAndOneFloodIsReportedPerHour) {
  Route r = route_to({"psd"});
  r.name = "duty";
  r.max_per_rule_per_hour = 3;
  Router router({r}, 10min);
  auto now = Router::Clock::now();
  int held = 0, floods = 0;
  for (int i = 0; i < 10; ++i) {
    const auto d = router.route(alert_of("pnc-a", "high"), now);
    ASSERT_EQ(d.targets.size(), 1u);
    held += d.targets[0].held;
    if (d.flood_started) {
      ++floods;
      EXPECT_EQ(*d.flood_started, "duty");
      EXPECT_EQ(d.targets[0].digest_after, 10min);
    }
  }
  EXPECT_EQ(held, 7);
  EXPECT_EQ(floods, 1);
  // Another rule has its own budget; the internal alert is never held.
  EXPECT_FALSE(router.route(alert_of("pnc-b", "high"), now).targets[0].held);
  // An hour on, the bucket is full again and a new flood is reported once more.
  now += 61min;
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(router.route(alert_of("pnc-a", "high"), now).targets[0].held);
  EXPECT_TRUE(router.route(alert_of("pnc-a", "high"), now).flood_started);
}
