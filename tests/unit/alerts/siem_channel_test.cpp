// SiemChannel against a real rsyslog collector on a loopback port: octet-counted RFC 5424
// records over plain TCP and over TLS (GnuTLS driver, mutual x509/name), a collector
// restart between alerts, and a collector whose certificate does not match.
#include "alerts/siem_channel.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <thread>

#include "alerts/cef.h"
#include "test_pki.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;
using namespace probity::testing;
using namespace std::chrono_literals;

namespace {

/// One record as the collector parsed it (the template below).
struct Record {
  std::string pri, version, hostname, app_name, msgid, structured_data, msg;
};

/// rsyslogd with imtcp on a port it keeps across restarts, writing each record it parses
/// to a file. With a TestPki: TLS only, and only a client presenting probity.test.
class Collector {
 public:
  explicit Collector(const TestPki* pki = nullptr) {
    std::string conf = "global(workDirectory=\"" + dir_.path().string() + "\"";
    std::string imtcp = "module(load=\"imtcp\"";
    if (pki) {
      conf += " DefaultNetstreamDriverCAFile=\"" + pki->at("ca.pem") +
              "\" DefaultNetstreamDriverCertFile=\"" + pki->at("collector.pem") +
              "\" DefaultNetstreamDriverKeyFile=\"" + pki->at("collector.key") + "\"";
      imtcp +=
          " StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\""
          " StreamDriver.AuthMode=\"x509/name\" PermittedPeer=[\"probity.test\"]";
    }
    // '\t' between the parts: the CEF message itself is full of '|'.
    conf += ")\n" + imtcp +
            ")\n"
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
            std::to_string(port_) +
            "\")\n"
            "template(name=\"record\" type=\"string\" string=\"%pri%\\t%protocol-version%\\t"
            "%hostname%\\t%app-name%\\t%msgid%\\t%structured-data%\\t%msg%\\n\")\n"
            "action(type=\"omfile\" file=\"" +
            (dir_ / "received.log").string() + "\" template=\"record\")\n";
    write_file(dir_ / "rsyslog.conf", conf);
    start();
  }

  /// Starts rsyslogd (again) and waits until it accepts connections.
  bool start() {
    const std::string rsyslogd = find_program("rsyslogd");
    if (rsyslogd.empty()) {
      ADD_FAILURE() << "rsyslogd is missing: install the Debian package rsyslog";
      return false;
    }
    process_.reset();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{rsyslogd, "-n", "-f", (dir_ / "rsyslog.conf").string(), "-i",
                                 (dir_ / "rsyslog.pid").string()},
        dir_ / ("rsyslog-" + std::to_string(++starts_) + ".log"));
    ready_ = wait_until([&] { return port_accepts(port_) || !process_->running(); }, 15s) &&
             process_->running();
    return ready_;
  }
  void stop() {
    if (process_) process_->stop();
    process_.reset();
  }

  bool ready() const { return ready_; }
  std::uint16_t port() const { return port_; }
  std::string log() const { return process_ ? process_->log() : ""; }

  std::vector<Record> records() const {
    std::vector<Record> out;
    std::istringstream in(read_file(dir_ / "received.log"));
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> parts;
      std::size_t start = 0;
      for (int i = 0; i < 6; ++i) {
        const auto tab = line.find('\t', start);
        if (tab == std::string::npos) break;
        parts.push_back(line.substr(start, tab - start));
        start = tab + 1;
      }
      if (parts.size() != 6) {
        ADD_FAILURE() << "unexpected record: " << line;
        continue;
      }
      out.push_back(
          {parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], line.substr(start)});
    }
    return out;
  }
  /// Waits until `count` records have arrived (or 10 s).
  std::vector<Record> wait_for(std::size_t count) const {
    wait_until([&] { return records().size() >= count; }, 10s);
    return records();
  }

 private:
  TempDir dir_{"probity-collector"};
  std::uint16_t port_ = pick_free_port();
  std::unique_ptr<ChildProcess> process_;
  int starts_ = 0;
  bool ready_ = false;
};

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

SiemConfig plain_config(const Collector& collector) {
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

SiemConfig tls_config(const Collector& collector, const TestPki& pki) {
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
void expect_cef_record(const Record& r, const Alert& alert, const std::string& pri) {
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
  Collector collector(pki.get());
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
  Collector collector;
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
void expect_restart_survived(Collector& collector, SiemChannel& ch) {
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
  Collector collector;
  auto ch = channel(plain_config(collector));
  ASSERT_TRUE(ch);
  expect_restart_survived(collector, *ch);
}

TEST(SiemChannel, ACollectorRestartBetweenAlertsLosesNothingOverTls) {
  const auto pki = make_pki();
  ASSERT_TRUE(pki->ok());
  Collector collector(pki.get());
  auto ch = channel(tls_config(collector, *pki));
  ASSERT_TRUE(ch);
  expect_restart_survived(collector, *ch);
}

TEST(SiemChannel, ADownCollectorIsAnErrorAndTheNextSendReconnects) {
  Collector collector;
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
  Collector collector(pki.get());
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
