// SiemChannel against a real rsyslog collector on a loopback port: octet-counted RFC 5424
// records over plain TCP and over TLS (GnuTLS driver, mutual x509/name), a collector
// restart between alerts, and a collector whose certificate does not match.
#include "alerts/siem_channel.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <thread>

#include "alerts/cef.h"
#include "syslog_collector.h"
#include "test_pki.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;
using namespace probity::testing;
using namespace std::chrono_literals;

namespace {

/// The collector's certificate names 127.0.0.1; ours names probity.test.
std::unique_ptr<TestPki> make_pki() {
  auto pki = std::make_unique<TestPki>();
  pki->issue("collector", "127.0.0.1", "IP:127.0.0.1");
  pki->issue("client", "probity.test", "DNS:probity.test");
  return pki;
}

Alert stored_alert(const std::string& id, const std::string& severity) {
  Alert a;
  a.id = id;
  a.rule_id = "pnc-lookup-of-declared-associate";
  a.title = "PNC lookup | declared associate";
  a.severity = severity;
  a.message = "real.person looked up P-77 on PNC";
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  a.raised_at = *event::parse_time("2026-11-24T19:59:59Z");
  a.user_id = "real.person";
  a.shown = ShownAlert{.key_id = "k1",
                       .user = "u-1a2b",
                       .message = "u-1a2b looked up a person on PNC: reason=\"none\"",
                       .fields = {},
                       .events_json = {},
                       .lookups = {}};
  return a;
}

SiemConfig plain_config(const SyslogCollector& collector) {
  SiemConfig c;
  c.name = "force-siem";
  c.host = "127.0.0.1";
  c.port = collector.port();
  c.tls = false;
  c.timeout = 5s;
  c.hostname = "probity-host.test";
  c.product_version = "0.1.0";
  return c;
}

SiemConfig tls_config(const SyslogCollector& collector, const TestPki& pki) {
  SiemConfig c = plain_config(collector);
  c.tls = true;
  c.ca_file = pki.at("ca.pem");
  c.cert_file = pki.at("client.pem");
  c.key_file = pki.at("client.key");
  return c;
}

std::unique_ptr<SiemChannel> channel(const SiemConfig& config) {
  auto made = SiemChannel::create(config);
  if (!made) ADD_FAILURE() << made.error().message;
  return made ? std::move(*made) : nullptr;
}

// authpriv (10) * 8 + the syslog severity: high 3 (err), low 5 (notice).
void expect_cef_record(const SyslogRecord& r, const Alert& alert, const std::string& pri) {
  EXPECT_EQ(r.pri, pri);
  EXPECT_EQ(r.version, "1");  // parsed as RFC 5424
  EXPECT_EQ(r.hostname, "probity-host.test");
  EXPECT_EQ(r.app_name, "probity");
  EXPECT_EQ(r.msgid, "alert");
  EXPECT_EQ(r.structured_data, "-");
  EXPECT_EQ(r.msg, to_cef(as_shown(alert), "0.1.0"));
}

TEST(SiemChannel, SendsEachAlertAsOneCefRecordOverMutualTls) {
  const auto pki = make_pki();
  ASSERT_TRUE(pki->ok());
  SyslogCollector collector(pki.get());
  ASSERT_TRUE(collector.ready()) << collector.log();
  auto ch = channel(tls_config(collector, *pki));
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->kind(), "siem");

  const Alert first = stored_alert("A1", "high");
  const Alert second = stored_alert("A2", "low");
  const auto r1 = ch->send(first);
  ASSERT_TRUE(r1) << r1.error().message;
  const auto r2 = ch->send(second);
  ASSERT_TRUE(r2) << r2.error().message;

  const auto records = collector.wait_for(2);
  ASSERT_EQ(records.size(), 2u) << collector.log();
  expect_cef_record(records[0], first, "83");
  expect_cef_record(records[1], second, "85");
  EXPECT_EQ(records[0].msg.find("real.person"), std::string::npos);
}

TEST(SiemChannel, SendsJsonRecordsOverPlainTcp) {
  SyslogCollector collector;
  ASSERT_TRUE(collector.ready()) << collector.log();
  auto config = plain_config(collector);
  config.format = "json";
  auto ch = channel(config);
  ASSERT_TRUE(ch);

  const auto sent = ch->send_digest({stored_alert("A1", "critical"), stored_alert("A2", "medium")},
                                    *event::parse_time("2026-11-24T20:10:00Z"));
  ASSERT_TRUE(sent) << sent.error().message;
  const auto records = collector.wait_for(2);
  ASSERT_EQ(records.size(), 2u) << collector.log();
  EXPECT_EQ(records[0].pri, "82");
  EXPECT_EQ(records[1].pri, "84");
  for (std::size_t i = 0; i < 2; ++i) {
    const auto decoded = alert_from_json(records[i].msg);
    ASSERT_TRUE(decoded) << records[i].msg;
    EXPECT_EQ(decoded->id, i == 0 ? "A1" : "A2");
    EXPECT_EQ(decoded->user_id, "u-1a2b");
    EXPECT_FALSE(decoded->shown.has_value());
    EXPECT_EQ(records[i].msg.find("real.person"), std::string::npos);
  }
}

// The first send after a restart must not be written into the dead connection and lost,
// nor fail and wait for the outbox's next retry.
void expect_restart_survived(SyslogCollector& collector, SiemChannel& ch) {
  ASSERT_TRUE(collector.ready()) << collector.log();
  const auto r1 = ch.send(stored_alert("A1", "high"));
  ASSERT_TRUE(r1) << r1.error().message;
  ASSERT_EQ(collector.wait_for(1).size(), 1u) << collector.log();

  collector.stop();
  ASSERT_TRUE(collector.start()) << collector.log();
  const auto r2 = ch.send(stored_alert("A2", "high"));
  ASSERT_TRUE(r2) << r2.error().message;
  const auto records = collector.wait_for(2);
  ASSERT_EQ(records.size(), 2u) << collector.log();
  EXPECT_NE(records[1].msg.find("externalId=A2 "), std::string::npos) << records[1].msg;
}

TEST(SiemChannel, ACollectorRestartBetweenAlertsLosesNothingOverTcp) {
  SyslogCollector collector;
  auto ch = channel(plain_config(collector));
  ASSERT_TRUE(ch);
  expect_restart_survived(collector, *ch);
}

TEST(SiemChannel, ACollectorRestartBetweenAlertsLosesNothingOverTls) {
  const auto pki = make_pki();
  ASSERT_TRUE(pki->ok());
  SyslogCollector collector(pki.get());
  auto ch = channel(tls_config(collector, *pki));
  ASSERT_TRUE(ch);
  expect_restart_survived(collector, *ch);
}

TEST(SiemChannel, ADownCollectorIsAnErrorAndTheNextSendReconnects) {
  SyslogCollector collector;
  ASSERT_TRUE(collector.ready()) << collector.log();
  collector.stop();
  auto ch = channel(plain_config(collector));
  ASSERT_TRUE(ch);
  const auto start = std::chrono::steady_clock::now();
  const auto refused = ch->send(stored_alert("A1", "high"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().message.starts_with("siem force-siem: cannot connect to 127.0.0.1:" +
                                                  std::to_string(collector.port())))
      << refused.error().message;

  ASSERT_TRUE(collector.start()) << collector.log();
  const auto sent = ch->send(stored_alert("A1", "high"));
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(collector.wait_for(1).size(), 1u);
}

TEST(SiemChannel, ACollectorWhoseCertificateDoesNotMatchIsRefused) {
  const auto pki = make_pki();
  ASSERT_TRUE(pki->ok());
  SyslogCollector collector(pki.get());
  ASSERT_TRUE(collector.ready()) << collector.log();

  // The collector's certificate names 127.0.0.1, not "localhost".
  auto wrong_name = tls_config(collector, *pki);
  wrong_name.host = "localhost";
  // Without the test CA, the system's CAs do not trust it.
  auto unknown_ca = tls_config(collector, *pki);
  unknown_ca.ca_file.clear();
  for (const auto& config : {wrong_name, unknown_ca}) {
    auto ch = channel(config);
    ASSERT_TRUE(ch);
    const auto sent = ch->send(stored_alert("A1", "high"));
    ASSERT_FALSE(sent) << config.host;
    EXPECT_TRUE(
        sent.error().message.starts_with("siem force-siem: cannot connect to " + config.host + ":"))
        << sent.error().message;
  }

  std::this_thread::sleep_for(300ms);  // anything that got through would be logged by now
  EXPECT_TRUE(collector.records().empty());
}

TEST(SiemChannel, CreateRejectsAnUnknownFormatAndUnreadableFiles) {
  SiemConfig c;
  c.name = "force-siem";
  c.host = "siem.example";
  c.format = "leef";
  auto made = SiemChannel::create(c);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message, "siem force-siem: format must be cef or json, not leef");

  c.format = "cef";
  c.ca_file = "/nonexistent/ca.pem";
  made = SiemChannel::create(c);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message, "siem force-siem: cannot read /nonexistent/ca.pem");

  c.ca_file.clear();
  c.host.clear();
  EXPECT_FALSE(SiemChannel::create(c));
}

}  // namespace
