// Backfill through the real binary: older logs sent to a running daemon are correlated in a frame
// of their own (alerts marked, live correlation untouched), the same day sent again after a
// restart (the demo run twice) keeps its correlation alerts once, past the frame cap an event is
// refused with a logged, counted message, and `probity replay` correlates logs out of time order.
// Not for the engine's rules in detail (tests/unit/rules/correlation_backfill_test.cpp).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <sstream>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kBackfillRules = R"(
- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: export
  title: Records exported
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "export"
- correlation: bulk
  title: Bulk look-ups
  severity: critical
  count: {of: lookup, by: user.id, within: 1h, threshold: 3}
- correlation: lookup-then-export
  title: Look-up then export
  severity: critical
  sequence: {by: user.id, within: 1h, steps: [lookup, export]}
)";

struct Access {
  std::string time, host, user, action;
};

// One RFC 5424 access-audit message (no trailing newline).
std::string message(const Access& e, const std::string& subject) {
  return "<13>1 " + e.time + " " + e.host + " audit - - [access@32473 user.id=\"" + e.user +
         "\" action=\"" + e.action + "\" source.system=\"PNC\" subject.id=\"" + subject +
         "\"] record consulted";
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// RFC 5424 frames over one TCP connection: logger cannot set the time stamp, which is the point.
void send_events(std::uint16_t port, const std::vector<Access>& events) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string frames;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string msg = message(events[i], "P" + std::to_string(i));
    frames += std::to_string(msg.size()) + " " + msg;
  }
  ASSERT_EQ(::send(fd, frames.data(), frames.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(frames.size()));
  ::close(fd);
}

// Yesterday's incident by `user`: three look-ups and an export in 15 minutes.
std::vector<Access> incident(const std::string& day, const std::string& user,
                             const std::string& hour = "10") {
  return {{day + "T" + hour + ":00:00Z", "archive01", user, "query"},
          {day + "T" + hour + ":05:00Z", "archive01", user, "query"},
          {day + "T" + hour + ":10:00Z", "archive01", user, "query"},
          {day + "T" + hour + ":15:00Z", "archive01", user, "export"}};
}

std::string yesterday() {
  return rfc3339(std::chrono::system_clock::now() - std::chrono::hours(24)).substr(0, 10);
}

// The latest line of each alert in the JSONL log (a repeat rewrites its alert's line).
std::vector<nlohmann::json> stored_alerts(const ProbityDaemon& d) {
  std::vector<nlohmann::json> latest;
  std::istringstream in(read_file(d.dir / "state" / "alerts.jsonl"));
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto a = nlohmann::json::parse(line);
    auto same = std::find_if(latest.begin(), latest.end(),
                             [&](const auto& b) { return b["id"] == a["id"]; });
    if (same != latest.end())
      *same = std::move(a);
    else
      latest.push_back(std::move(a));
  }
  return latest;
}

bool tagged_backfill(const nlohmann::json& a) {
  for (const auto& t : a.value("tags", nlohmann::json::array()))
    if (t.get<std::string>() == "backfill") return true;
  return false;
}

bool waits_evaluated(ProbityDaemon& d, long long n) {
  return d.wait_metric("probity_events_evaluated_total", n);
}

}  // namespace

TEST(BackfillE2E, AnOlderBatchSentToARunningDaemonRaisesItsCorrelationAlertsMarked) {
  ProbityDaemon d(DaemonOptions(kBackfillRules, /*with_smtp=*/false));
  ASSERT_TRUE(d.start());
  const auto now = std::chrono::system_clock::now();
  send_events(d.syslog_port, {{rfc3339(now), "app01", "u1", "query"}});
  ASSERT_TRUE(waits_evaluated(d, 1)) << d.process()->log();
  // Yesterday's incident, sent after today's event: 24 h behind the correlation clock.
  send_events(d.syslog_port, incident(yesterday(), "u9"));
  ASSERT_TRUE(waits_evaluated(d, 5)) << d.process()->log();
  // Correlation counters are published once a second: wait for them, then check exactly.
  ASSERT_TRUE(d.wait_metric("probity_correlation_matches_total", 2)) << d.process()->log();
  ASSERT_TRUE(d.wait_metric("probity_correlation_backfill_events_total", 4)) << d.process()->log();
  EXPECT_EQ(d.metric("probity_correlation_backfill_events_total"), 4);
  EXPECT_EQ(d.metric("probity_correlation_backfill_frames_total"), 1);
  EXPECT_EQ(d.metric("probity_correlation_late_events_total"), 0);
  ASSERT_TRUE(d.wait_metric("probity_alerts_stored_total", 2)) << d.process()->log();
  const auto alerts = stored_alerts(d);
  ASSERT_EQ(alerts.size(), 2u);
  for (const auto& a : alerts) {
    EXPECT_TRUE(tagged_backfill(a)) << a.dump();
    EXPECT_EQ(a["user_id"].get<std::string>(), "u9");
    EXPECT_EQ(a["event_time"].get<std::string>().substr(0, 10), yesterday());
  }
  // The log names the sender, the event's time and the clock it was behind.
  const std::string log = d.process()->log();
  EXPECT_NE(log.find("backfill: an event from host archive01 (PNC) dated " + yesterday()),
            std::string::npos)
      << log;

  // Live correlation is as it was: today's look-ups by the same user alert live, unmarked.
  const auto later = std::chrono::system_clock::now();
  send_events(d.syslog_port, {{rfc3339(later), "app01", "u9", "query"},
                              {rfc3339(later), "app01", "u9", "query"},
                              {rfc3339(later), "app01", "u9", "query"}});
  ASSERT_TRUE(d.wait_metric("probity_alerts_stored_total", 3)) << d.process()->log();
  const auto all = stored_alerts(d);
  const auto live = std::count_if(all.begin(), all.end(), [](const auto& a) {
    return a["rule_id"] == "bulk" && !tagged_backfill(a);
  });
  EXPECT_EQ(live, 1);
  EXPECT_EQ(d.metric("probity_correlation_backfill_events_total"), 4);
  EXPECT_EQ(d.stop(), 0);
}

TEST(BackfillE2E, TheSameDaySentAgainAfterARestartKeepsItsCorrelationAlertsOnce) {
  // The demo run twice: a day's events, a restart, the same day again.
  ProbityDaemon d(DaemonOptions(kBackfillRules, /*with_smtp=*/false));
  const std::string day = yesterday();
  std::vector<Access> events;
  for (int m = 0; m < 50; ++m)  // one look-up a minute, each by its own user
    events.push_back({day + "T22:" + (m < 10 ? "0" : "") + std::to_string(m) + ":30Z", "app01",
                      "f" + std::to_string(m), "query"});
  for (auto& e : incident(day, "u9", "22")) events.push_back(e);  // early in the run
  for (auto& e : incident(day, "u8", "21")) events.push_back(e);
  // The last incident ends 1 minute before the day's last event: inside the lateness bound.
  for (const auto* t : {"22:46:00", "22:47:00", "22:48:00"})
    events.push_back({day + "T" + t + "Z", "app01", "u7", "query"});
  events.push_back({day + "T22:48:30Z", "app01", "u7", "export"});
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.time < b.time; });
  const auto n = static_cast<long long>(events.size());

  ASSERT_TRUE(d.start());
  send_events(d.syslog_port, events);
  ASSERT_TRUE(waits_evaluated(d, n)) << d.process()->log();
  // u9, u8, u7: a bulk and a sequence alert each.
  ASSERT_TRUE(d.wait_metric("probity_alerts_stored_total", 6)) << d.process()->log();
  ASSERT_TRUE(d.wait_metric("probity_correlation_matches_total", 6)) << d.process()->log();
  const auto first_run = stored_alerts(d);
  const long long correlations = d.metric("probity_correlation_matches_total");
  EXPECT_EQ(correlations, 6);
  EXPECT_EQ(d.stop(), 0);

  ASSERT_TRUE(d.start());
  send_events(d.syslog_port, events);
  ASSERT_TRUE(waits_evaluated(d, n)) << d.process()->log();
  // Every correlation fires again, in a frame, and finds its alert raised already.
  ASSERT_TRUE(d.wait_metric("probity_alerts_already_raised_total", 6)) << d.process()->log();
  ASSERT_TRUE(d.wait_metric("probity_correlation_backfill_events_total", n)) << d.process()->log();
  ASSERT_TRUE(d.wait_metric("probity_correlation_matches_total", correlations))
      << d.process()->log();
  EXPECT_EQ(d.metric("probity_correlation_matches_total"), correlations);
  EXPECT_EQ(d.metric("probity_correlation_backfill_events_total"), n);
  EXPECT_EQ(d.metric("probity_correlation_late_events_total"), 0);
  EXPECT_EQ(d.metric("probity_alerts_stored_total"), 0);
  const auto second_run = stored_alerts(d);
  ASSERT_EQ(second_run.size(), first_run.size());
  for (std::size_t i = 0; i < first_run.size(); ++i)
    EXPECT_EQ(second_run[i]["id"], first_run[i]["id"]);
  // Today's events after the restart are live again.
  const auto now = std::chrono::system_clock::now();
  send_events(d.syslog_port, {{rfc3339(now), "app01", "u1", "query"}});
  ASSERT_TRUE(waits_evaluated(d, n + 1)) << d.process()->log();
  EXPECT_EQ(d.metric("probity_correlation_backfill_events_total"), n);
  EXPECT_EQ(d.stop(), 0);
}

TEST(BackfillE2E, PastTheFrameCapAnOlderEventIsRefusedLoggedAndCounted) {
  DaemonOptions options(kBackfillRules, /*with_smtp=*/false,
                        "correlation:\n  backfill_frames: 1\n  backfill_idle: 10m\n");
  ProbityDaemon d(options);
  ASSERT_TRUE(d.start());
  send_events(d.syslog_port, {{rfc3339(std::chrono::system_clock::now()), "app01", "u1", "query"}});
  send_events(d.syslog_port, incident(yesterday(), "u9"));
  ASSERT_TRUE(waits_evaluated(d, 5)) << d.process()->log();
  // A week older than the open frame's clock, with the one frame busy.
  const auto week_ago =
      rfc3339(std::chrono::system_clock::now() - std::chrono::hours(24 * 7)).substr(0, 10);
  send_events(d.syslog_port, {{week_ago + "T09:00:00Z", "oldarchive", "u5", "query"}});
  ASSERT_TRUE(d.wait_metric("probity_correlation_backfill_refused_total", 1)) << d.process()->log();
  ASSERT_TRUE(d.wait_metric("probity_correlation_late_events_total", 1)) << d.process()->log();
  EXPECT_EQ(d.metric("probity_correlation_late_events_total"), 1);
  const std::string log = d.process()->log();
  EXPECT_NE(log.find("backfill: an event from host oldarchive (PNC) dated " + week_ago),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("every backfill frame is busy"), std::string::npos) << log;
  EXPECT_EQ(d.stop(), 0);
}

TEST(BackfillE2E, ReplayCorrelatesALogOutOfTimeOrder) {
  ProbityDaemon d(DaemonOptions(kBackfillRules, /*with_smtp=*/false));
  // Today's events first, then last week's incident appended to the same file.
  std::string log_text;
  const auto add = [&log_text](const Access& e) { log_text += message(e, "P1") + "\n"; };
  add({"2026-11-09T09:00:00Z", "app01", "u1", "query"});
  add({"2026-11-09T17:00:00Z", "app01", "u2", "query"});
  for (const auto& e : incident("2026-11-02", "u9")) add(e);
  const auto file = d.dir / "mixed.log";
  write_file(file, log_text);
  const auto r = d.probity({"replay", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(R"("rule":"bulk")"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("rule":"lookup-then-export")"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("backfill":true)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("4 events came behind the correlation clock"), std::string::npos)
      << r.output;

  // Frames off: the same file loses the incident's correlations, and says so.
  ProbityDaemon off(
      DaemonOptions(kBackfillRules, /*with_smtp=*/false, "correlation:\n  backfill_frames: 0\n"));
  write_file(off.dir / "mixed.log", log_text);
  const auto r0 = off.probity({"replay", (off.dir / "mixed.log").string()});
  ASSERT_EQ(r0.exit_code, 0) << r0.output;
  EXPECT_EQ(r0.output.find(R"("rule":"bulk")"), std::string::npos) << r0.output;
  EXPECT_NE(r0.output.find("4 events came behind the correlation clock and were not correlated"),
            std::string::npos)
      << r0.output;
}

}  // namespace probity::testing
