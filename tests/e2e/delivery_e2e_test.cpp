// Delivery end to end (issue #13): `probity run` with alerts.recipients, routes, webhooks and
// a SIEM output, events sent with the real `logger`, and real peers receiving: aiosmtpd for
// mail, webhook_receiver.py for the webhook, rsyslogd over mutual TLS for the SIEM.
// Not for the message text (pipeline_e2e_test.cpp) or a channel's own failures (unit tests).
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon_fixture.h"
#include "smtp_server.h"
#include "syslog_collector.h"
#include "test_pki.h"
#include "webhook_receiver.h"

namespace probity::testing {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

// Each rule fires once per matching event: no suppression, so a flood is a flood.
constexpr const char* kDeliveryRules = R"(
- detection: protected-person-lookup
  title: Look-up of a protected person
  severity: critical
  condition: event.kind == "access" and action == "protected-lookup"
  alert: "{user.id} looked up protected person {subject.id}"
  fields: [user.id, subject.id]
- detection: unusual-view
  title: Unusual record view
  severity: medium
  condition: event.kind == "access" and action == "view"
  alert: "{user.id} viewed {subject.id}"
  fields: [user.id, subject.id]
- detection: record-export
  title: Record exported
  severity: low
  condition: event.kind == "access" and action == "export"
  alert: "{user.id} exported {subject.id}"
  fields: [user.id, subject.id]
)";

// The real identity that no channel but the audited reveal may show.
constexpr const char* kUser = "PC1001";

/// One received message as a mail client reads it.
struct Mail {
  std::vector<std::string> rcpt;  ///< the envelope's RCPT TO addresses
  std::string subject;
  std::string text;              ///< the text/plain body, decoded
  std::vector<std::string> ids;  ///< every "Alert id: X" in the text
  bool digest() const { return subject.find("[DIGEST]") != std::string::npos; }
};

// Python's email module decodes what arrived (quoted-printable, multipart) as a client does.
std::vector<Mail> read_mails(const std::filesystem::path& received) {
  constexpr const char* kScript = R"(
import email, glob, json, os, re, sys
from email import policy
out = []
for eml in sorted(glob.glob(os.path.join(sys.argv[1], '*.eml'))):
    msg = email.message_from_bytes(open(eml, 'rb').read(), policy=policy.default)
    rcpt = open(eml[:-4] + '.env').read().splitlines()[1:]
    text = msg.get_body(preferencelist=('plain',)).get_content()
    out.append({'rcpt': rcpt, 'subject': str(msg['Subject']), 'text': text,
                'ids': re.findall(r'Alert id:\s+(\S+)', text)})
print(json.dumps(out))
)";
  if (!std::filesystem::exists(received)) return {};
  const auto r = run_program({"/usr/bin/python3", "-c", kScript, received.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const auto j = Json::parse(r.output, nullptr, false);
  if (j.is_discarded()) {
    ADD_FAILURE() << r.output;
    return {};
  }
  std::vector<Mail> out;
  for (const auto& m : j)
    out.push_back({m["rcpt"].get<std::vector<std::string>>(), m["subject"], m["text"],
                   m["ids"].get<std::vector<std::string>>()});
  return out;
}

std::string describe(const std::vector<Mail>& mails) {
  std::string s;
  for (const auto& m : mails) {
    s += "To:";
    for (const auto& r : m.rcpt) s += " " + r;
    s += "  Subject: " + m.subject + "  (" + std::to_string(m.ids.size()) + " alert ids)\n";
  }
  return s;
}

/// Stored alerts of `rule` (the daemon's JSONL log), oldest first.
std::vector<Json> stored(const ProbityDaemon& daemon, const std::string& rule) {
  std::ifstream in(daemon.dir / "state" / "alerts.jsonl");
  std::vector<Json> out;
  for (std::string line; std::getline(in, line);) {
    auto j = Json::parse(line, nullptr, false);
    if (!j.is_discarded() && j["rule_id"] == rule) out.push_back(std::move(j));
  }
  return out;
}

/// One access event as a probity-json line; the n-th event is n ms after 09:00.
std::string json_event(const std::string& action, int n) {
  char time[32];
  std::snprintf(time, sizeof time, "2026-12-01T09:%02d:%02d.%03dZ", n / 60000, (n / 1000) % 60,
                n % 1000);
  return "{\"event.kind\":\"access\",\"event.id\":\"" + action + "-" + std::to_string(n) +
         "\",\"event.time\":\"" + time + "\",\"user.id\":\"" + kUser +
         "\",\"source.system\":\"PNC\",\"action\":\"" + action + "\",\"subject.id\":\"P" +
         std::to_string(100000 + n) + "\"}\n";
}

/// Access events as probity-json lines with their own event.id and event.time: the same
/// file sent twice is the same events sent twice, whenever logger sends it.
std::string access_events(const std::string& action, int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) out += json_event(action, i);
  return out;
}

}  // namespace

class DeliveryE2E : public ::testing::Test {
 protected:
  /// The daemon with admins_to set, `alerts_extra` under alerts: and `email_extra` under
  /// alerts.email:, and the SMTP sink on its port. False (with a failure) when either did
  /// not start.
  bool start(const std::string& alerts_extra, const std::string& email_extra = "") {
    DaemonOptions options(kDeliveryRules);
    options.alerts_extra = alerts_extra;
    options.email_extra = "    admins_to: admins@force.example\n" + email_extra;
    daemon_ = std::make_unique<ProbityDaemon>(options);
    smtp_ = std::make_unique<SmtpServer>(daemon_->smtp_port, daemon_->dir / "mail");
    if (!smtp_->ready()) {
      ADD_FAILURE() << "aiosmtpd did not start:\n" << smtp_->log();
      return false;
    }
    return daemon_->start();
  }

  /// Every message received so far, decoded (one python3 run: poll with wait_for_mail).
  std::vector<Mail> mails() const { return read_mails(daemon_->dir / "mail" / "received"); }
  std::size_t mail_count() const { return smtp_->mails().size(); }

  /// Polls `done` with the received mail every 250 ms (decoding takes a python3 run; the
  /// machine is shared) until it holds or `timeout` passes.
  bool wait_for_mail(const std::function<bool(const std::vector<Mail>&)>& done,
                     std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(mails())) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(250ms);
    }
    return true;
  }

  std::filesystem::path write_events(const std::string& name, const std::string& lines) const {
    write_file(daemon_->dir / name, lines);
    return daemon_->dir / name;
  }

  /// Sends every line of `file` as one message with `logger -f`, over one TCP connection.
  void send_file(const std::filesystem::path& file) const {
    const auto r =
        run_program({require_program("logger", "bsdutils"), "--tcp", "--octet-count", "--rfc5424",
                     "-n", "127.0.0.1", "-P", std::to_string(daemon_->syslog_port), "-t",
                     "probity-json", "-f", file.string()});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  void send_lookup(const std::string& action, const std::string& subject) const {
    const auto r = daemon_->log_access(daemon_->syslog_port, {{"user.id", kUser},
                                                              {"source.system", "PNC"},
                                                              {"action", action},
                                                              {"subject.type", "person"},
                                                              {"subject.id", subject}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  std::string log() const { return daemon_->process()->log(); }

  std::unique_ptr<ProbityDaemon> daemon_;
  std::unique_ptr<SmtpServer> smtp_;
};

constexpr const char* kPsdRoutes = R"(  recipients:
    psd-duty: duty@force.example
    psd-intel: [intel@force.example]
  routes:
    - name: urgent
      match: {severity: [critical, high]}
      to: [psd-duty]
    - name: intelligence
      match: {severity: [medium, low]}
      to: [psd-intel]
      digest: 4s
)";

TEST_F(DeliveryE2E, CriticalGoesToDutyAtOnceAndThreeMediumsToIntelInOneDigestAtTheTick) {
  ASSERT_TRUE(start(kPsdRoutes));
  const auto sent_mediums = std::chrono::steady_clock::now();
  for (const char* subject : {"P0000001", "P0000002", "P0000003"}) send_lookup("view", subject);
  send_lookup("protected-lookup", "P0042117");
  ASSERT_TRUE(wait_until([&] { return mail_count() >= 1; }, 20s)) << log();

  // The critical alert: at once, to the duty group alone, and only it.
  auto got = mails();
  ASSERT_EQ(got.size(), 1u) << describe(got);
  EXPECT_EQ(got[0].rcpt, std::vector<std::string>{"duty@force.example"});
  const auto critical = stored(*daemon_, "protected-person-lookup");
  ASSERT_EQ(critical.size(), 1u);
  EXPECT_EQ(got[0].ids, std::vector<std::string>{critical[0]["id"].get<std::string>()});
  EXPECT_NE(got[0].subject.find("Look-up of a protected person"), std::string::npos);
  EXPECT_TRUE(daemon_->wait_metric("probity_alerts_stored_total", 4)) << log();

  // The three mediums: one digest to intel when the route's period is up, not before.
  ASSERT_TRUE(wait_until([&] { return mail_count() >= 2; }, 20s)) << log();
  const auto waited = std::chrono::steady_clock::now() - sent_mediums;
  EXPECT_GE(waited, 3s);
  std::this_thread::sleep_for(1500ms);  // a second digest or a stray mail would show now
  got = mails();
  ASSERT_EQ(got.size(), 2u) << describe(got);
  const Mail& digest = got[1];
  EXPECT_TRUE(digest.digest()) << digest.subject;
  EXPECT_EQ(digest.rcpt, std::vector<std::string>{"intel@force.example"});
  EXPECT_NE(digest.subject.find("3 alerts for psd-intel"), std::string::npos) << digest.subject;
  std::set<std::string> medium_ids;
  for (const auto& a : stored(*daemon_, "unusual-view")) medium_ids.insert(a["id"]);
  ASSERT_EQ(medium_ids.size(), 3u);
  EXPECT_EQ(std::set<std::string>(digest.ids.begin(), digest.ids.end()), medium_ids) << digest.text;
  for (const char* subject : {"P0000001", "P0000002", "P0000003"})
    EXPECT_NE(digest.text.find(subject), std::string::npos) << digest.text;
  for (const auto& m : got) EXPECT_EQ(m.text.find(kUser), std::string::npos) << m.text;
  EXPECT_EQ(daemon_->metric("probity_alerts_digests_sent_total"), 1);
  EXPECT_EQ(daemon_->stop(), 0);
}

TEST_F(DeliveryE2E, AFailedRuleReloadMailsTheAdminsAlone) {
  ASSERT_TRUE(start(kPsdRoutes));
  // The reload alert is critical: the urgent route's severity match must not take it.
  write_file(daemon_->dir / "rules/test.yaml",
             std::string(kDeliveryRules) + "- detection: broken\n");
  daemon_->process()->signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return mail_count() >= 1; }, 20s)) << log();
  std::this_thread::sleep_for(1500ms);
  const auto got = mails();
  ASSERT_EQ(got.size(), 1u) << describe(got);
  EXPECT_EQ(got[0].rcpt, std::vector<std::string>{"admins@force.example"});
  EXPECT_NE(got[0].subject.find("Rule reload failed"), std::string::npos) << got[0].subject;
  EXPECT_EQ(stored(*daemon_, "probity-rules-reload-failed").size(), 1u);
  EXPECT_EQ(daemon_->stop(), 0);
}

constexpr const char* kExportRoute = R"(  routes:
    - name: exports
      match: {rule: record-export}
      to: [psd]
      max_per_rule_per_hour: {limit}
)";

std::string export_route(int limit) {
  std::string route = kExportRoute;
  route.replace(route.find("{limit}"), 7, std::to_string(limit));
  return route;
}

/// What a flood of `sent` alerts of record-export past a limit of `limit` must have mailed:
/// `limit` single mails to psd, one rate-limit alert to admins, and digests to psd listing
/// the rest, each alert exactly once. Returns false (with a failure) when it has not.
bool expect_flood_mail(const std::vector<Mail>& got, const std::vector<Json>& alerts,
                       std::size_t limit) {
  std::set<std::string> stored_ids, mailed;
  for (const auto& a : alerts) stored_ids.insert(a["id"]);
  std::size_t singles = 0, floods = 0, digests = 0, listed = 0;
  for (const auto& m : got) {
    if (m.rcpt == std::vector<std::string>{"admins@force.example"}) {
      ++floods;
      EXPECT_NE(m.subject.find("past a rate limit"), std::string::npos) << m.subject;
      continue;
    }
    EXPECT_EQ(m.rcpt, std::vector<std::string>{"psd@force.example"}) << m.subject;
    EXPECT_EQ(m.text.find(kUser), std::string::npos);
    if (m.digest()) {
      ++digests;
    } else {
      ++singles;
      EXPECT_EQ(m.ids.size(), 1u) << m.text;
    }
    for (const auto& id : m.ids) {
      ++listed;
      EXPECT_TRUE(stored_ids.contains(id)) << id;
      EXPECT_TRUE(mailed.insert(id).second) << id << " mailed twice";
    }
  }
  EXPECT_EQ(singles, limit) << describe(got);
  EXPECT_EQ(floods, 1u) << describe(got);
  EXPECT_GE(digests, 1u) << describe(got);
  EXPECT_EQ(listed, alerts.size()) << describe(got);
  EXPECT_EQ(mailed, stored_ids);
  return !::testing::Test::HasFailure();
}

std::size_t alerts_mailed(const std::vector<Mail>& got) {
  std::size_t n = 0;
  for (const auto& m : got)
    if (m.rcpt != std::vector<std::string>{"admins@force.example"}) n += m.ids.size();
  return n;
}

TEST_F(DeliveryE2E, AFloodOf500MailsFiveThenOneRateLimitAlertAndDigestsOfTheRest) {
  ASSERT_TRUE(start(export_route(5), "    digest_interval: 3s\n"));
  send_file(write_events("exports.jsonl", access_events("export", 500)));
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_stored_total", 501, 60s))
      << daemon_->metric("probity_alerts_stored_total") << "\n"
      << log();
  ASSERT_TRUE(wait_for_mail([](const auto& got) { return alerts_mailed(got) >= 500; }, 30s))
      << describe(mails()) << log();
  std::this_thread::sleep_for(4s);  // past one more digest interval: nothing else comes
  const auto got = mails();
  EXPECT_EQ(stored(*daemon_, "record-export").size(), 500u);
  expect_flood_mail(got, stored(*daemon_, "record-export"), 5);
  EXPECT_EQ(stored(*daemon_, "probity-mail-flood-limit").size(), 1u);
  EXPECT_EQ(daemon_->metric("probity_alerts_stored_total"), 501);
  EXPECT_EQ(daemon_->metric("probity_alerts_mail_held_total"), 495);
  EXPECT_EQ(daemon_->stop(), 0);
  const auto list = daemon_->probity({"alerts", "list", "--rule", "record-export", "-n", "1"});
  EXPECT_NE(list.output.find("500 alerts match"), std::string::npos) << list.output;
}

// After a restart the rate-limit buckets are full again: only the stored origins keep the
// same events from being mailed a second time.
TEST_F(DeliveryE2E, TheSameEventsSentAgainAfterARestartMailNothingNew) {
  ASSERT_TRUE(start(export_route(3), "    digest_interval: 2s\n"));
  const auto events = write_events("exports.jsonl", access_events("export", 8));
  send_file(events);
  ASSERT_TRUE(wait_for_mail([](const auto& got) { return alerts_mailed(got) >= 8; }, 30s))
      << describe(mails()) << log();
  std::this_thread::sleep_for(3s);
  const auto before = mails();
  ASSERT_TRUE(expect_flood_mail(before, stored(*daemon_, "record-export"), 3));
  ASSERT_EQ(daemon_->stop(), 0);

  ASSERT_TRUE(daemon_->start());
  send_file(events);  // the same file: the same events
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_already_raised_total", 8)) << log();
  std::this_thread::sleep_for(3s);  // past a digest interval
  const auto after = mails();
  EXPECT_EQ(after.size(), before.size()) << describe(after);
  EXPECT_EQ(daemon_->metric("probity_alerts_stored_total"), 0);
  EXPECT_EQ(stored(*daemon_, "record-export").size(), 8u);
  EXPECT_EQ(daemon_->stop(), 0);
}

constexpr const char* kWebhookSecret = "correct-horse-battery-staple";

// Recomputed here, the way the receiving system checks it.
std::string expected_signature(const ReceivedRequest& r) {
  const std::string signed_text = r.header("X-Probity-Timestamp") + "." + r.body;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), kWebhookSecret, static_cast<int>(std::string_view(kWebhookSecret).size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), md, &n);
  std::string hex = "sha256=";
  for (unsigned int i = 0; i < n; ++i) {
    constexpr const char* kDigits = "0123456789abcdef";
    hex += kDigits[md[i] >> 4];
    hex += kDigits[md[i] & 0xf];
  }
  return hex;
}

TEST_F(DeliveryE2E, AWebhookDownAtFirstGetsTheAlertSignedAndPseudonymisedOnceItIsUp) {
  TempDir keys("probity-webhook-secret");
  write_file(keys / "secret", std::string(kWebhookSecret) + "\n");
  std::filesystem::permissions(
      keys / "secret", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  WebhookReceiver receiver({}, {}, /*start_now=*/false);
  ASSERT_TRUE(start("  webhooks:\n    - name: case-system\n      url: " + receiver.url() +
                    "\n      secret_file: " + (keys / "secret").string() +
                    "\n      timeout: 2s\n"
                    "  routes:\n    - match: {min_severity: low}\n      to: [case-system]\n"));

  send_lookup("protected-lookup", "P0042117");
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_send_failures_total", 2)) << log();
  EXPECT_TRUE(receiver.requests().empty());
  ASSERT_TRUE(receiver.start()) << receiver.log();
  ASSERT_TRUE(wait_until([&] { return !receiver.requests().empty(); }, 20s))
      << log() << receiver.log();
  std::this_thread::sleep_for(1500ms);  // delivered once: no second POST after the 200

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u) << receiver.log();
  const auto& r = requests[0];
  const auto alerts = stored(*daemon_, "protected-person-lookup");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["user_id"].get<std::string>(), kUser);  // the store keeps who it was
  EXPECT_TRUE(r.head.starts_with("POST /hook HTTP/1.1\n")) << r.head;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("X-Probity-Alert-Id"), alerts[0]["id"].get<std::string>());
  EXPECT_EQ(r.header("X-Probity-Signature"), expected_signature(r)) << r.head;
  EXPECT_EQ(r.body.find(kUser), std::string::npos) << r.body;
  const auto body = Json::parse(r.body, nullptr, false);
  ASSERT_FALSE(body.is_discarded()) << r.body;
  EXPECT_EQ(body["id"], alerts[0]["id"]);
  EXPECT_EQ(body["rule_id"], "protected-person-lookup");
  EXPECT_TRUE(body["user_id"].get<std::string>().starts_with("PSN-")) << r.body;
  EXPECT_EQ(daemon_->metric("probity_alerts_outbox_pending"), 0);
  EXPECT_EQ(daemon_->stop(), 0);
}

TEST_F(DeliveryE2E, ASiemOverMutualTlsReadsBackTheCefRecordOfARaisedAlert) {
  TestPki pki;
  pki.issue("collector", "127.0.0.1", "IP:127.0.0.1");
  pki.issue("client", "probity.test", "DNS:probity.test");
  ASSERT_TRUE(pki.ok());
  SyslogCollector collector(&pki);
  ASSERT_TRUE(collector.ready()) << collector.log();
  ASSERT_TRUE(start("  siem:\n    - name: force-siem\n      host: 127.0.0.1\n      port: " +
                    std::to_string(collector.port()) + "\n      ca_file: " + pki.at("ca.pem") +
                    "\n      cert_file: " + pki.at("client.pem") +
                    "\n      key_file: " + pki.at("client.key") +
                    "\n      hostname: probity-host.test\n      timeout: 5s\n"
                    "  routes:\n    - match: {min_severity: low}\n      to: [force-siem]\n"));

  send_lookup("protected-lookup", "P0042117");
  const auto records = collector.wait_for(1);
  ASSERT_EQ(records.size(), 1u) << log() << collector.log();
  const auto alerts = stored(*daemon_, "protected-person-lookup");
  ASSERT_EQ(alerts.size(), 1u);
  const std::string id = alerts[0]["id"];
  const auto& r = records[0];
  EXPECT_EQ(r.pri, "82");  // authpriv (10) * 8 + crit (2)
  EXPECT_EQ(r.version, "1");
  EXPECT_EQ(r.hostname, "probity-host.test");
  EXPECT_EQ(r.app_name, "probity");
  EXPECT_EQ(r.msgid, "alert");
  EXPECT_TRUE(r.msg.starts_with("CEF:0|Probity|Probity|")) << r.msg;
  EXPECT_NE(r.msg.find("|protected-person-lookup|Look-up of a protected person|10|"),
            std::string::npos)
      << r.msg;
  EXPECT_NE(r.msg.find(" externalId=" + id + " "), std::string::npos) << r.msg;
  EXPECT_NE(r.msg.find("suser=PSN-"), std::string::npos) << r.msg;
  EXPECT_NE(r.msg.find("P0042117"), std::string::npos) << r.msg;
  EXPECT_EQ(r.msg.find(kUser), std::string::npos) << r.msg;
  EXPECT_EQ(daemon_->stop(), 0);
}

}  // namespace probity::testing
