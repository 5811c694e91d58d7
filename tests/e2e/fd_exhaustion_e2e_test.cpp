// Descriptor exhaustion end to end: `probity run` under `prlimit --nofile=1024:1024`
// against 1,100 idle syslog connections or 1,100 live-page streams. Every stored alert
// must reach the JSONL log, the log must stay short, the rule poll must not mistake
// EMFILE for a change, and a well-behaved sender must still get its alert through.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kFdExhaustionRules = R"(
- detection: any-access
  title: Any access
  severity: low
  condition: event.kind == "access"
)";
constexpr int kFlood = 1100;

/// Sockets the test holds open, closed at the end of the test.
struct Sockets {
  std::vector<int> fds;
  ~Sockets() {
    for (int fd : fds) ::close(fd);
  }
};

/// A TCP connection from `source` (any 127/8 address) to 127.0.0.1:port; -1 on failure.
int connect_from(const char* source, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// The test itself holds over a thousand sockets: make room, or say why it cannot.
void raise_own_fd_limit() {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  ASSERT_GE(limit.rlim_max, 2 * kFlood + 200u)
      << "this test holds " << kFlood << " sockets; raise the hard RLIMIT_NOFILE";
  limit.rlim_cur = limit.rlim_max;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

/// Sends one octet-counted RFC 5424 access event from `source` and closes.
bool send_access(const char* source, std::uint16_t port, const std::string& user) {
  const int fd = connect_from(source, port);
  if (fd < 0) return false;
  const std::string msg = "<110>1 2026-11-24T20:00:00Z host audit - - [access@32473 user.id=\"" +
                          user + "\"] record consulted";
  const std::string frame = std::to_string(msg.size()) + " " + msg;
  const bool ok = ::write(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size());
  ::close(fd);
  return ok;
}

DaemonOptions limited_options() {
  DaemonOptions options(kFdExhaustionRules, false);
  options.launcher = {require_program("prlimit", "util-linux"), "--nofile=1024:1024"};
  return options;
}

/// Every alert the daemon stored is in the JSONL log, and none says the rules failed.
void expect_alert_log_complete(const ProbityDaemon& daemon) {
  const std::string jsonl = read_file(daemon.dir / "state/alerts.jsonl");
  EXPECT_EQ(static_cast<long long>(count_lines(jsonl)),
            daemon.metric("probity_alerts_stored_total"))
      << jsonl;
  EXPECT_EQ(jsonl.find("probity-rules-reload-failed"), std::string::npos) << jsonl;
}

TEST(FdExhaustionE2E, IdleSyslogConnectionsNeitherFloodTheLogNorLoseAlerts) {
  raise_own_fd_limit();
  ProbityDaemon daemon(limited_options());
  ASSERT_TRUE(daemon.start());
  const auto log_before = count_lines(daemon.process()->log());

  Sockets idle;
  for (int i = 0; i < kFlood; ++i)
    if (const int fd = connect_from("127.0.0.1", daemon.syslog_port); fd >= 0)
      idle.fds.push_back(fd);
  // The kernel completes connects into the backlog; the daemon keeps 64 (one address's
  // share) and closes the rest.
  ASSERT_TRUE(daemon.wait_metric("probity_connections_refused_total", kFlood - 64))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_connections_open"), 64);

  // Another sender is not locked out, and its alert is stored and logged.
  ASSERT_TRUE(send_access("127.0.0.2", daemon.syslog_port, "PC1"));
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // two rule polls under the flood
  EXPECT_EQ(http_get(daemon.http_port, "/healthz").first, 200);

  const std::string log = daemon.process()->log();
  EXPECT_LT(count_lines(log) - log_before, 100u) << log.substr(log.size() - 4000);
  EXPECT_EQ(count_of(log, "Too many open files"), 0u);
  expect_alert_log_complete(daemon);
  EXPECT_TRUE(daemon.process()->running());
}

TEST(FdExhaustionE2E, LivePageStreamsAreCappedAndAnsweredBusy) {
  raise_own_fd_limit();
  ProbityDaemon daemon(limited_options());
  daemon.add_account("analyst1", "analyst", "correct horse battery");
  ASSERT_TRUE(daemon.start());
  const auto cookie = daemon.login("analyst1", "correct horse battery").first;
  const auto log_before = count_lines(daemon.process()->log());

  Sockets streams;
  const std::string request =
      "GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(daemon.http_port) + "\r\n" +
      cookie + "\r\n\r\n";
  for (int i = 0; i < kFlood; ++i) {
    const int fd = connect_from("127.0.0.1", daemon.http_port);
    if (fd < 0) continue;
    streams.fds.push_back(fd);
    (void)::write(fd, request.data(), request.size());
  }
  // Each stream gets its answer: 200 for the first few, 503 past the caps.
  std::vector<std::string> first(streams.fds.size());
  std::size_t answered = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (answered < first.size() && std::chrono::steady_clock::now() < deadline) {
    std::vector<pollfd> polls;
    std::vector<std::size_t> which;
    for (std::size_t i = 0; i < first.size(); ++i)
      if (first[i].empty()) {
        polls.push_back({streams.fds[i], POLLIN, 0});
        which.push_back(i);
      }
    if (::poll(polls.data(), polls.size(), 200) <= 0) continue;
    for (std::size_t k = 0; k < polls.size(); ++k) {
      if (!(polls[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[64];
      const auto n = ::read(polls[k].fd, buf, sizeof buf);
      first[which[k]] = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "closed";
      ++answered;
    }
  }
  EXPECT_EQ(answered, first.size()) << "streams left without an answer";
  std::size_t ok = 0, busy = 0;
  for (const auto& f : first) {
    ok += f.starts_with("HTTP/1.1 200");
    busy += f.starts_with("HTTP/1.1 503");
  }
  EXPECT_LE(ok, 16u);
  EXPECT_GE(busy, first.size() - 16);

  // Syslog, health and the alert log carry on beside the held streams.
  EXPECT_EQ(http_get(daemon.http_port, "/healthz").first, 200);
  ASSERT_TRUE(send_access("127.0.0.1", daemon.syslog_port, "PC2"));
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();
  std::this_thread::sleep_for(std::chrono::seconds(3));  // two rule polls under the flood

  const std::string log = daemon.process()->log();
  EXPECT_LT(count_lines(log) - log_before, 100u) << log.substr(log.size() - 4000);
  EXPECT_EQ(count_of(log, "Too many open files"), 0u);
  expect_alert_log_complete(daemon);
  EXPECT_TRUE(daemon.process()->running());
}

}  // namespace
}  // namespace probity::testing
