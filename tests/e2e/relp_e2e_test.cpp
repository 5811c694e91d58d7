// RELP end to end with real parts: rsyslog's omrelp forwards to `probity run`; Probity is
// killed with SIGKILL twice mid-stream and restarted, and every event is evaluated with no
// alert lost and none raised twice. Also RELP over mutual TLS from rsyslog.
#include <csignal>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon_fixture.h"
#include "test_pki.h"

namespace probity::testing {
namespace {

// Every 50th event looks up a watched subject ("W<n>"): one alert each, 2,000 in all, spread
// evenly, so a lost stretch of the stream or a double evaluation shows in the alert count.
constexpr const char* kRelpRules = R"(
- detection: watched-subject
  title: Look-up of a watched subject
  severity: high
  condition: event.kind == "access" and subject.id startswith "W"
  alert: "{user.id} looked up {subject.id}"
  fields: [user.id, subject.id]
)";
constexpr int kEvents = 100'000;
constexpr int kEvery = 50;

std::string access_frame(int i) {
  const std::string subject = (i % kEvery == 0 ? "W" : "S") + std::to_string(i);
  const std::string msg =
      "<86>1 2026-12-05T10:00:00.000000Z host audit - - [access@32473 user.id=\"U" +
      std::to_string(i % 997) +
      "\" source.system=\"PNC\" action=\"query\" subject.type=\"person\" "
      "subject.id=\"" +
      subject + "\"] lookup " + std::to_string(i);
  return std::to_string(msg.size()) + " " + msg;
}

/// The watched subjects of the alerts in the JSONL log, and how many alerts (by id) there
/// were. A line written twice for one alert (a kill between the log's write and its record)
/// is the log's at-least-once, not a second alert.
std::pair<std::set<std::string>, std::size_t> alerted_subjects(const std::filesystem::path& log) {
  std::set<std::string> subjects, ids;
  std::istringstream in(read_file(log));
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto alert = nlohmann::json::parse(line, nullptr, false);
    if (alert.is_discarded() || alert.value("rule_id", "") != "watched-subject") continue;
    ids.insert(alert["id"].get<std::string>());
    subjects.insert(alert["fields"]["subject.id"].get<std::string>());
  }
  return {subjects, ids.size()};
}

DaemonOptions relp_options(const std::string& listener_extra = "    protocol: relp\n") {
  DaemonOptions options(kRelpRules, false);
  options.listener_extra = listener_extra;
  options.email_extra = "    enabled: false\n";
  // Checkpoints often, so a kill finds both saved and unsaved evaluation.
  options.extra_config = "correlation:\n  checkpoint_interval: 1s\n";
  return options;
}

TEST(RelpE2E, HundredThousandEventsThroughOmrelpSurviveTwoKills) {
  ProbityDaemon daemon(relp_options());
  ASSERT_TRUE(daemon.start());
  const auto relay_port = pick_free_port();
  TempDir relay_dir("probity-rsyslog-relp");
  RsyslogRelpRelay relay(relay_port, daemon.syslog_port, relay_dir.path());
  ASSERT_TRUE(relay.ready()) << relay.log();

  std::atomic<bool> sent = false;
  std::thread sender([&] {
    std::string batch;
    for (int i = 1; i <= kEvents; ++i) {
      batch += access_frame(i);
      if (i % 5000 == 0) {
        EXPECT_TRUE(send_tcp(relay_port, batch));
        batch.clear();
      }
    }
    sent = true;
  });
  // Two SIGKILLs while the stream flows; each time Probity comes back on the same state.
  for (const long long at : {20'000LL, 55'000LL}) {
    ASSERT_TRUE(wait_until(
        [&] {
          return daemon.metric("probity_journal_appended_total") >= at ||
                 !daemon.process()->running();
        },
        std::chrono::seconds(120)))
        << daemon.process()->log();
    daemon.process()->signal(SIGKILL);
    ASSERT_TRUE(wait_until([&] { return !daemon.process()->running(); }, std::chrono::seconds(10)));
    ASSERT_TRUE(daemon.start());
  }
  sender.join();
  ASSERT_TRUE(sent);
  const std::size_t expected = kEvents / kEvery;
  const auto jsonl = daemon.dir / "state" / "alerts.jsonl";
  EXPECT_TRUE(wait_until([&] { return alerted_subjects(jsonl).first.size() >= expected; },
                         std::chrono::seconds(180)))
      << alerted_subjects(jsonl).first.size() << " of " << expected << "\n"
      << daemon.process()->log() << relay.log();
  // A moment for anything duplicated to show, then a clean stop.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(daemon.stop(), 0);
  const auto [subjects, alerts] = alerted_subjects(jsonl);
  EXPECT_EQ(subjects.size(), expected);
  EXPECT_EQ(alerts, expected) << "an alert was raised twice";
  for (int i = kEvery; i <= kEvents; i += kEvery)
    if (!subjects.contains("W" + std::to_string(i))) {
      ADD_FAILURE() << "no alert for event " << i;
      break;
    }
  // What the kills interrupted was evaluated again at restart or re-sent and recognised.
  const auto log = daemon.process()->log();
  EXPECT_NE(log.find("probity stopped"), std::string::npos) << log;
}

TEST(RelpE2E, RsyslogOverRelpWithMutualTlsIsAcknowledged) {
  TestPki pki;
  pki.issue("server", "probity.test", "DNS:probity.test");
  pki.issue("client", "relay.test", "DNS:relay.test");
  ASSERT_TRUE(pki.ok());
  ProbityDaemon daemon(relp_options(
      "    protocol: relp\n    tls:\n      cert_file: " + pki.at("server.pem") +
      "\n      key_file: " + pki.at("server.key") + "\n      ca_file: " + pki.at("ca.pem") +
      "\n      require_client_cert: true\n      allowed_names: [relay.test]\n"));
  ASSERT_TRUE(daemon.start());
  const auto relay_port = pick_free_port();
  TempDir relay_dir("probity-rsyslog-relp-tls");
  RsyslogRelpRelay relay(relay_port, daemon.syslog_port, relay_dir.path(),
                         "tls=\"on\" tls.caCert=\"" + pki.at("ca.pem") + "\" tls.myCert=\"" +
                             pki.at("client.pem") + "\" tls.myPrivKey=\"" + pki.at("client.key") +
                             "\" tls.authMode=\"name\" tls.permittedPeer=[\"probity.test\"]");
  ASSERT_TRUE(relay.ready()) << relay.log();
  ASSERT_TRUE(send_tcp(relay_port, access_frame(kEvery) + access_frame(kEvery + 1)));
  EXPECT_TRUE(daemon.wait_metric("probity_relp_acknowledged_total", 2))
      << daemon.process()->log() << relay.log();
  EXPECT_EQ(daemon.metric("probity_rule_matches_total"), 1);
  EXPECT_EQ(daemon.metric("probity_tls_handshake_failures_total"), 0);
  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace
}  // namespace probity::testing
