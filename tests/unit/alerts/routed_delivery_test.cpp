// The pipeline with alerts.routes: each recipient group gets what its routes send it, at
// once or in its digest, through a real SMTP server; rows of a destination that left the
// config (or from before routes) are routed again at start.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "alerts/alerts.h"
#include "alerts/identity_mask.h"
#include "smtp_server.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;
using namespace std::chrono_literals;
using probity::testing::SmtpServer;
using probity::testing::TempDir;

namespace {

Alert routed_alert(const std::string& rule, const std::string& severity) {
  Alert a;
  a.rule_id = rule;
  a.rule_version = "v1";
  a.title = "Title of " + rule;
  a.severity = severity;
  a.message = "pc1234 did " + rule;
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  a.user_id = "pc1234";
  a.shown = unmasked(a);
  return a;
}

AlertConfig routed_config(std::uint16_t smtp_port) {
  AlertConfig c;
  c.email.from = "probity@force.example";
  c.email.to = "psd@force.example";
  c.email.admins_to = "admins@force.example";
  c.email.smtp_url = "smtp://127.0.0.1:" + std::to_string(smtp_port);
  c.email.connect_timeout = 2s;
  c.email.total_timeout = 5s;
  c.retry_initial = 50ms;
  c.retry_max = 200ms;
  c.drain_timeout = 1s;
  c.recipients = {{"psd-duty", "duty@force.example"}, {"psd-intel", "intel@force.example"}};
  Route urgent;
  urgent.min_severity = "high";
  urgent.to = {"psd-duty"};
  Route rest;
  rest.to = {"psd-intel"};
  rest.digest = 2s;
  c.routes = {urgent, rest};
  return c;
}

// The RCPT TO addresses of each message received (the envelope after its MAIL FROM line).
std::vector<std::string> recipients_of(const SmtpServer& server) {
  std::vector<std::string> out;
  for (const auto& m : server.mails()) out.push_back(m.envelope.substr(m.envelope.find('\n') + 1));
  return out;
}

std::unique_ptr<state::Store> open_store(const std::filesystem::path& dir) {
  auto s = state::Store::open({.dir = dir});
  if (!s) ADD_FAILURE() << "cannot open store: " << s.error().message;
  return s ? std::move(*s) : nullptr;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(RoutedDelivery, EachGroupGetsItsOwnAlertsAtOnceOrInItsDigest) {
  ASSERT_TRUE(probity::testing::aiosmtpd_missing().empty()) << probity::testing::aiosmtpd_missing();
  TempDir tmp("probity-routes");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  SmtpServer server(probity::testing::pick_free_port(), tmp / "smtp");
  ASSERT_TRUE(server.ready()) << server.log();
  AlertCounters counters;
  AlertPipeline pipeline(*store, routed_config(server.port()), counters);
  ASSERT_TRUE(pipeline.start());

  ASSERT_TRUE(pipeline.raise(routed_alert("pnc-critical", "critical")));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pipeline.raise(routed_alert("pnc-medium", "medium")));
  Alert reload = routed_alert("probity-rule-reload-failed", "high");
  ASSERT_TRUE(pipeline.raise(reload));

  // The critical alert and the internal one go at once; the digest waits for its tick.
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.sent == 2; }, 10s));
  EXPECT_EQ(counters.digests_sent, 0u);
  EXPECT_EQ(counters.mail_held, 3u);
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.digests_sent == 1; }, 10s));
  // Each destination counts a delivery just after the send returns.
  std::map<std::string, std::uint64_t> delivered;
  const auto read_delivered = [&] {
    delivered.clear();
    for (const auto& d : pipeline.destinations()) {
      EXPECT_EQ(d.kind, "email");
      delivered[d.name] = d.delivered;
    }
    return delivered["psd-intel"] == 1;
  };
  ASSERT_TRUE(probity::testing::wait_until(read_delivered, 5s));
  EXPECT_EQ(delivered, (std::map<std::string, std::uint64_t>{
                           {"admins", 1}, {"psd", 0}, {"psd-duty", 1}, {"psd-intel", 1}}));
  pipeline.stop();

  auto rcpts = recipients_of(server);
  ASSERT_EQ(rcpts.size(), 3u);
  std::sort(rcpts.begin(), rcpts.end());
  EXPECT_TRUE(contains(rcpts[0], "admins@force.example")) << rcpts[0];
  EXPECT_TRUE(contains(rcpts[1], "duty@force.example")) << rcpts[1];
  EXPECT_TRUE(contains(rcpts[2], "intel@force.example")) << rcpts[2];
  for (const auto& r : rcpts) EXPECT_FALSE(contains(r, "psd@force.example")) << r;
  for (const auto& m : server.messages()) {
    if (!contains(m, "[DIGEST]")) continue;
    EXPECT_TRUE(contains(m, "3 alerts for psd-intel")) << m;
    EXPECT_TRUE(contains(m, "pnc-medium: 3")) << m;
  }
}

TEST(RoutedDelivery, RowsOfADestinationNoLongerConfiguredAreRoutedAgainAtStart) {
  ASSERT_TRUE(probity::testing::aiosmtpd_missing().empty()) << probity::testing::aiosmtpd_missing();
  TempDir tmp("probity-routes");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  const auto port = probity::testing::pick_free_port();
  std::string old_id, legacy_id;
  {
    // A first run with a group "night-desk" that the next config no longer has; nothing
    // listens, so the alert stays in the outbox.
    AlertConfig c = routed_config(port);
    c.recipients.emplace_back("night-desk", "night@force.example");
    c.routes[0].to = {"night-desk"};
    AlertCounters counters;
    AlertPipeline pipeline(*store, c, counters);
    ASSERT_TRUE(pipeline.start());
    auto id = pipeline.raise(routed_alert("pnc-critical", "critical"));
    ASSERT_TRUE(id);
    old_id = *id;
    pipeline.stop();
  }
  // A row as written before routes existed.
  Alert legacy = routed_alert("pnc-legacy", "critical");
  legacy.id = "20261124T195959.000000Z-000000";
  legacy.raised_at = legacy.event_time;
  ASSERT_TRUE(store->write_batch({{state::RuntimeTable::alerts, legacy.id, to_json(legacy)},
                                  {state::RuntimeTable::outbox, "email:" + legacy.id, "{}"}},
                                 true));
  legacy_id = legacy.id;

  SmtpServer server(port, tmp / "smtp");
  ASSERT_TRUE(server.ready()) << server.log();
  AlertCounters counters;
  AlertPipeline pipeline(*store, routed_config(port), counters);
  ASSERT_TRUE(pipeline.start());
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.sent == 2; }, 10s));
  pipeline.stop();
  for (const auto& r : recipients_of(server)) EXPECT_TRUE(contains(r, "duty@force.example")) << r;
  std::vector<std::string> left;
  ASSERT_TRUE(store->scan(state::RuntimeTable::outbox, "", [&](std::string_view k, auto) {
    left.emplace_back(k);
    return true;
  }));
  EXPECT_TRUE(left.empty()) << left.front();
}
