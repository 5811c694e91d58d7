// Log injection end to end: event text with a newline, a carriage return and terminal
// escapes reaches the daemon's log only escaped; no forged record starts at column 0.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>

#include <gtest/gtest.h>

#include "daemon_fixture.h"

using namespace probity::testing;

namespace {

const char* kLogInjectionRules = R"(- detection: any-view
  title: Any view
  severity: low
  condition: event.kind == "access"
  alert: "{user.id} viewed {subject.id}"
)";

bool send_framed(std::uint16_t port, const std::string& message) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  const std::string frame = std::to_string(message.size()) + " " + message;
  ok = ok && ::write(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size());
  ::close(fd);
  return ok;
}

}  // namespace

TEST(LogInjectionE2E, EventTextCannotForgeALogRecord) {
  ProbityDaemon daemon(DaemonOptions(kLogInjectionRules, /*with_smtp=*/false));
  ASSERT_TRUE(daemon.start());
  const std::string forged = "2026-12-03T10:00:00.000 critical FORGED by subject";
  // RFC 5424 refuses a raw LF in an SD value; a JSON payload carries one escaped.
  ASSERT_TRUE(
      send_framed(daemon.syslog_port,
                  "<14>1 2026-12-03T10:00:00Z host probity-json - - - {\"event.kind\":\"access\","
                  "\"user.id\":\"pc9\",\"action\":\"view\",\"subject.id\":\"P1\\n" +
                      forged + "\\r\\u001b[2J\"}"));
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();
  EXPECT_EQ(daemon.stop(), 0);
  std::istringstream log(daemon.process()->log());
  bool seen = false;
  for (std::string line; std::getline(log, line);) {
    EXPECT_NE(line.rfind("2026-12-03T10:00:00.000 critical FORGED", 0), 0u) << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    if (line.find("FORGED") != std::string::npos) {
      seen = true;
      EXPECT_EQ(line.rfind("    " + forged, 0), 0u) << line;  // indented continuation
      EXPECT_NE(line.find("\\x0d\\x1b[2J"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(seen) << daemon.process()->log();
}
