// fit_connection_caps: connection caps fitted under the fd limit.
#include "app/fd_budget.h"

#include <gtest/gtest.h>

namespace probity::app {
namespace {

TEST(FitConnectionCaps, SyslogListenersShareHalfTheLimitAndHttpAnEighth) {
  config::Config config;
  config.listeners.resize(2);
  config.listeners[0].max_connections = 1024;
  config.listeners[1].max_connections = 100;
  const auto changes = fit_connection_caps(config, 1024);
  EXPECT_EQ(config.listeners[0].max_connections, 256u);
  EXPECT_EQ(config.listeners[1].max_connections, 100u);  // already fits: kept
  EXPECT_EQ(config.http.max_connections, 64u);
  EXPECT_EQ(changes.size(), 1u);
}

TEST(FitConnectionCaps, NestedCapsNeverExceedTheirTotal) {
  config::Config config;
  config.listeners.resize(1);
  config.listeners[0].max_connections_per_address = 500;
  config.listeners[0].max_handshakes = 500;
  config.http.max_event_streams = 1000;
  fit_connection_caps(config, 64);
  EXPECT_EQ(config.listeners[0].max_connections, 32u);
  EXPECT_EQ(config.listeners[0].max_connections_per_address, 32u);
  EXPECT_EQ(config.listeners[0].max_handshakes, 32u);
  EXPECT_EQ(config.http.max_connections, 8u);
  EXPECT_EQ(config.http.max_event_streams, 8u);
}

TEST(FitConnectionCaps, UnknownLimitLeavesCapsAlone) {
  config::Config config;
  EXPECT_TRUE(fit_connection_caps(config, 0).empty());
  EXPECT_EQ(config.listeners[0].max_connections, 1024u);
}

}  // namespace
}  // namespace probity::app
