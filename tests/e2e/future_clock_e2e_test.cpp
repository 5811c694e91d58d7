// A sender's clock far ahead of the daemon's (or a forged time stamp) must not switch off
// correlation, before or after a restart: issue #10, finding 1. Not for lateness in general
// (tests/unit/rules/correlation_test.cpp covers the engine's clock rules).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kFutureClockRules = R"(
- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 80}
)";

std::string now_rfc3339() {
  const std::time_t secs = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// One look-up per time, as RFC 5424 frames over one TCP connection (logger cannot set the
// time stamp, and the far-future one is the point).
void send_lookups(std::uint16_t port, const std::string& user,
                  const std::vector<std::string>& times) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const std::string msg = "<13>1 " + times[i] + " host audit - - [access@32473 user.id=\"" +
                            user + "\" action=\"query\" subject.id=\"P" + std::to_string(i) +
                            "\" reason=\"case 41/7\"] record consulted";
    const std::string frame = std::to_string(msg.size()) + " " + msg;
    ASSERT_EQ(::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(frame.size()));
  }
  ::close(fd);
}

// After a restart: 80 look-ups by one user now must raise the bulk alert, none of them late.
void expect_burst_correlated(ProbityDaemon& daemon) {
  send_lookups(daemon.syslog_port, "u2", std::vector<std::string>(80, now_rfc3339()));
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 80)) << daemon.process()->log();
  EXPECT_TRUE(daemon.wait_metric("probity_correlation_matches_total", 1, std::chrono::seconds(10)))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_correlation_late_events_total"), 0);
}

}  // namespace

TEST(FutureClockE2E, AFarFutureLookUpLeavesCorrelationOnAcrossARestart) {
  ProbityDaemon daemon(DaemonOptions(kFutureClockRules, /*with_smtp=*/false));
  ASSERT_TRUE(daemon.start());
  send_lookups(daemon.syslog_port, "u1", {"9999-01-01T00:00:00Z"});
  ASSERT_TRUE(daemon.wait_metric("probity_correlation_future_events_total", 1))
      << daemon.process()->log();
  EXPECT_EQ(daemon.stop(), 0);  // drains: correlation state is checkpointed
  ASSERT_TRUE(daemon.start());
  expect_burst_correlated(daemon);
  EXPECT_EQ(daemon.stop(), 0);
}

TEST(FutureClockE2E, AClockSavedFarAheadIsClampedAtStartUp) {
  // The first run has the bound as good as off, as a release before it had none: the
  // 9999 look-up is saved as the correlation clock.
  const std::string unbounded = "correlation:\n  max_future_skew: 500000w\n";
  ProbityDaemon daemon(DaemonOptions(kFutureClockRules, /*with_smtp=*/false, unbounded));
  ASSERT_TRUE(daemon.start());
  send_lookups(daemon.syslog_port, "u1", {"9999-01-01T00:00:00Z"});
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 1)) << daemon.process()->log();
  EXPECT_EQ(daemon.stop(), 0);
  std::string config = read_file(daemon.dir / "probity.yaml");
  config.erase(config.find(unbounded), unbounded.size());
  write_file(daemon.dir / "probity.yaml", config);
  ASSERT_TRUE(daemon.start());
  expect_burst_correlated(daemon);
  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace probity::testing
