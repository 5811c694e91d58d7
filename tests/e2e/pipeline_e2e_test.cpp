// End to end with real parts: `probity run` on a temp state dir, events sent by the real
// `logger` and through a real rsyslog relay, alerts received by a real SMTP server.
#include <csignal>
#include <thread>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "daemon_fixture.h"
#include "smtp_server.h"

namespace probity::testing {
namespace {

constexpr const char* kPipelineRules = R"(
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id} on {source.system}"
  fields: [user.id, subject.id, source.system]
)";

class PipelineE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    DaemonOptions options(kPipelineRules);
    options.email_extra = "    admins_to: admins@force.example\n";
    daemon_ = std::make_unique<ProbityDaemon>(options);
    daemon_->import("staff", "staff.csv",
                    "id,surname,forenames,emails,hr_status,vetting_level,vetting_expires\n"
                    "PC1001,Hartley,James,james.hartley@force.example,active,NPPV2,2030-01-01\n");
    daemon_->import("associations", "assoc.csv",
                    "staff_id,party_id,party_name,kind,declared_on\n"
                    "PC1001,P0042117,Daniel Hartley,family,2023-05-02\n");
  }

  void send_lookup(std::uint16_t port, const std::string& subject) {
    const auto r = daemon_->log_access(port, {{"user.id", "PC1001"},
                                              {"source.system", "PNC"},
                                              {"action", "query"},
                                              {"subject.type", "person"},
                                              {"subject.id", subject}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  std::unique_ptr<ProbityDaemon> daemon_;
};

TEST_F(PipelineE2E, LoggerEventRaisesAlertEmailAndNonMatchingEventDoesNot) {
  SmtpServer smtp(daemon_->smtp_port, daemon_->dir / "mail");
  ASSERT_TRUE(daemon_->start());

  send_lookup(daemon_->syslog_port, "P0999999");  // not an associate
  send_lookup(daemon_->syslog_port, "P0042117");  // declared family member
  ASSERT_TRUE(daemon_->wait_metric("probity_events_evaluated_total", 2))
      << daemon_->process()->log();
  ASSERT_TRUE(wait_until([&] { return !smtp.messages().empty(); }, std::chrono::seconds(20)))
      << daemon_->process()->log();

  const auto mails = smtp.messages();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find("Record look-up of a declared associate"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("P0042117"), std::string::npos) << mails[0];
  EXPECT_EQ(mails[0].find("P0999999"), std::string::npos) << mails[0];
  // The member of staff is pseudonymised in mail; the stored alert keeps the identity.
  EXPECT_EQ(mails[0].find("PC1001"), std::string::npos) << mails[0];
  EXPECT_NE(mails[0].find("PSN-"), std::string::npos) << mails[0];
  EXPECT_EQ(daemon_->metric("probity_alerts_stored_total"), 1);
  EXPECT_EQ(daemon_->metric("probity_rule_matches_total"), 1);
  // The alert's latency from arrival is measured: one observation, well under 10 s here.
  EXPECT_EQ(daemon_->metric("probity_event_to_alert_seconds_count"), 1);
  EXPECT_EQ(daemon_->metric("probity_event_to_alert_seconds_bucket{le=\"10\"}"), 1);
  EXPECT_EQ(daemon_->stop(), 0);

  // Opening the evidence needs a reason and is recorded before anything is shown.
  const auto list = daemon_->probity({"alerts", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_EQ(list.output.find("PC1001"), std::string::npos) << list.output;
  const auto row = list.output.rfind('\n', list.output.find("lookup-of-declared-associate"));
  const auto start = row == std::string::npos ? 0 : row + 1;
  const auto id = list.output.substr(start, list.output.find(' ', start) - start);
  EXPECT_NE(daemon_->probity({"alerts", "show", id}).exit_code, 0);  // no reason given
  const auto shown = daemon_->probity({"alerts", "show", id, "--reason", "PSD case 2026/114"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("PC1001"), std::string::npos) << shown.output;
  const auto trail = read_file(daemon_->dir / "state" / "consultations.jsonl");
  EXPECT_NE(trail.find("PSD case 2026/114"), std::string::npos) << trail;
  EXPECT_NE(trail.find(id), std::string::npos) << trail;
}

// One octet-counted RFC 5424 access event over a fresh TCP connection, sent as given: the
// bytes a sender re-sends after a reconnect, or a file replayed, are the same bytes.
void send_raw(std::uint16_t port, const std::string& message) {
  const std::string framed = std::to_string(message.size()) + " " + message;
  ASSERT_EQ(run_program({require_program("bash", "bash"), "-c",
                         "cat > /dev/tcp/127.0.0.1/" + std::to_string(port)},
                        framed)
                .exit_code,
            0);
}

std::string lookup_at(const std::string& time) {
  return "<86>1 " + time +
         " pnc-gw audit - - [access@32473 user.id=\"PC1001\" source.system=\"PNC\" "
         "action=\"query\" subject.type=\"person\" subject.id=\"P0042117\"] record consulted";
}

TEST_F(PipelineE2E, TheSameEventsSentAgainAfterARestartRaiseAndMailNothingNew) {
  SmtpServer smtp(daemon_->smtp_port, daemon_->dir / "mail");
  ASSERT_TRUE(daemon_->start());
  send_raw(daemon_->syslog_port, lookup_at("2026-12-01T10:00:00Z"));
  ASSERT_TRUE(wait_until([&] { return smtp.messages().size() == 1; }, std::chrono::seconds(20)))
      << daemon_->process()->log();
  ASSERT_EQ(daemon_->stop(), 0);

  ASSERT_TRUE(daemon_->start());
  send_raw(daemon_->syslog_port, lookup_at("2026-12-01T10:00:00Z"));  // re-sent twice
  send_raw(daemon_->syslog_port, lookup_at("2026-12-01T10:00:00Z"));
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_already_raised_total", 2))
      << daemon_->process()->log();
  send_raw(daemon_->syslog_port, lookup_at("2026-12-01T11:30:00Z"));  // a new look-up
  ASSERT_TRUE(wait_until([&] { return smtp.messages().size() == 2; }, std::chrono::seconds(20)))
      << daemon_->process()->log();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(smtp.messages().size(), 2u);
  EXPECT_EQ(daemon_->metric("probity_alerts_stored_total"), 1);
  ASSERT_EQ(daemon_->stop(), 0);
  const auto list = daemon_->probity({"alerts", "list"});
  EXPECT_NE(list.output.find("2 alerts match"), std::string::npos) << list.output;
}

// The received message as a mail client reads it: Python's email module parses the MIME
// structure and decodes each part; a defect it finds is reported with the parts.
nlohmann::json parse_with_python_email(const std::filesystem::path& eml) {
  constexpr const char* kScript = R"(
import email, json, sys
from email import policy
msg = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=policy.default)
out = {'type': msg.get_content_type(), 'defects': [repr(d) for d in msg.defects], 'parts': []}
for part in msg.iter_parts():
    out['defects'] += [repr(d) for d in part.defects]
    out['parts'].append({'type': part.get_content_type(), 'body': part.get_content()})
print(json.dumps(out))
)";
  const auto r = run_program({"/usr/bin/python3", "-c", kScript, eml.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  auto j = nlohmann::json::parse(r.output, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.output;
  return j;
}

TEST(PipelineE2EMail, AlertEmailIsMultipartWithGuidanceLinkRevealAndNoIdentity) {
  DaemonOptions options(R"(
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  description: A look-up of one's own associate is a conflict of interest.
  guidance: >
    Check the declared association register, then the CAD incident.
    Do not alert the officer.
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id} on {source.system}"
  fields: [user.id, subject.id, source.system]
)",
                        true, "time_zone: Europe/London\n");
  options.alerts_extra = "  link_base: https://probity.psd.example/\n";
  ProbityDaemon daemon(options);
  daemon.import("staff", "staff.csv",
                "id,surname,forenames,emails,hr_status,vetting_level,vetting_expires\n"
                "PC1001,Hartley,James,james.hartley@force.example,active,NPPV2,2030-01-01\n");
  daemon.import("associations", "assoc.csv",
                "staff_id,party_id,party_name,kind,declared_on\n"
                "PC1001,P0042117,Daniel Hartley,family,2023-05-02\n");
  SmtpServer smtp(daemon.smtp_port, daemon.dir / "mail");
  ASSERT_TRUE(daemon.start());
  const auto sent = daemon.log_access(daemon.syslog_port, {{"user.id", "PC1001"},
                                                           {"source.system", "PNC"},
                                                           {"action", "query"},
                                                           {"subject.type", "person"},
                                                           {"subject.id", "P0042117"}});
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  ASSERT_TRUE(wait_until([&] { return !smtp.messages().empty(); }, std::chrono::seconds(20)))
      << daemon.process()->log();
  EXPECT_EQ(daemon.stop(), 0);

  std::vector<std::filesystem::path> received;
  for (const auto& e : std::filesystem::directory_iterator(daemon.dir / "mail" / "received"))
    if (e.path().extension() == ".eml") received.push_back(e.path());
  ASSERT_EQ(received.size(), 1u);
  const auto mail = parse_with_python_email(received[0]);
  ASSERT_TRUE(mail.is_object());
  EXPECT_EQ(mail["type"], "multipart/alternative") << mail.dump(2);
  EXPECT_TRUE(mail["defects"].empty()) << mail.dump(2);
  ASSERT_EQ(mail["parts"].size(), 2u) << mail.dump(2);
  EXPECT_EQ(mail["parts"][0]["type"], "text/plain");
  EXPECT_EQ(mail["parts"][1]["type"], "text/html");
  const std::string text = mail["parts"][0]["body"];
  const std::string html = mail["parts"][1]["body"];

  const auto list = daemon.probity({"alerts", "list"});
  const auto row = list.output.rfind('\n', list.output.find("lookup-of-declared-associate"));
  const auto start = row == std::string::npos ? 0 : row + 1;
  const auto id = list.output.substr(start, list.output.find(' ', start) - start);
  ASSERT_FALSE(id.empty()) << list.output;
  for (const std::string* part : {&text, &html}) {
    EXPECT_NE(part->find("Check the declared association register, then the CAD incident."),
              std::string::npos)
        << *part;
    EXPECT_NE(part->find("https://probity.psd.example/?alert=" + id), std::string::npos) << *part;
    EXPECT_NE(part->find("probity alerts show " + id + " --reason"), std::string::npos) << *part;
    EXPECT_TRUE(part->find(" GMT (UTC+00:00)") != std::string::npos ||
                part->find(" BST (UTC+01:00)") != std::string::npos)
        << *part;
    EXPECT_NE(part->find("P0042117"), std::string::npos);  // the associate's record id stays
    EXPECT_NE(part->find("PSN-"), std::string::npos);
    for (const char* real : {"PC1001", "Hartley", "HARTLEY", "james.hartley"})
      EXPECT_EQ(part->find(real), std::string::npos) << real << " in\n" << *part;
  }
  EXPECT_NE(text.find("A look-up of one's own associate is a conflict of interest."),
            std::string::npos)
      << text;
  EXPECT_NE(html.find("A look-up of one&#39;s own associate is a conflict of interest."),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

// /metrics says where memory goes: all of it resident, and each database's memtables and caches.
TEST_F(PipelineE2E, MetricsBreakMemoryDownByPart) {
  ASSERT_TRUE(daemon_->start());
  send_lookup(daemon_->syslog_port, "P0042117");
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_stored_total", 1)) << daemon_->process()->log();
  const auto part = [&](const std::string& labels) {
    return daemon_->metric("probity_memory_bytes{" + labels + "}");
  };
  // The binary, the rules and RocksDB's own allocations at least; far below 4 GiB.
  EXPECT_GT(part("part=\"resident\""), 8 << 20);
  EXPECT_LT(part("part=\"resident\""), 4LL << 30);
  // The alert was written to the main database, not yet flushed.
  EXPECT_GT(part("part=\"memtables\",db=\"main\""), 0);
  for (const char* db : {"main", "correlation"})
    for (const char* p : {"memtables", "block_cache", "table_readers"})
      EXPECT_GE(part(std::string("part=\"") + p + "\",db=\"" + db + "\""), 0) << p << " " << db;
  EXPECT_GE(part("part=\"correlation_state\""), 0);
  // jemalloc's counts, absent (-1) only in a sanitizer build, on glibc's allocator. Each
  // part is its own scrape, so they are not compared with each other here (heap_use_test).
  if (const auto allocated = part("part=\"heap_allocated\""); allocated >= 0) {
    EXPECT_GT(allocated, 1 << 20);
    EXPECT_GT(part("part=\"heap_resident\""), 1 << 20);
    EXPECT_LT(part("part=\"heap_resident\""), 4LL << 30);
  }
  EXPECT_EQ(daemon_->stop(), 0);
}

// Each event's evaluation is timed, and the queue in front of the rules is on /metrics.
TEST_F(PipelineE2E, MetricsTimeEveryEvaluationAndShowTheQueueInFrontOfTheRules) {
  ASSERT_TRUE(daemon_->start());
  EXPECT_EQ(daemon_->metric("probity_event_evaluation_seconds_count"), 0);
  send_lookup(daemon_->syslog_port, "P0999999");
  send_lookup(daemon_->syslog_port, "P0042117");
  send_lookup(daemon_->syslog_port, "P0888888");
  ASSERT_TRUE(daemon_->wait_metric("probity_events_evaluated_total", 3))
      << daemon_->process()->log();
  EXPECT_EQ(daemon_->metric("probity_event_evaluation_seconds_count"), 3);
  // Three events against one rule: each well under a second.
  EXPECT_EQ(daemon_->metric("probity_event_evaluation_seconds_bucket{le=\"1\"}"), 3);
  EXPECT_EQ(daemon_->metric("probity_evaluation_queue_events"), 0);
  EXPECT_EQ(daemon_->stop(), 0);
}

TEST_F(PipelineE2E, EventForwardedByRsyslogRaisesAlert) {
  SmtpServer smtp(daemon_->smtp_port, daemon_->dir / "mail");
  ASSERT_TRUE(daemon_->start());
  const auto relay_port = pick_free_port();
  RsyslogRelay relay(relay_port, daemon_->syslog_port, daemon_->dir / "rsyslog");
  ASSERT_TRUE(relay.ready());

  send_lookup(relay_port, "P0042117");
  ASSERT_TRUE(wait_until([&] { return !smtp.messages().empty(); }, std::chrono::seconds(30)))
      << "probity:\n"
      << daemon_->process()->log() << "\nrsyslog:\n"
      << relay.log();
  const auto mails = smtp.messages();
  EXPECT_NE(mails[0].find("P0042117"), std::string::npos) << mails[0];
  EXPECT_EQ(daemon_->metric("probity_events_rejected_total{reason=\"parse\"}"), 0);
}

TEST_F(PipelineE2E, AlertIsStoredWhileSmtpIsDownAndDeliveredWhenItComesUp) {
  ASSERT_TRUE(daemon_->start());  // no SMTP server on smtp_port yet

  send_lookup(daemon_->syslog_port, "P0042117");
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_stored_total", 1)) << daemon_->process()->log();
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_send_failures_total", 1))
      << daemon_->process()->log();
  EXPECT_EQ(daemon_->metric("probity_alerts_outbox_pending"), 1);
  EXPECT_EQ(daemon_->metric("probity_alerts_sent_total"), 0);

  SmtpServer smtp(daemon_->smtp_port, daemon_->dir / "mail");
  ASSERT_TRUE(wait_until([&] { return !smtp.messages().empty(); }, std::chrono::seconds(20)))
      << daemon_->process()->log();
  EXPECT_NE(smtp.messages()[0].find("P0042117"), std::string::npos);
  EXPECT_TRUE(daemon_->wait_metric("probity_alerts_sent_total", 1));
  EXPECT_EQ(daemon_->metric("probity_alerts_outbox_pending"), 0);
}

TEST_F(PipelineE2E, BadInputIsCountedAndLaterGoodEventsStillAlert) {
  SmtpServer smtp(daemon_->smtp_port, daemon_->dir / "mail");
  ASSERT_TRUE(daemon_->start());

  // Garbage, a broken octet count, and an oversized frame on one raw connection.
  const std::string big(70 * 1024, 'x');
  const auto nc = run_program(
      {"/bin/bash", "-c", "cat > /dev/tcp/127.0.0.1/" + std::to_string(daemon_->syslog_port)},
      "this is not syslog\n12x <13>1 - - - - - -\n" + std::to_string(big.size()) + " " + big +
          "\n");
  ASSERT_EQ(nc.exit_code, 0) << nc.output;
  ASSERT_TRUE(daemon_->wait_metric("probity_events_rejected_total{reason=\"too_long\"}", 1))
      << daemon_->process()->log();
  EXPECT_GE(daemon_->metric("probity_events_rejected_total{reason=\"parse\"}"), 1);
  EXPECT_GE(daemon_->metric("probity_events_rejected_total{reason=\"bad_frame\"}"), 1);

  send_lookup(daemon_->syslog_port, "P0042117");
  ASSERT_TRUE(wait_until([&] { return !smtp.messages().empty(); }, std::chrono::seconds(20)))
      << daemon_->process()->log();
  EXPECT_NE(daemon_->process()->log().find("rejected message from 127.0.0.1:"), std::string::npos);
}

TEST_F(PipelineE2E, BrokenRulesOnReloadKeepOldRulesAndRaiseCriticalAlert) {
  SmtpServer smtp(daemon_->smtp_port, daemon_->dir / "mail");
  ASSERT_TRUE(daemon_->start());
  write_file(daemon_->dir / "rules/test.yaml",
             "- detection: broken\n  title: x\n  severity: high\n"
             "  condition: user.idd == \"a\"\n");
  daemon_->process()->signal(SIGHUP);
  ASSERT_TRUE(daemon_->wait_metric("probity_alerts_stored_total", 1)) << daemon_->process()->log();
  ASSERT_TRUE(wait_until([&] { return !smtp.messages().empty(); }, std::chrono::seconds(20)));
  EXPECT_NE(smtp.messages()[0].find("reload"), std::string::npos) << smtp.messages()[0];
  // Probity's own alert goes to the administrators (email.admins_to), not the PSD.
  const auto received = daemon_->dir / "mail" / "received";
  EXPECT_EQ(read_file(received / "0001.env"), "probity@force.example\nadmins@force.example\n");
  EXPECT_NE(smtp.messages()[0].find("To: admins@force.example"), std::string::npos);

  send_lookup(daemon_->syslog_port, "P0042117");  // the old rule still fires
  EXPECT_TRUE(daemon_->wait_metric("probity_alerts_stored_total", 2)) << daemon_->process()->log();
  ASSERT_TRUE(wait_until([&] { return smtp.messages().size() == 2; }, std::chrono::seconds(20)));
  EXPECT_EQ(read_file(received / "0002.env"), "probity@force.example\npsd@force.example\n");
  EXPECT_EQ(daemon_->stop(), 0);
}

TEST(ProbityCli, RunStopsWithAPositionWhenARuleFileIsBroken) {
  ProbityDaemon daemon(
      DaemonOptions{"- detection: broken\n  title: x\n  severity: high\n"
                    "  condition: user.idd == \"a\"\n",
                    false});
  const auto r = daemon.probity({"run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("test.yaml:4:"), std::string::npos) << r.output;
}

TEST(UdpE2E, LoggerOverUdpRaisesAlertAndAnOversizedDatagramIsCounted) {
  DaemonOptions options(kPipelineRules, /*with_smtp=*/false);
  options.listener_extra = "    protocol: udp\n    max_message_size: 2048\n";
  ProbityDaemon daemon(options);
  daemon.import("staff", "staff.csv",
                "id,surname,forenames,emails,hr_status\n"
                "PC1001,Hartley,James,james.hartley@force.example,active\n");
  daemon.import("associations", "assoc.csv",
                "staff_id,party_id,party_name,kind,declared_on\n"
                "PC1001,P0042117,Daniel Hartley,family,2023-05-02\n");
  ASSERT_TRUE(daemon.start());
  const auto logger = require_program("logger", "bsdutils");
  const auto send = [&](const std::string& subject, const std::string& text) {
    // --size: logger cuts messages at 1 KiB by default.
    return run_program({logger,
                        "--udp",
                        "--rfc5424",
                        "--size",
                        "8192",
                        "-n",
                        "127.0.0.1",
                        "-P",
                        std::to_string(daemon.syslog_port),
                        "-t",
                        "audit",
                        "--sd-id",
                        "access@32473",
                        "--sd-param",
                        "user.id=\"PC1001\"",
                        "--sd-param",
                        "source.system=\"PNC\"",
                        "--sd-param",
                        "action=\"query\"",
                        "--sd-param",
                        "subject.id=\"" + subject + "\"",
                        text});
  };
  ASSERT_EQ(send("P0042117", "record consulted").exit_code, 0);
  ASSERT_EQ(send("P0042117", std::string(3000, 'x')).exit_code, 0);  // past max_message_size
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();
  ASSERT_TRUE(daemon.wait_metric("probity_events_rejected_total{reason=\"too_long\"}", 1))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_udp_datagrams_total"), 2);
  EXPECT_EQ(daemon.metric("probity_events_received_total"), 1);
  EXPECT_NE(daemon.process()->log().find("no acknowledgement"), std::string::npos);
  EXPECT_EQ(daemon.stop(), 0);
}

// A Mimecast receipt whose delivery line never comes is emitted at the assembly timeout
// (email.action "accepted") and counted on /metrics under its gateway.
TEST(GatewayFlushE2E, ReceiptWithoutDeliveryIsEmittedAtTheTimeoutAndCounted) {
  DaemonOptions options(kPipelineRules, false,
                        "sources:\n"
                        "  - name: mimecast\n"
                        "    kind: email\n"
                        "    match: {app_name: \"mimecast*\"}\n"
                        "    format: mimecast\n"
                        "    fields: {email.from: from, email.to: to, email.action: action}\n"
                        "    assembly: {timeout: 1s}\n");
  ProbityDaemon daemon(options);
  ASSERT_TRUE(daemon.start());
  send_raw(daemon.syslog_port,
           "<22>1 2026-03-01T11:00:00Z siem01 mimecast - - - "
           "aCode=X1|Sender=jane@force.example|Rcpt=desk@paper.example|Act=Acc");
  ASSERT_TRUE(
      daemon.wait_metric("probity_gateway_flushed_incomplete_total{gateway=\"mimecast\"}", 1))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_events_decoded_total"), 1);
  EXPECT_EQ(daemon.metric("probity_gateway_flushed_incomplete_total{gateway=\"postfix\"}"), 0);
}

}  // namespace
}  // namespace probity::testing
