// Working an alert through the API of a real daemon: accounts made with `probity users`,
// an alert raised by a real syslog client, each role doing what it may and refused what it
// may not, every change and reveal in the consultation trail, and the states kept across a
// restart.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_fixture.h"

using namespace probity::testing;

namespace {

const char* kAlertApiRules = R"(- detection: colleague-lookup
  title: Look-up of a colleague
  description: Staff records are looked up only for a case.
  severity: high
  condition: event.kind == "access" and subject.id in list("staff_nominals")
  alert: "{user.id} looked up {subject.id}"
- detection: vip-lookup
  title: Look-up of a high-profile person
  severity: medium
  condition: event.kind == "access" and subject.id in list("vip_nominals")
  alert: "{user.id} looked up {subject.id}"
)";

constexpr const char* kJson = "Content-Type: application/json";

struct Session {
  std::string cookie, csrf;
};

}  // namespace

class AlertApiE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon.import("staff", "staff.csv",
                  "id,surname,forenames,emails,department,role,hr_status,vetting_level\n"
                  "PC1,Hartley,James,james.hartley@force.police.uk,Response,Sergeant,active,"
                  "NPPV2\n");
    daemon.import("list", "staff_nominals.txt", "P9000007\n");
    daemon.import("list", "vip_nominals.txt", "P7000001\n");
    daemon.add_account("ana", "analyst", "ana's long password");
    daemon.add_account("ian", "investigator", "ian's long password");
    daemon.add_account("adm", "admin", "adm's long password");
    ASSERT_TRUE(daemon.start());
    const auto r = daemon.log_access(
        daemon.syslog_port, {{"user.id", "pc1"}, {"action", "view"}, {"subject.id", "P9000007"}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();
  }

  Session login(const std::string& name, const std::string& password) {
    auto [cookie, csrf] = daemon.login(name, password);
    return {cookie, csrf};
  }
  HttpReply get(const Session& s, const std::string& path) {
    return http_request(daemon.http_port, "GET", path, {s.cookie});
  }
  HttpReply post(const Session& s, const std::string& path, const std::string& body) {
    return http_request(daemon.http_port, "POST", path, {s.cookie, s.csrf, kJson}, body);
  }
  std::string only_alert_id(const Session& s) {
    const auto list = get(s, "/api/alerts");
    EXPECT_EQ(list.status, 200) << list.body;
    std::smatch m;
    static const std::regex id("\"id\":\"([^\"]+)\"");
    return std::regex_search(list.body, m, id) ? m[1].str() : "";
  }

  ProbityDaemon daemon{DaemonOptions(kAlertApiRules, /*with_smtp=*/false)};
};

TEST_F(AlertApiE2E, EachRoleDoesWhatItMayAndEveryChangeIsRecordedAndKept) {
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/api/alerts").status, 401);
  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/login", {kJson},
                         R"({"account":"ana","password":"not it"})")
                .status,
            401);
  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/login", {kJson},
                         R"({"account":"x\u001b[2J","password":"y"})")
                .status,
            401);

  const Session ana = login("ana", "ana's long password");
  const std::string id = only_alert_id(ana);
  ASSERT_FALSE(id.empty());
  auto detail = get(ana, "/api/alerts/" + id);
  ASSERT_EQ(detail.status, 200);
  EXPECT_NE(detail.body.find("\"status\":\"new\""), std::string::npos) << detail.body;
  EXPECT_NE(detail.body.find("Staff records are looked up only for a case."), std::string::npos);
  EXPECT_NE(detail.body.find(R"("actions":["acknowledge","assign","note"])"), std::string::npos)
      << detail.body;
  EXPECT_EQ(detail.body.find("pc1"), std::string::npos) << detail.body;  // pseudonymised

  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/alerts/" + id + "/acknowledge",
                         {ana.cookie, kJson}, "{}")
                .status,
            403);  // no CSRF token
  EXPECT_EQ(post(ana, "/api/alerts/" + id + "/note", "[1,2]").status, 400);
  EXPECT_EQ(post(ana, "/api/alerts/" + id + "/note", "{}").status, 400);  // no text
  EXPECT_EQ(post(ana, "/api/alerts/" + id + "/note", R"({"text":{"a":1}})").status, 400);
  EXPECT_EQ(post(ana, "/api/alerts/no-such/acknowledge", "{}").status, 404);
  const auto ack = post(ana, "/api/alerts/" + id + "/acknowledge", "{}");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_NE(ack.body.find("\"status\":\"acknowledged\",\"owner\":\"ana\""), std::string::npos)
      << ack.body;
  EXPECT_EQ(post(ana, "/api/alerts/" + id + "/acknowledge", "{}").status, 409);
  const auto reveal = post(ana, "/api/alerts/" + id + "/reveal",
                           R"({"reason":"PSD-2026-0042 checking the officer"})");
  EXPECT_EQ(reveal.status, 403);
  EXPECT_NE(reveal.body.find("investigators only"), std::string::npos) << reveal.body;
  EXPECT_EQ(post(ana, "/api/alerts/" + id + "/dismiss", R"({"dismissal":"false_positive"})").status,
            403);

  const Session adm = login("adm", "adm's long password");
  EXPECT_EQ(get(adm, "/api/alerts").status, 200);
  EXPECT_EQ(get(adm, "/api/alerts?rule=*a*b*c*d*e*").status, 400);  // fnmatch's backtracking
  EXPECT_EQ(get(adm, "/api/alerts?since=yesterday").status, 400);
  EXPECT_EQ(post(adm, "/api/alerts/" + id + "/note", R"({"text":"x"})").status, 403);

  const Session ian = login("ian", "ian's long password");
  EXPECT_EQ(post(ian, "/api/alerts/" + id + "/reveal", R"({"reason":"because"})").status, 400);
  const auto shown = post(ian, "/api/alerts/" + id + "/reveal",
                          R"({"reason":"PSD-2026-0042 checking the officer"})");
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find("\"user_id\": \"pc1\""), std::string::npos) << shown.body;
  const auto dismissed =
      post(ian, "/api/alerts/" + id + "/dismiss", R"({"dismissal":"false_positive"})");
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_NE(dismissed.body.find("\"status\":\"dismissed\""), std::string::npos);
  EXPECT_NE(get(ian, "/api/alerts?status=dismissed").body.find(id), std::string::npos);
  EXPECT_EQ(get(ian, "/api/alerts?status=new").body.find(id), std::string::npos);
  EXPECT_EQ(
      daemon.metric(R"(probity_rule_alerts{rule="colleague-lookup",outcome="false_positive"})"), 1);
  EXPECT_EQ(daemon.metric(R"(probity_rule_alerts{rule="colleague-lookup",outcome="open"})"), 0);

  const auto trail = read_file(daemon.dir / "state" / "consultations.jsonl");
  for (const char* record :
       {R"("actor":"ana","actor_from":"probity-login")", R"("action":"login.failed")",
        R"("action":"alert.acknowledge")", R"("action":"alert.reveal")",
        R"("action":"alert.dismiss")", "PSD-2026-0042 checking the officer"})
    EXPECT_NE(trail.find(record), std::string::npos) << record << "\n" << trail;
  EXPECT_EQ(trail.find("\\u001b"), std::string::npos);  // a typed name is not kept as typed
  EXPECT_NE(trail.find("(not an account name)"), std::string::npos);
  EXPECT_EQ(daemon.probity({"audit", "verify"}).exit_code, 0);

  // Sessions end with the daemon; the alert's state does not.
  ASSERT_EQ(daemon.stop(), 0);
  ASSERT_TRUE(daemon.start());
  EXPECT_EQ(get(ian, "/api/alerts").status, 401);
  EXPECT_EQ(  // seeded from the store at start
      daemon.metric(R"(probity_rule_alerts{rule="colleague-lookup",outcome="false_positive"})"), 1);
  const Session again = login("ian", "ian's long password");
  const auto after = get(again, "/api/alerts/" + id);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find("\"status\":\"dismissed\""), std::string::npos) << after.body;
  EXPECT_NE(after.body.find(R"("action":"acknowledge","from":"new","to":"acknowledged")"),
            std::string::npos)
      << after.body;
  EXPECT_NE(after.body.find(R"("dismissal":"false_positive")"), std::string::npos);
  EXPECT_NE(after.body.find(R"("actions":["note","reopen","reveal"])"), std::string::npos)
      << after.body;
}

TEST_F(AlertApiE2E, TheLiveStreamNeedsASessionAndEndsWithIt) {
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/events").status, 401);
  const Session ana = login("ana", "ana's long password");
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(daemon.http_port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string req = "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n" + ana.cookie + "\r\n\r\n";
  ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  timeval tv{0, 200'000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  char buf[4096];
  auto read_until = [&](auto done, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < until) {
      const auto n = ::read(fd, buf, sizeof buf);
      if (n == 0) return true;  // closed by the server
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    }
    return false;
  };
  read_until([&] { return got.find("event: alert") != std::string::npos; },
             std::chrono::seconds(5));
  EXPECT_NE(got.find("event: alert"), std::string::npos) << got;
  ASSERT_EQ(post(ana, "/api/logout", "{}").status, 200);
  EXPECT_TRUE(read_until([] { return false; }, std::chrono::seconds(5)))
      << "the stream outlived its session";
  ::close(fd);
}

TEST_F(AlertApiE2E, AlertsAreWorkedOnTheCommandLineWithTheSameLifecycle) {
  const auto listed = daemon.probity({"alerts", "list", "--status", "new"});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(listed.output, m, std::regex(R"(\b(\d{8}T[0-9.]+Z-\d+) )")))
      << listed.output;
  const std::string id = m[1].str();
  // While the daemon runs it makes the change (its control socket), and the API sees it.
  const auto acked = daemon.probity({"alerts", "ack", id});
  ASSERT_EQ(acked.exit_code, 0) << acked.output;
  EXPECT_NE(acked.output.find("acknowledged"), std::string::npos) << acked.output;
  const Session ana = login("ana", "ana's long password");
  EXPECT_NE(get(ana, "/api/alerts/" + id).body.find("\"status\":\"acknowledged\""),
            std::string::npos);
  const auto twice = daemon.probity({"alerts", "ack", id});
  EXPECT_EQ(twice.exit_code, 1);  // once, whichever door
  EXPECT_NE(twice.output.find("acknowledged"), std::string::npos) << twice.output;
  const auto socket = std::filesystem::status(daemon.dir / "state" / "control.sock");
  EXPECT_EQ(socket.type(), std::filesystem::file_type::socket);
  EXPECT_EQ(socket.permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ASSERT_EQ(daemon.stop(), 0);
  EXPECT_FALSE(std::filesystem::exists(daemon.dir / "state" / "control.sock"));

  EXPECT_EQ(daemon.probity({"alerts", "resolve", id}).exit_code, 1);  // needs --text
  // With the daemon stopped the command line works on the store itself.
  ASSERT_EQ(daemon.probity({"alerts", "escalate", id, "--reference", "CO/00123/26"}).exit_code, 0);
  EXPECT_EQ(daemon.probity({"alerts", "list", "--status", "new"}).output.find(id),
            std::string::npos);
  const auto escalated =
      daemon.probity({"alerts", "list", "--status", "escalated", "--rule", "colleague-*"});
  EXPECT_NE(escalated.output.find(id), std::string::npos) << escalated.output;
  EXPECT_EQ(daemon.probity({"alerts", "list", "--rule", "other-*"}).output.find(id),
            std::string::npos);
  const auto trail = read_file(daemon.dir / "state" / "consultations.jsonl");
  EXPECT_NE(trail.find(R"("action":"alert.escalate")"), std::string::npos) << trail;
  EXPECT_NE(trail.find("CO/00123/26"), std::string::npos);
  const auto stats = daemon.probity({"rules", "stats", "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.output;
  EXPECT_NE(stats.output.find(R"("escalated": 1,
    "precision": 1.0)"),
            std::string::npos)
      << stats.output;
}

TEST_F(AlertApiE2E, UsersAreManagedOnTheCommandLineWhileTheDaemonRuns) {
  const Session ana = login("ana", "ana's long password");
  ASSERT_EQ(get(ana, "/api/alerts").status, 200);
  const auto disabled = daemon.probity({"users", "disable", "ana"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.output;
  EXPECT_EQ(get(ana, "/api/alerts").status, 401);  // her open session ended with it
  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/login", {kJson},
                         R"({"account":"ana","password":"ana's long password"})")
                .status,
            401);
  const auto weak =
      daemon.probity({"users", "add", "bob", "--role", "analyst", "--password-file", "/dev/null"});
  EXPECT_EQ(weak.exit_code, 2) << weak.output;
  daemon.add_account("bob", "analyst", "bob's long password");  // through the running daemon
  EXPECT_EQ(get(login("bob", "bob's long password"), "/api/alerts").status, 200);
  write_file(daemon.dir / "pw", "another long password\n");
  const auto again = daemon.probity({"users", "add", "bob", "--role", "analyst", "--password-file",
                                     (daemon.dir / "pw").string()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("account bob exists"), std::string::npos) << again.output;
  const auto listed = daemon.probity({"users", "list"});
  EXPECT_NE(listed.output.find("bob"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("disabled"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find("argon2id"), std::string::npos);  // no hash is ever printed
  const auto trail = read_file(daemon.dir / "state" / "consultations.jsonl");
  EXPECT_NE(trail.find(R"("action":"users.disable")"), std::string::npos) << trail;
  EXPECT_NE(trail.find(R"("action":"users.add")"), std::string::npos) << trail;

  // And with the daemon stopped, on the store itself.
  ASSERT_EQ(daemon.stop(), 0);
  EXPECT_EQ(daemon.probity({"users", "enable", "ana"}).exit_code, 0);
  ASSERT_TRUE(daemon.start());
  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/login", {kJson},
                         R"({"account":"ana","password":"ana's long password"})")
                .status,
            200);
}

TEST_F(AlertApiE2E, RulesStatsGivePrecisionPerRuleFromHowPeopleClosedTheAlerts) {
  // Three more colleague look-ups and two of a high-profile person, by different officers.
  for (const char* user : {"pc2", "pc3", "pc4"})
    ASSERT_EQ(daemon
                  .log_access(daemon.syslog_port,
                              {{"user.id", user}, {"action", "view"}, {"subject.id", "P9000007"}})
                  .exit_code,
              0);
  for (const char* user : {"pc5", "pc6"})
    ASSERT_EQ(daemon
                  .log_access(daemon.syslog_port,
                              {{"user.id", user}, {"action", "view"}, {"subject.id", "P7000001"}})
                  .exit_code,
              0);
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 6)) << daemon.process()->log();
  std::vector<std::string> colleague, vip;
  const auto listed = daemon.probity({"alerts", "list"});
  static const std::regex row(R"((\d{8}T[0-9.]+Z-\d+) +\S+ +\S+ +\S+ +(\S+))");
  for (std::sregex_iterator it(listed.output.begin(), listed.output.end(), row), end; it != end;
       ++it)
    ((*it)[2] == "vip-lookup" ? vip : colleague).push_back((*it)[1]);
  ASSERT_EQ(colleague.size(), 4u) << listed.output;
  ASSERT_EQ(vip.size(), 2u) << listed.output;

  // Worked on the command line while the daemon runs: two resolved, one false positive,
  // one left open; both high-profile look-ups benign.
  const auto run = [&](std::vector<std::string> args) {
    const auto r = daemon.probity(args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
  };
  for (int i : {0, 1}) {
    run({"alerts", "ack", colleague[i]});
    run({"alerts", "resolve", colleague[i], "--text", "management advice given"});
  }
  run({"alerts", "dismiss", colleague[2], "--dismissal", "false_positive"});
  for (const auto& id : vip)
    run({"alerts", "dismiss", id, "--dismissal", "benign", "--text", "protection officer duty"});

  const auto stats = daemon.probity({"rules", "stats", "--format", "json"});
  ASSERT_EQ(stats.exit_code, 0) << stats.output;
  const auto figures = nlohmann::json::parse(stats.output, nullptr, false);
  ASSERT_TRUE(figures.is_object()) << stats.output;
  const auto& c = figures["colleague-lookup"];
  EXPECT_EQ(c["raised"], 4);
  EXPECT_EQ(c["open"], 1);
  EXPECT_EQ(c["resolved"], 2);
  EXPECT_EQ(c["false_positive"], 1);
  EXPECT_NEAR(c["precision"].get<double>(), 2.0 / 3.0, 1e-9);
  EXPECT_FALSE(c["median_seconds_to_acknowledge"].is_null());
  const auto& v = figures["vip-lookup"];
  EXPECT_EQ(v["benign"], 2);
  EXPECT_EQ(v["precision"].get<double>(), 0.0);
  EXPECT_EQ(daemon.metric(R"(probity_rule_alerts{rule="vip-lookup",outcome="benign"})"), 2);
  EXPECT_EQ(daemon.metric(R"(probity_rule_alerts{rule="colleague-lookup",outcome="open"})"), 1);
}

namespace {

// The token `probity users token` printed (stdout and stderr together here), or "".
std::string printed_token(const CommandResult& r) {
  std::smatch m;
  static const std::regex token("probity_[0-9a-f]{64}");
  return std::regex_search(r.output, m, token) ? m[0].str() : "";
}

}  // namespace

TEST_F(AlertApiE2E, AScriptWorksAlertsWithABearerTokenUntilItIsRevoked) {
  ASSERT_EQ(daemon.stop(), 0);
  const auto issued = daemon.probity({"users", "token", "ana", "--label", "nightly"});
  ASSERT_EQ(issued.exit_code, 0) << issued.output;
  const std::string token = printed_token(issued);
  ASSERT_FALSE(token.empty()) << issued.output;
  const auto second = daemon.probity({"users", "token", "ana"});
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(daemon.probity({"users", "token", "ana", "--label", "nightly"}).exit_code, 2);
  const auto listed = daemon.probity({"users", "list"});
  EXPECT_NE(listed.output.find("tokens: 2 (nightly, token-1)"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find(token), std::string::npos);  // shown once, never again
  EXPECT_EQ(listed.output.find(token.substr(8, 16)), std::string::npos);
  ASSERT_TRUE(daemon.start());

  const std::string bearer = "Authorization: Bearer " + token;
  const auto list = http_request(daemon.http_port, "GET", "/api/alerts", {bearer});
  ASSERT_EQ(list.status, 200) << list.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(list.body, m, std::regex("\"id\":\"([^\"]+)\"")));
  const std::string id = m[1].str();
  // No session and no CSRF token: the header is not one a browser adds by itself.
  const auto ack = http_request(daemon.http_port, "POST", "/api/alerts/" + id + "/acknowledge",
                                {bearer, kJson}, "{}");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_NE(ack.body.find("\"owner\":\"ana\""), std::string::npos) << ack.body;
  // ... but the JSON rule stays, and a role's limits are the account's.
  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/alerts/" + id + "/note", {bearer},
                         R"({"text":"x"})")
                .status,
            415);
  EXPECT_EQ(http_request(daemon.http_port, "POST", "/api/alerts/" + id + "/dismiss",
                         {bearer, kJson}, R"({"dismissal":"false_positive"})")
                .status,
            403);
  const auto bad = http_request(daemon.http_port, "GET", "/api/alerts",
                                {"Authorization: Bearer probity_" + std::string(64, '0')});
  EXPECT_EQ(bad.status, 401);
  EXPECT_NE(bad.header("WWW-Authenticate").find("Bearer"), std::string::npos);
  // A body over the 64 KiB limit is answered, not just dropped.
  const auto big = http_request(daemon.http_port, "POST", "/api/alerts/" + id + "/note",
                                {bearer, kJson}, std::string(100 * 1024, ' '));
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(big.body.find("api.too_large"), std::string::npos) << big.body;

  const auto trail = read_file(daemon.dir / "state" / "consultations.jsonl");
  for (const char* record :
       {R"("action":"users.token")", R"("action":"token.used")", R"("action":"token.failed")",
        R"("actor_from":"probity-token:nightly")", "token nightly"})
    EXPECT_NE(trail.find(record), std::string::npos) << record << "\n" << trail;
  EXPECT_EQ(trail.find(token), std::string::npos);
  std::size_t uses = 0;
  for (auto at = trail.find("\"token.used\""); at != std::string::npos;
       at = trail.find("\"token.used\"", at + 1))
    ++uses;
  EXPECT_EQ(uses, 1u);  // four requests, one use recorded (once per 15 minutes)

  // Revoked by label: that token is refused, the other still works.
  ASSERT_EQ(daemon.stop(), 0);
  const auto revoked = daemon.probity({"users", "token", "ana", "--revoke", "--label", "nightly"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  ASSERT_TRUE(daemon.start());
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/api/alerts", {bearer}).status, 401);
  const std::string other = "Authorization: Bearer " + printed_token(second);
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/api/alerts", {other}).status, 200);

  // Disabling the account ends its tokens for good: enabling it again does not revive them.
  ASSERT_EQ(daemon.stop(), 0);
  const auto disabled = daemon.probity({"users", "disable", "ana"});
  ASSERT_EQ(disabled.exit_code, 0) << disabled.output;
  EXPECT_NE(disabled.output.find("1 API token(s) of ana revoked"), std::string::npos)
      << disabled.output;
  EXPECT_EQ(daemon.probity({"users", "token", "ana"}).exit_code, 1);  // not while disabled
  ASSERT_EQ(daemon.probity({"users", "enable", "ana"}).exit_code, 0);
  ASSERT_TRUE(daemon.start());
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/api/alerts", {other}).status, 401);
}

TEST_F(AlertApiE2E, AChangedPasswordRevokesTokensAndRolesAreReadAtEachRequest) {
  ASSERT_EQ(daemon.stop(), 0);
  const std::string token =
      printed_token(daemon.probity({"users", "token", "ian", "--label", "triage-bot"}));
  ASSERT_FALSE(token.empty());
  ASSERT_EQ(daemon.probity({"users", "role", "ian", "--role", "analyst"}).exit_code, 0);
  ASSERT_TRUE(daemon.start());
  const std::string bearer = "Authorization: Bearer " + token;
  const auto session = http_request(daemon.http_port, "GET", "/api/session", {bearer});
  EXPECT_EQ(session.status, 200);
  EXPECT_NE(session.body.find("\"roles\":1"), std::string::npos) << session.body;  // analyst now

  ASSERT_EQ(daemon.stop(), 0);
  write_file(daemon.dir / "new-password", "ian's newer long password\n");
  const auto passwd = daemon.probity(
      {"users", "passwd", "ian", "--password-file", (daemon.dir / "new-password").string()});
  ASSERT_EQ(passwd.exit_code, 0) << passwd.output;
  EXPECT_NE(passwd.output.find("revoked"), std::string::npos) << passwd.output;
  ASSERT_TRUE(daemon.start());
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/api/alerts", {bearer}).status, 401);
}
