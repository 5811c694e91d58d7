// Correlation evidence end to end: the shipped pack's look-up-then-email rule, fed a look-up of
// a colleague's record and then a webmail naming it, sent with the real logger, raises one alert
// whose stored events are both (the look-up first), and whose shown view (API detail, mailbox)
// carries both pseudonymised: no name of the user or of the colleague looked up.
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_fixture.h"

using namespace probity::testing;
using Json = nlohmann::json;

namespace {

// The top-level items of a shipped rule file whose "<kind>: <id>" line is one of `wanted`.
std::string shipped_items(const std::string& file, const std::vector<std::string>& wanted) {
  std::ifstream in(std::string(PROBITY_SHIPPED_RULES_DIR) + "/" + file);
  std::string line, item, out;
  auto flush = [&] {
    for (const auto& w : wanted)
      if (item.starts_with("- " + w + "\n")) out += item;
    item.clear();
  };
  while (std::getline(in, line)) {
    if (line.starts_with("- ")) flush();
    if (!item.empty() || line.starts_with("- ")) item += line + "\n";
  }
  flush();
  return out;
}

const char* kEvidenceStaff =
    "id,surname,forenames,emails,department,role,hr_status,vetting_level\n"
    "PC1,Hartley,James,james.hartley@force.police.uk,Response Bravo,Sergeant,active,NPPV2\n"
    "PC7,Whitcombe,Rosalind,rosalind.whitcombe@force.police.uk,Major Crime,Inspector,active,"
    "NPPV2\n";

}  // namespace

TEST(CorrelationEvidenceE2E, LookUpThenEmailAlertCarriesBothEventsPseudonymised) {
  const std::string rules =
      shipped_items("psd-core.yaml", {"list: training_records", "macro: is_record_access",
                                      "macro: is_outbound_email"}) +
      shipped_items("psd-correlations.yaml",
                    {"detection: person-lookup", "detection: disclosure-channel-email",
                     "correlation: lookup-then-disclosure-email"});
  ASSERT_NE(rules.find("correlation: lookup-then-disclosure-email"), std::string::npos) << rules;
  ProbityDaemon daemon(DaemonOptions(rules, /*with_smtp=*/false));
  daemon.import("staff", "staff.csv", kEvidenceStaff);
  daemon.import("list", "staff_nominals.txt", "P9000007\n");
  daemon.import("list", "webmail_domains.txt", "gmail.com\n");
  daemon.import("list", "media_domains.txt", "news.example\n");
  daemon.import("list", "pi_domains.txt", "pi.example\n");
  daemon.import("list", "media_authorised_staff.txt", "cc1\n");
  daemon.add_account("analyst1", "analyst", "correct horse battery");
  ASSERT_TRUE(daemon.start());

  ASSERT_EQ(daemon
                .log_access(daemon.syslog_port, {{"user.id", "pc1"},
                                                 {"user.account", "JHARTLEY01"},
                                                 {"action", "query"},
                                                 {"subject.type", "person"},
                                                 {"subject.id", "P9000007"},
                                                 {"subject.name", "Rosalind Whitcombe"},
                                                 {"source.system", "PNC"}})
                .exit_code,
            0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a strictly later event time
  const auto logger = require_program("logger", "bsdutils");
  const auto sent = run_program({logger,
                                 "--tcp",
                                 "--octet-count",
                                 "--rfc5424",
                                 "-n",
                                 "127.0.0.1",
                                 "-P",
                                 std::to_string(daemon.syslog_port),
                                 "-t",
                                 "gw",
                                 "--sd-id",
                                 "email@32473",
                                 "--sd-param",
                                 "email.from=\"James Hartley <James.Hartley@force.police.uk>\"",
                                 "--sd-param",
                                 "email.to=\"jim7@gmail.com\"",
                                 "--sd-param",
                                 "email.direction=\"outbound\"",
                                 "--sd-param",
                                 "email.subject=\"re P9000007 as asked\"",
                                 "event"});
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();

  // Stored (for the audited reveal): both events, the look-up first, real identities kept.
  std::ifstream stored(daemon.dir / "state" / "alerts.jsonl");
  std::string line;
  Json alert;
  while (std::getline(stored, line))
    if (line.find("lookup-then-disclosure-email") != std::string::npos) alert = Json::parse(line);
  ASSERT_TRUE(alert.is_object()) << daemon.process()->log();
  ASSERT_EQ(alert["events"].size(), 2u) << alert.dump(2);
  EXPECT_EQ(alert["events"][0]["event.kind"], "access");
  EXPECT_EQ(alert["events"][0]["subject.name"], "Rosalind Whitcombe");
  EXPECT_EQ(alert["events"][1]["event.kind"], "email");
  const std::string id = alert["id"];

  // Shown: the API's detail view and the mail carry both events, pseudonymised.
  const auto [cookie, csrf] = daemon.login("analyst1", "correct horse battery");
  const auto detail = http_request(daemon.http_port, "GET", "/api/alerts/" + id, {cookie});
  ASSERT_EQ(detail.status, 200) << detail.body;
  const Json shown = Json::parse(detail.body);
  ASSERT_EQ(shown["events"].size(), 2u) << detail.body;
  EXPECT_EQ(shown["events"][0]["subject.id"], "P9000007");
  EXPECT_EQ(shown["events"][0]["subject.name"], "[withheld]");              // a colleague's record
  EXPECT_EQ(shown["events"][0]["user.id"], shown["events"][1]["user.id"]);  // one pseudonym
  EXPECT_EQ(shown["events"][0]["user.account"], shown["events"][0]["user.id"]);
  const auto mailbox = daemon.dir / "state" / "mailbox";
  ASSERT_TRUE(
      wait_until([&] { return read_file(mailbox).find("Events (2 events)") != std::string::npos; },
                 std::chrono::seconds(20)))
      << read_file(mailbox);
  for (const auto& [channel, text] : std::map<std::string, std::string>{
           {"/api/alerts/ID", detail.body}, {"mailbox", read_file(mailbox)}}) {
    for (const char* leak : {"Hartley", "hartley", "HARTLEY", "James", "JHARTLEY01", "jhartley01",
                             "Whitcombe", "Rosalind", "\"pc1\"", "\"PC1\""})
      EXPECT_EQ(text.find(leak), std::string::npos) << leak << " reached " << channel << ":\n"
                                                    << text;
  }
  EXPECT_EQ(daemon.stop(), 0);
}
