// Privacy end to end: events that name staff in every way a tester found (a self look-up,
// a colleague's record, an auto-forward with orig_to, a display-name sender, an unknown
// user, an outside sender, a two-letter id, a login beside the id), sent over syslog with
// the real logger. No staff name, mail address or id may reach the mailbox, the alerts API,
// the live page's event stream, the log or `alerts list`; one person has one pseudonym.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "daemon_fixture.h"

using namespace probity::testing;

namespace {

const char* kPrivacyRules = R"(- detection: self-lookup
  title: Look-up of self
  severity: medium
  condition: event.kind == "access" and staff(user.id).exists and subject.name contains staff(user.id).surname
  alert: "{user.id} ({staff(user.id).forenames} {staff(user.id).surname}, {staff(user.id).role}) looked up {subject.name} {subject.dob}"
  fields: [user.id, user.account, subject.id, subject.name, staff(user.id).department]
- detection: colleague-lookup
  title: Look-up of a colleague
  severity: high
  condition: event.kind == "access" and subject.id in list("staff_nominals")
  alert: "{user.id} looked up {subject.id} ({subject.name}) as {user.account}"
- detection: webmail
  title: Mail to webmail
  severity: low
  condition: event.kind == "email" and email.to.domain == "gmail.com"
  alert: "{user.id} sent mail from {email.from} to {email.to} (forwarded for {raw.orig_to}) via {raw.sasl_username}"
  fields: [user.id, email.from, email.to, raw.orig_to, raw.client]
)";

const char* kStaff =
    "id,surname,forenames,emails,department,role,hr_status,vetting_level\n"
    "PC1,Hartley,James,james.hartley@force.police.uk,Response Bravo,Sergeant,active,NPPV2\n"
    "AB,Okafor,Chidi,chidi.okafor@force.police.uk,Custody,Detention Officer,active,NPPV2\n"
    "PC7,Whitcombe,Rosalind,rosalind.whitcombe@force.police.uk,Major Crime,Inspector,active,"
    "NPPV2\n";

// Reads the live page's Server-Sent Events for `for_ms`: the stream never ends by itself.
std::string read_event_stream(std::uint16_t port, int for_ms, const std::string& cookie) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n" + cookie + "\r\n\r\n";
    (void)::write(fd, req.data(), req.size());
    timeval tv{0, 200'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(for_ms);
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
      const auto n = ::read(fd, buf, sizeof buf);
      if (n > 0) out.append(buf, static_cast<std::size_t>(n));
      if (n == 0) break;
    }
  }
  ::close(fd);
  return out;
}

std::set<std::string> pseudonyms_in(const std::string& text) {
  std::set<std::string> out;
  const std::regex psn("PSN-[0-9a-f]{12}");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), psn); it != std::sregex_iterator();
       ++it)
    out.insert(it->str());
  return out;
}

}  // namespace

TEST(PrivacyE2E, NoStaffIdentityLeavesTheAuditedStore) {
  ProbityDaemon daemon(DaemonOptions(kPrivacyRules, /*with_smtp=*/false));
  daemon.import("staff", "staff.csv", kStaff);
  daemon.import("list", "staff_nominals.txt", "P9000007\n");
  daemon.add_account("analyst1", "analyst", "correct horse battery");
  ASSERT_TRUE(daemon.start());
  const auto logger = require_program("logger", "bsdutils");
  auto send = [&](const char* sd_id, std::vector<std::pair<std::string, std::string>> params) {
    std::vector<std::string> argv{logger,
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
                                  sd_id};
    for (const auto& [k, v] : params) {
      argv.push_back("--sd-param");
      argv.push_back(k + "=\"" + v + "\"");
    }
    argv.push_back("event");
    const auto r = run_program(argv);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  };
  // Self look-up, by id in another case and with a login beside it.
  send("access@32473", {{"user.id", "pc1"},
                        {"user.account", "JHARTLEY01"},
                        {"action", "query"},
                        {"subject.id", "P1"},
                        {"subject.name", "HARTLEY James"},
                        {"subject.dob", "1979-02-03"}});
  // A two-letter id looking up a colleague's record.
  send("access@32473", {{"user.id", "ab"},
                        {"user.account", "cokafor"},
                        {"action", "view"},
                        {"subject.id", "P9000007"},
                        {"subject.name", "Rosalind Whitcombe"}});
  // The same person as sender, in display-name form, with the login in source fields.
  send("email@32473", {{"email.from", "James Hartley <James.Hartley@force.police.uk>"},
                       {"email.to", "jimbo.hartley79@gmail.com"},
                       {"email.direction", "outbound"},
                       {"sasl_username", "JHARTLEY01"},
                       {"client", "pc1-laptop.force.police.uk"}});
  // An auto-forward: an outside sender, the staff mailbox only in orig_to; no user.
  send("email@32473", {{"email.from", "caseworker@homeoffice.gov.uk"},
                       {"email.to", "rosie.w@gmail.com"},
                       {"email.direction", "outbound"},
                       {"orig_to", "rosalind.whitcombe@force.police.uk"}});
  // Nobody on the staff list at all: an unknown user, never the hash of "".
  send("email@32473", {{"email.from", "newsletter@lists.example"},
                       {"email.to", "someone@gmail.com"},
                       {"email.direction", "outbound"}});
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 5)) << daemon.process()->log();
  const auto mailbox = daemon.dir / "state" / "mailbox";
  ASSERT_TRUE(wait_until(
      [&] {
        const auto m = read_file(mailbox);
        std::size_t n = 0;
        for (auto at = m.find("\nSubject: "); at != std::string::npos;
             at = m.find("\nSubject: ", at + 1))
          ++n;
        return n >= 5;
      },
      std::chrono::seconds(20)))
      << daemon.process()->log();

  const auto [cookie, csrf] = daemon.login("analyst1", "correct horse battery");
  const auto list = http_request(daemon.http_port, "GET", "/api/alerts", {cookie});
  const std::pair<int, std::string> api{list.status, list.body};
  ASSERT_EQ(api.first, 200);
  // Every alert's detail view too: fields, evidence and history as an analyst sees them.
  std::string details;
  const std::regex alert_id("\"id\":\"([0-9TZ.]+-[0-9]+)\"");
  for (auto it = std::sregex_iterator(api.second.begin(), api.second.end(), alert_id);
       it != std::sregex_iterator(); ++it) {
    const auto detail =
        http_request(daemon.http_port, "GET", "/api/alerts/" + (*it)[1].str(), {cookie});
    EXPECT_EQ(detail.status, 200) << detail.body;
    details += detail.body;
  }
  EXPECT_NE(details.find("\"events\""), std::string::npos) << api.second;
  const std::string stream = read_event_stream(daemon.http_port, 1500, cookie);
  const auto listed = daemon.probity({"alerts", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const std::map<std::string, std::string> channels = {
      {"mailbox", read_file(mailbox)},  {"/api/alerts", api.second},
      {"/api/alerts/ID", details},      {"/events", stream},
      {"log", daemon.process()->log()}, {"alerts list", listed.output}};
  ASSERT_NE(stream.find("event: alert"), std::string::npos) << stream;
  for (const auto& [channel, text] : channels) {
    for (const char* leak :
         {"Hartley", "HARTLEY", "hartley", "James", "JHARTLEY01", "jhartley01", "Okafor", "cokafor",
          "Chidi", "Whitcombe", "Rosalind", "rosalind", "Sergeant", "Detention", "Response Bravo",
          "Custody", "1979-02-03", "pc1-laptop"})
      EXPECT_EQ(text.find(leak), std::string::npos) << leak << " reached " << channel << ":\n"
                                                    << text;
    for (const char* id : {"\"pc1\"", " pc1 ", "PC1 ", "\"ab\"", " ab ", "user ab"})
      EXPECT_EQ(text.find(id), std::string::npos) << id << " reached " << channel << ":\n" << text;
  }
  const auto log = daemon.process()->log();
  EXPECT_NE(api.second.find("\"user\":\"unknown user\""), std::string::npos) << api.second;
  // The outside sender is shown: the PSD needs to see who wrote.
  EXPECT_NE(api.second.find("caseworker@homeoffice.gov.uk"), std::string::npos) << api.second;
  // An auto-forwarded copy is the mailbox owner's doing: they are the user, pseudonymised.
  const auto forward_line = log.substr(log.find("via - (user"), 200);
  EXPECT_EQ(forward_line.find("unknown user"), std::string::npos) << forward_line;
  // One pseudonym for James Hartley, whether named by id, login or mail address: the
  // self look-up and the webmail alert carry the same one, and no other.
  const auto self_line = log.substr(log.find("self-lookup:"), 300);
  const auto mail_line = log.substr(log.find("webmail: PSN"), 300);
  const auto self_psn = pseudonyms_in(self_line.substr(0, self_line.find('\n')));
  const auto mail_psn = pseudonyms_in(mail_line.substr(0, mail_line.find('\n')));
  ASSERT_EQ(self_psn.size(), 1u) << self_line;
  EXPECT_EQ(mail_psn, self_psn) << mail_line;

  // The stored alert keeps the real identities for the audited reveal.
  const auto stored = read_file(daemon.dir / "state" / "alerts.jsonl");
  EXPECT_NE(stored.find("Hartley"), std::string::npos);
  EXPECT_EQ(daemon.stop(), 0);
}
