#include "http/http.h"

#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "test_support.h"

using namespace probity;

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

TEST(HttpServer, ServesMetricsHealthAndNotFound) {
  http::MetricsRegistry m;
  m.add("up", "Up", http::MetricsRegistry::Type::gauge, "", [] { return 1u; });
  bool healthy = true;
  boost::asio::io_context io;
  http::HttpServer server(io.get_executor(), {"127.0.0.1", 0}, m,
                          [&] { return std::pair{healthy, std::string("draining")}; });
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
  http::HttpServer server(io.get_executor(), {"127.0.0.1", 0}, m,
                          [] { return std::pair{true, std::string()}; }, &feed);
  ASSERT_TRUE(server.open());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t([&] { io.run(); });
  const auto port = server.port();

  auto [status, page] = probity::testing::http_get(port, "/");
  EXPECT_EQ(status, 200);
  EXPECT_NE(page.find("<script src=\"/live.js\">"), std::string::npos);
  EXPECT_EQ(probity::testing::http_get(port, "/live.js").first, 200);
  auto [as, alerts] = probity::testing::http_get(port, "/api/alerts");
  EXPECT_EQ(as, 200);
  EXPECT_EQ(alerts, R"([{"id":"a1","severity":"high"}])");

  boost::asio::post(io, [&] { server.stop(); });
  t.join();
}
