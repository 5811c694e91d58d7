// The one-shot subcommands, run as a user would: the real binary, real files, exit codes.
#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kCliRules = R"(
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id}"
  tests:
    - expect: match
      associations: [{staff: pc1, party: P9, kind: family}]
      event: {event.kind: access, user.id: pc1, subject.id: P9}
)";

constexpr const char* kAccessLine =
    "<110>1 2026-11-02T10:00:00Z app01 audit - ACCESS [access@32473 user.id=\"PC1001\" "
    "source.system=\"PNC\" action=\"query\" subject.id=\"P0042117\"] record consulted\n";

TEST(ProbityParse, PrintsCanonicalEventsAsJsonLines) {
  ProbityDaemon d(DaemonOptions(kCliRules, false));
  const auto r = run_program({PROBITY_BINARY, "parse"}, kAccessLine);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(R"("user.id":"PC1001")"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("event.time":"2026-11-02T10:00:00.000000Z")"), std::string::npos);
}

TEST(ProbityParse, ExitsNonZeroNamingTheBadMessage) {
  const auto r =
      run_program({PROBITY_BINARY, "parse"}, std::string(kAccessLine) + "<999>1 broken\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("message 2:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("user.id":"PC1001")"), std::string::npos) << r.output;
}

TEST(ProbityReplay, ReplaysRawSyslogAndJsonLinesThroughTheRules) {
  ProbityDaemon d(DaemonOptions(kCliRules, false));
  d.import(
      "associations", "assoc.csv",
      "staff_id,party_id,party_name,kind,declared_on\nPC1001,P0042117,D H,family,2023-05-02\n");
  write_file(d.dir / "feed.log", std::string(kAccessLine) + kAccessLine);
  write_file(d.dir / "events.jsonl",
             R"({"event.kind":"access","user.id":"PC1001","subject.id":"P0042117"})"
             "\n"
             R"({"event.kind":"access","user.id":"PC1001","subject.id":"P1"})"
             "\n");
  const auto raw = d.probity({"replay", (d.dir / "feed.log").string()});
  ASSERT_EQ(raw.exit_code, 0) << raw.output;
  EXPECT_NE(raw.output.find("replayed 2 events"), std::string::npos) << raw.output;
  EXPECT_NE(raw.output.find(R"("rule":"lookup-of-declared-associate")"), std::string::npos);
  EXPECT_NE(raw.output.find(R"("event.time":"2026-11-02T10:00:00.000000Z")"), std::string::npos);

  const auto json = d.probity({"replay", (d.dir / "events.jsonl").string()});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find("replayed 2 events"), std::string::npos) << json.output;
  EXPECT_NE(json.output.find("1 alerts"), std::string::npos) << json.output;
  // Replay has no side effects: nothing stored, nothing mailed.
  EXPECT_FALSE(std::filesystem::exists(d.dir / "state" / "alerts.jsonl"));
}

TEST(ProbityCli, RulesTakesOnePathPerOccurrenceOnEverySubcommand) {
  TempDir dir("probity-cli");
  const auto detection = [](const std::string& id, const std::string& action) {
    return "- detection: " + id + "\n  title: " + id + "\n  severity: low\n" +
           "  condition: event.kind == \"access\" and action == \"" + action + "\"\n" +
           "  tests:\n    - expect: match\n      event: {event.kind: access, user.id: pc1, " +
           "action: " + action + "}\n";
  };
  write_file(dir / "query.yaml", detection("saw-query", "query"));
  write_file(dir / "view.yaml", detection("saw-view", "view"));
  write_file(dir / "a.jsonl", R"({"event.kind":"access","user.id":"pc1","action":"query"})"
                              "\n");
  write_file(dir / "b.jsonl", R"({"event.kind":"access","user.id":"pc2","action":"view"})"
                              "\n");
  const std::string state = (dir / "state").string();
  const std::string a = (dir / "a.jsonl").string(), b = (dir / "b.jsonl").string();

  // The log files after --rules are logs, not rule files, in both spellings.
  for (const std::string rules : {"--rules", "--rules="}) {
    std::vector<std::string> args{PROBITY_BINARY, "replay", "--state-dir", state};
    if (rules == "--rules") {
      args.insert(args.end(), {rules, (dir / "query.yaml").string()});
    } else {
      args.push_back(rules + (dir / "query.yaml").string());
    }
    args.insert(args.end(), {a, b});
    const auto r = run_program(args);
    ASSERT_EQ(r.exit_code, 0) << rules << ": " << r.output;
    EXPECT_NE(r.output.find("replayed 2 events"), std::string::npos) << rules << ": " << r.output;
    EXPECT_NE(r.output.find("1 alerts"), std::string::npos) << rules << ": " << r.output;
  }

  // Repeated, every occurrence counts.
  const auto both =
      run_program({PROBITY_BINARY, "replay", "--state-dir", state, "--rules",
                   (dir / "query.yaml").string(), "--rules", (dir / "view.yaml").string(), a, b});
  ASSERT_EQ(both.exit_code, 0) << both.output;
  EXPECT_NE(both.output.find("2 alerts"), std::string::npos) << both.output;

  const auto tested =
      run_program({PROBITY_BINARY, "rules", "test", "--state-dir", state, "--rules",
                   (dir / "query.yaml").string(), "--rules", (dir / "view.yaml").string()});
  EXPECT_EQ(tested.exit_code, 0) << tested.output;
  EXPECT_NE(tested.output.find("2 tests in 2 of 2 rules"), std::string::npos) << tested.output;
}

TEST(ProbityRules, TestPassesAndFailsOnInlineTests) {
  ProbityDaemon d(DaemonOptions(kCliRules, false));
  const auto ok = d.probity({"rules", "test"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("1 passed, 0 failed"), std::string::npos) << ok.output;

  std::string wrong = kCliRules;
  wrong.replace(wrong.find("expect: match"), 13, "expect: no_match");
  write_file(d.dir / "rules/test.yaml", wrong);
  const auto bad = d.probity({"rules", "test"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("FAIL lookup-of-declared-associate"), std::string::npos) << bad.output;
}

TEST(ProbityRules, CheckReportsJsonForCi) {
  ProbityDaemon d(
      DaemonOptions{"- detection: x\n  title: t\n  severity: high\n"
                    "  condition: user.idd == \"a\"\n",
                    false});
  const auto r = d.probity({"rules", "check", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(R"("code": "rules.unknown_field")"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(R"("line": 4)"), std::string::npos) << r.output;
}

TEST(ProbityRules, CheckUsesTheStateDirectoryRunWouldUse) {
  // No --config and no --state-dir: `run` would use ./probity-state, and so does check.
  TempDir dir("probity-check");
  write_file(dir / "rules/watch.yaml",
             "- detection: watched-person\n  title: t\n  severity: high\n"
             "  condition: subject.id in list(\"watched_people\")\n");
  const auto check = [&] {
    return run_program({"/bin/sh", "-c",
                        "cd '" + dir.path().string() + "' && '" + std::string(PROBITY_BINARY) +
                            "' rules check rules"});
  };
  const auto import_list = [&](const std::string& name) {
    write_file(dir / (name + ".txt"), "P1\n");
    return run_program({PROBITY_BINARY, "state", "import", "list", (dir / (name + ".txt")).string(),
                        "--state-dir", (dir / "probity-state").string()});
  };
  ASSERT_EQ(import_list("other_people").exit_code, 0);
  const auto before = check();
  EXPECT_EQ(before.exit_code, 1) << before.output;
  EXPECT_NE(before.output.find("unknown list"), std::string::npos) << before.output;
  ASSERT_EQ(import_list("watched_people").exit_code, 0);
  const auto after = check();
  EXPECT_EQ(after.exit_code, 0) << after.output;
}

TEST(ProbityParse, ReadsAGatewaysOwnFilesWithSource) {
  // Exchange message tracking as the server writes it: a #Fields header, then CSV rows
  // that begin with a date (not an octet count).
  const std::string tracking =
      "#Software: Microsoft Exchange Server\r\n#Version: 15.02.1118.007\r\n"
      "#Log-type: Message Tracking Log\r\n"
      "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
      "connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
      "recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,"
      "reference,message-subject,sender-address,return-path,message-info,directionality,"
      "tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,"
      "log-id,schema-version\r\n"
      "2026-03-01T11:00:00.123Z,10.1.2.3,WS12,,EXCH01,,,SMTP,SEND,1234,<m1@force.police.uk>,"
      "abcd-1234,newsdesk@paper.example,250 2.0.0 OK,48213,1,,,Tonight,"
      "jane.doe@force.police.uk,jane.doe@force.police.uk,,Originating,,,,,Email,1,15.02\r\n";
  const auto exchange = run_program({PROBITY_BINARY, "parse", "--source", "exchange"}, tracking);
  EXPECT_EQ(exchange.exit_code, 0) << exchange.output;
  EXPECT_NE(exchange.output.find(R"("event.time":"2026-03-01T11:00:00.123000Z")"),
            std::string::npos)
      << exchange.output;
  EXPECT_NE(exchange.output.find(R"("email.to":"newsdesk@paper.example")"), std::string::npos);

  // Proofpoint on Demand's message log, one JSON record per line.
  const std::string pod =
      R"({"guid":"g-1","ts":"2026-03-01T11:00:00.000000-0000","envelope":{"from":)"
      R"("jane.doe@force.police.uk","rcpts":["desk@paper.example"]},"msg":{"header":)"
      R"({"subject":["Tonight"]}},"filter":{"disposition":"continue"}})"
      "\n";
  const auto parsed = run_program({PROBITY_BINARY, "parse", "--source", "proofpoint-pod"}, pod);
  EXPECT_EQ(parsed.exit_code, 0) << parsed.output;
  EXPECT_NE(parsed.output.find(R"("email.action":"delivered")"), std::string::npos)
      << parsed.output;
  EXPECT_NE(parsed.output.find(R"("event.id":"g-1")"), std::string::npos)  // one recipient
      << parsed.output;

  // Without --source, a bare record is not syslog, and says so.
  const auto bare = run_program({PROBITY_BINARY, "parse"}, pod);
  EXPECT_EQ(bare.exit_code, 1);
  EXPECT_NE(bare.output.find("syslog.not_syslog"), std::string::npos) << bare.output;
}

TEST(ProbityState, ImportRejectsAWholeFileWithBadRowsAndShowsEntries) {
  ProbityDaemon d(DaemonOptions(kCliRules, false));
  write_file(d.dir / "staff.csv",
             "id,surname,hr_status,vetting_level\nPC1,Ng,active,NPPV2\nPC2,Li,retired,NPPV2\n"
             "PC3,Ho,active,NPPV9\n");
  const auto bad = d.probity({"state", "import", "staff", (d.dir / "staff.csv").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("staff.csv:3:"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("staff.csv:4:"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("nothing was loaded"), std::string::npos) << bad.output;
  EXPECT_EQ(d.probity({"state", "show", "staff", "PC1", "--reason", "PSD-2024-0173"}).exit_code,
            1);  // not half-loaded

  d.import("staff", "good.csv", "id,surname,hr_status,vetting_level\nPC1,Ng,active,NPPV2\n");
  const auto show = d.probity({"state", "show", "staff", "pc1", "--reason", "PSD-2024-0173"});
  EXPECT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("Ng"), std::string::npos) << show.output;
}

}  // namespace
}  // namespace probity::testing
