#include "http/http.h"
#include "http/host_check.h"

#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "test_support.h"

using namespace probity;

namespace {
// Loopback, a port the kernel picks.
http::HttpConfig any_port() {
  http::HttpConfig c;
  c.port = 0;
  return c;
}
}  // namespace

TEST(MetricsRegistry, RendersPrometheusTextWithOneHelpPerName) {
  http::MetricsRegistry m;
  std::uint64_t a = 3, b = 4;
  m.add("events_rejected_total", "Rejected", http::MetricsRegistry::Type::counter,
        "reason=\"parse\"", [&] { return a; });
  m.add("events_rejected_total", "Rejected", http::MetricsRegistry::Type::counter,
        "reason=\"too_long\"", [&] { return b; });
  m.add("connections_open", "Open", http::MetricsRegistry::Type::gauge, "", [] { return 1u; });
  const auto text = m.render();
  EXPECT_EQ(text,
            "# HELP probity_events_rejected_total Rejected\n"
            "# TYPE probity_events_rejected_total counter\n"
            "probity_events_rejected_total{reason=\"parse\"} 3\n"
            "probity_events_rejected_total{reason=\"too_long\"} 4\n"
            "# HELP probity_connections_open Open\n"
            "# TYPE probity_connections_open gauge\n"
            "probity_connections_open 1\n");
  a = 10;  // read at scrape time, not at registration
  EXPECT_NE(m.render().find("{reason=\"parse\"} 10\n"), std::string::npos);
}

TEST(MetricsRegistry, RendersAHistogramWithCumulativeBucketsInSeconds) {
  http::MetricsRegistry m;
  LatencyHistogram h;
  h.observe(std::chrono::microseconds(40));     // first bucket (<= 50 us)
  h.observe(std::chrono::microseconds(50));     // on a bound: that bucket
  h.observe(std::chrono::microseconds(1'200));  // <= 1.5 ms
  h.observe(std::chrono::seconds(60));          // past every bound
  m.add_histogram("event_to_alert_seconds", "Latency", h);
  const auto text = m.render();
  EXPECT_NE(text.find("# TYPE probity_event_to_alert_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("probity_event_to_alert_seconds_bucket{le=\"5e-05\"} 2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("probity_event_to_alert_seconds_bucket{le=\"0.001\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("probity_event_to_alert_seconds_bucket{le=\"0.0015\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("probity_event_to_alert_seconds_bucket{le=\"10\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("probity_event_to_alert_seconds_bucket{le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("probity_event_to_alert_seconds_sum 60.00129\n"), std::string::npos) << text;
  EXPECT_NE(text.find("probity_event_to_alert_seconds_count 4\n"), std::string::npos);
}

TEST(HttpServer, ServesMetricsHealthAndNotFound) {
  http::MetricsRegistry m;
  m.add("up", "Up", http::MetricsRegistry::Type::gauge, "", [] { return 1u; });
  bool healthy = true;
  boost::asio::io_context io;
  http::HttpServer server(io.get_executor(), any_port(), m, [&] {
    return std::pair{healthy, std::string("draining")};
  });
  ASSERT_TRUE(server.open());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t([&] { io.run(); });
  const auto port = server.port();

  auto [status, body] = probity::testing::http_get(port, "/metrics");
  EXPECT_EQ(status, 200);
  EXPECT_NE(body.find("probity_up 1\n"), std::string::npos) << body;
  EXPECT_EQ(probity::testing::http_get(port, "/healthz").first, 200);
  healthy = false;
  auto [hs, hb] = probity::testing::http_get(port, "/healthz");
  EXPECT_EQ(hs, 503);
  EXPECT_NE(hb.find("draining"), std::string::npos);
  EXPECT_EQ(probity::testing::http_get(port, "/nothing").first, 404);

  boost::asio::post(io, [&] { server.stop(); });
  t.join();  // run() returns once the server has stopped: no stray work left behind
}

TEST(AlertFeed, KeepsTheNewestEntriesInOrder) {
  http::AlertFeed feed(3);
  for (int i = 1; i <= 5; ++i) feed.publish("{\"n\":" + std::to_string(i) + "}");
  EXPECT_EQ(feed.last(), 5u);
  const auto all = feed.since(0);
  ASSERT_EQ(all.size(), 3u);  // bounded: the two oldest fell off
  EXPECT_EQ(all.front().first, 3u);
  EXPECT_EQ(all.back().second, "{\"n\":5}");
  EXPECT_EQ(feed.since(4).size(), 1u);
  EXPECT_TRUE(feed.since(5).empty());
}

TEST(HttpServer, ServesTheLivePageWithAStrictContentSecurityPolicy) {
  http::MetricsRegistry m;
  http::AlertFeed feed;
  feed.publish(R"({"id":"a1","severity":"high"})");
  boost::asio::io_context io;
  http::HttpServer server(
      io.get_executor(), any_port(), m,
      [] {
        return std::pair{true, std::string()};
      },
      &feed);
  ASSERT_TRUE(server.open());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t([&] { io.run(); });
  const auto port = server.port();

  auto [status, page] = probity::testing::http_get(port, "/");
  EXPECT_EQ(status, 200);
  EXPECT_NE(page.find("<script src=\"/live.js\">"), std::string::npos);
  EXPECT_EQ(probity::testing::http_get(port, "/live.js").first, 200);
  // Alerts only behind a login: with no API desk there is no list, and no stream.
  EXPECT_EQ(probity::testing::http_get(port, "/api/alerts").first, 404);

  boost::asio::post(io, [&] { server.stop(); });
  t.join();
}

TEST(HttpServer, AnswersOnlyLoopbackAndConfiguredHostNames) {
  http::MetricsRegistry m;
  http::AlertFeed feed;
  feed.publish(R"({"id":"a1","severity":"high"})");
  boost::asio::io_context io;
  http::HttpConfig config = any_port();
  config.allowed_hosts = {"probity.force.internal"};
  http::HttpServer server(
      io.get_executor(), config, m,
      [] {
        return std::pair{true, std::string()};
      },
      &feed);
  ASSERT_TRUE(server.open());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t([&] { io.run(); });
  const auto port = server.port();
  const std::string p = std::to_string(port);
  using probity::testing::http_get;

  // A DNS-rebinding page: its own name, now resolving to 127.0.0.1.
  for (const char* path : {"/api/alerts", "/events", "/", "/metrics"})
    EXPECT_EQ(http_get(port, path, "rebind.attacker.example").first, 421) << path;
  EXPECT_EQ(http_get(port, "/api/alerts", "rebind.attacker.example:" + p).first, 421);
  EXPECT_EQ(http_get(port, "/api/alerts", "localhost.attacker.example").first, 421);
  EXPECT_EQ(http_get(port, "/api/alerts", "127.0.0.1.attacker.example").first, 421);
  EXPECT_EQ(http_get(port, "/api/alerts", "").first, 421);
  for (const std::string& host :
       std::vector<std::string>{"127.0.0.1:" + p, "localhost:" + p, "LOCALHOST", "[::1]:" + p,
                                "127.0.0.1", "probity.force.internal:" + p})
    EXPECT_EQ(http_get(port, "/healthz", host).first, 200) << host;

  boost::asio::post(io, [&] { server.stop(); });
  t.join();
}

TEST(HostCheck, SplitsThePortAndNeedsBracketsForIpv6) {
  using http::host_allowed;
  EXPECT_TRUE(host_allowed("[::1]:9095", "127.0.0.1", {}));
  EXPECT_FALSE(host_allowed("::1", "127.0.0.1", {}));  // RFC 9110: IPv6 in brackets
  EXPECT_FALSE(host_allowed("localhost:90x", "127.0.0.1", {}));
  EXPECT_TRUE(host_allowed("10.0.0.5:9095", "10.0.0.5", {}));  // the listen address itself
  EXPECT_TRUE(host_allowed("[fd00::5]:9095", "fd00::5", {}));
  EXPECT_FALSE(host_allowed("0.0.0.0:9095", "0.0.0.0", {}));
}

TEST(HttpServer, AnswersOversizedBodiesAndHeadersBeforeClosing) {
  http::MetricsRegistry m;
  boost::asio::io_context io;
  http::HttpServer server(io.get_executor(), any_port(), m, [] {
    return std::pair{true, std::string()};
  });
  ASSERT_TRUE(server.open());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t([&] { io.run(); });
  const auto port = server.port();
  using probity::testing::http_request;

  const std::string big(100 * 1024, 'x');
  const auto api = http_request(port, "POST", "/api/login", {"Content-Type: application/json"},
                                "{\"account\":\"" + big + "\"}");
  EXPECT_EQ(api.status, 413) << api.body;
  EXPECT_EQ(api.header("Content-Type"), "application/json");
  EXPECT_NE(api.body.find("\"code\":\"api.too_large\""), std::string::npos) << api.body;
  EXPECT_EQ(api.header("Connection"), "close");
  const auto page = http_request(port, "POST", "/", {}, big);
  EXPECT_EQ(page.status, 413);
  EXPECT_NE(page.body.find("64 KiB"), std::string::npos) << page.body;
  const auto header = http_request(port, "GET", "/healthz", {"X-Filler: " + big.substr(0, 16384)});
  EXPECT_EQ(header.status, 431);
  const auto malformed = http_request(port, "GET", "/healthz", {"Not a header line"});
  EXPECT_EQ(malformed.status, 400);
  // Just under the limit is read (and refused for what it is, not for its size).
  EXPECT_EQ(http_request(port, "POST", "/", {}, std::string(60 * 1024, 'x')).status, 405);

  boost::asio::post(io, [&] { server.stop(); });
  t.join();
}
