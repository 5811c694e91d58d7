// Reference data changes while the daemon runs: `probity state import` hands the file to
// the daemon over its control socket, the import is recorded in the trail, no event of a
// steady stream is lost or left unevaluated, and the next event sees the new data.
#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "daemon_fixture.h"

using namespace probity::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kLiveImportRules = R"(
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id} on {source.system}"
  fields: [user.id, subject.id, source.system]
)";

}  // namespace

TEST(LiveImportE2E, AnImportWhileEventsFlowIsSeenByTheNextEventAndLosesNone) {
  ProbityDaemon daemon(DaemonOptions(kLiveImportRules, /*with_smtp=*/false));
  daemon.import("staff", "staff.csv",
                "id,surname,forenames,emails,hr_status\n"
                "PC1001,Hartley,James,james.hartley@force.example,active\n");
  ASSERT_TRUE(daemon.start());
  const auto send = [&daemon](const std::string& subject) {
    const auto r = daemon.log_access(daemon.syslog_port, {{"user.id", "PC1001"},
                                                          {"source.system", "PNC"},
                                                          {"action", "query"},
                                                          {"subject.type", "person"},
                                                          {"subject.id", subject}});
    return r.exit_code == 0;
  };

  // A steady stream of look-ups of someone not yet declared as an associate.
  std::atomic<bool> streaming{true};
  std::atomic<int> sent{0}, failed{0};
  std::thread stream([&] {
    while (streaming) {
      (send("P0042117") ? sent : failed)++;
      std::this_thread::sleep_for(10ms);
    }
  });
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 20)) << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_alerts_stored_total"), 0);

  // The declaration arrives while the daemon runs: it takes the file itself.
  write_file(daemon.dir / "assoc.csv",
             "staff_id,party_id,party_name,kind,declared_on\n"
             "PC1001,P0042117,Daniel Hartley,family,2023-05-02\n");
  const auto imported =
      daemon.probity({"state", "import", "associations", (daemon.dir / "assoc.csv").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.output << daemon.process()->log();
  EXPECT_NE(imported.output.find("the running daemon uses them"), std::string::npos)
      << imported.output;

  // The next look-up (and every later one) is of a declared associate now.
  const int before_marker = sent;
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", before_marker + 5))
      << daemon.process()->log();
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 1)) << daemon.process()->log();
  streaming = false;
  stream.join();
  EXPECT_EQ(failed, 0);

  // Every event sent was evaluated, none refused.
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", sent))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_events_evaluated_total"), sent);
  ASSERT_EQ(daemon.stop(), 0);

  // A bad file loads nothing and says which row, through the same door.
  ASSERT_TRUE(daemon.start());
  write_file(daemon.dir / "bad.csv",
             "staff_id,party_id,party_name,kind,declared_on\nPC1001,P1,X,cousin-ish,2023-05-02\n");
  const auto bad =
      daemon.probity({"state", "import", "associations", (daemon.dir / "bad.csv").string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("nothing was loaded"), std::string::npos) << bad.output;
  ASSERT_EQ(daemon.stop(), 0);

  // Both imports are in the trail, with who ran them.
  const auto trail = daemon.probity({"audit", "show"});
  EXPECT_NE(trail.output.find("state.import"), std::string::npos) << trail.output;
  EXPECT_EQ(daemon.probity({"audit", "verify"}).exit_code, 0);
}

TEST(LiveImportE2E, SighupTakesDisabledRulesLiveAndNamesWhatWaitsForARestart) {
  ProbityDaemon daemon(DaemonOptions(kLiveImportRules, /*with_smtp=*/false));
  daemon.import("staff", "staff.csv",
                "id,surname,forenames,emails,hr_status\n"
                "PC1001,Hartley,James,james.hartley@force.example,active\n");
  daemon.import("associations", "assoc.csv",
                "staff_id,party_id,party_name,kind,declared_on\n"
                "PC1001,P0042117,Daniel Hartley,family,2023-05-02\n");
  ASSERT_TRUE(daemon.start());
  std::atomic<bool> streaming{true};
  std::atomic<int> sent{0}, failed{0};
  std::thread stream([&] {
    while (streaming) {
      const auto r = daemon.log_access(daemon.syslog_port, {{"user.id", "PC1001"},
                                                            {"source.system", "PNC"},
                                                            {"action", "query"},
                                                            {"subject.type", "person"},
                                                            {"subject.id", "P0042117"}});
      (r.exit_code == 0 ? sent : failed)++;
      std::this_thread::sleep_for(10ms);
    }
  });
  ASSERT_TRUE(daemon.wait_metric("probity_alerts_stored_total", 5)) << daemon.process()->log();

  // The rule is switched off in the config, and the HTTP port changed, which cannot be
  // taken live.
  const auto config_file = daemon.dir / "probity.yaml";
  const std::string original = read_file(config_file);
  std::string config = original + "disable_rules: [lookup-of-declared-associate]\n";
  const auto port_line = "port: " + std::to_string(daemon.http_port);
  config.replace(config.find(port_line), port_line.size(),
                 "port: " + std::to_string(pick_free_port()));
  write_file(config_file, config);
  daemon.process()->signal(SIGHUP);
  ASSERT_TRUE(wait_until(
      [&] { return daemon.process()->log().find("rules reloaded (SIGHUP)") != std::string::npos; },
      10s))
      << daemon.process()->log();
  // The swap happens between batches: events sent after the reload are past it.
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", sent + 3));
  const auto alerts_after_reload = daemon.metric("probity_alerts_stored_total");
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", sent + 10))
      << daemon.process()->log();
  streaming = false;
  stream.join();
  EXPECT_EQ(failed, 0);
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", sent));
  EXPECT_EQ(daemon.metric("probity_events_evaluated_total"), sent);
  // No look-up after the reload raised an alert. The http section waits for a restart (the
  // old port still answers), and an internal alert says so.
  EXPECT_EQ(daemon.metric("probity_alerts_stored_total"), alerts_after_reload);
  EXPECT_NE(daemon.process()->log().find("changes to http take effect only after a restart"),
            std::string::npos)
      << daemon.process()->log();
  ASSERT_EQ(daemon.stop(), 0);
  const auto list = daemon.probity({"alerts", "list", "--rule", "probity-config-needs-restart"});
  EXPECT_NE(list.output.find("1 alert"), std::string::npos) << list.output;

  // A config that does not load changes nothing and says so.
  write_file(config_file, original);
  ASSERT_TRUE(daemon.start());
  write_file(config_file, original + "no_such_setting: 1\n");
  daemon.process()->signal(SIGHUP);
  ASSERT_TRUE(wait_until(
      [&] {
        return daemon.process()->log().find("config reload (SIGHUP) failed") != std::string::npos;
      },
      10s))
      << daemon.process()->log();
  ASSERT_EQ(daemon.stop(), 0);
}

TEST(LiveImportE2E, ProbityReloadSaysWhatWasAppliedWaitsAndFailed) {
  ProbityDaemon daemon(DaemonOptions(kLiveImportRules, /*with_smtp=*/false));
  // Nothing runs yet: the command says so rather than pretending.
  const auto nobody = daemon.probity({"reload"});
  EXPECT_EQ(nobody.exit_code, 2) << nobody.output;
  ASSERT_TRUE(daemon.start());

  const auto config_file = daemon.dir / "probity.yaml";
  const std::string original = read_file(config_file);
  std::string config = original + "disable_rules: [lookup-of-declared-associate]\n";
  const auto port_line = "port: " + std::to_string(daemon.http_port);
  config.replace(config.find(port_line), port_line.size(),
                 "port: " + std::to_string(pick_free_port()));
  write_file(config_file, config);
  const auto applied = daemon.probity({"reload"});
  EXPECT_EQ(applied.exit_code, 0) << applied.output;
  EXPECT_NE(applied.output.find("reloaded: 0 rules enabled"), std::string::npos) << applied.output;
  EXPECT_NE(applied.output.find("only after a restart: http"), std::string::npos) << applied.output;

  write_file(config_file, original + "no_such_setting: 1\n");
  const auto refused = daemon.probity({"reload"});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("the running one is kept"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("no_such_setting"), std::string::npos) << refused.output;
  ASSERT_EQ(daemon.stop(), 0);
  write_file(config_file, original);
  // Who asked is in the consultation trail.
  const auto trail = daemon.probity({"audit", "show"});
  EXPECT_NE(trail.output.find("config.reload"), std::string::npos) << trail.output;
}

TEST(LiveImportE2E, ANewSourceIsTakenLiveWithoutARestart) {
  ProbityDaemon daemon(DaemonOptions(kLiveImportRules, /*with_smtp=*/false));
  ASSERT_TRUE(daemon.start());
  // A product Probity has no source for yet: key=value audit lines tagged "niche-audit".
  const std::string line =
      "<86>1 2026-12-05T10:00:00Z rms1 niche-audit - - - usr=PC1001 nominal=P0042117\n";
  ASSERT_TRUE(send_tcp(daemon.syslog_port, line));
  ASSERT_TRUE(daemon.wait_metric("probity_events_rejected_total{reason=\"no_source\"}", 1))
      << daemon.process()->log();

  const auto config_file = daemon.dir / "probity.yaml";
  write_file(config_file, read_file(config_file) +
                              "sources:\n  - name: niche-audit\n    kind: access\n"
                              "    match: {app_name: niche-audit}\n    format: kv\n"
                              "    fields: {user.id: usr, subject.id: nominal}\n"
                              "    constants: {source.system: Niche}\n");
  const auto reloaded = daemon.probity({"reload"});
  ASSERT_EQ(reloaded.exit_code, 0) << reloaded.output;
  EXPECT_EQ(reloaded.output.find("only after a restart"), std::string::npos) << reloaded.output;
  ASSERT_TRUE(send_tcp(daemon.syslog_port, line));
  EXPECT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 1)) << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_events_rejected_total{reason=\"no_source\"}"), 1);
  ASSERT_EQ(daemon.stop(), 0);
}
