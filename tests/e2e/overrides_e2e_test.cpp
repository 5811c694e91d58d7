// Local overrides through the real binary: an overrides file's exception drops a match in
// `probity replay` and `probity rules test`, which say what each exception dropped; `rules
// check` names a bad entry by file:line:col; and the daemon takes a changed overrides file on
// SIGHUP (and a changed rules_overrides in the config), with per-exception counts on /metrics.
#include <gtest/gtest.h>

#include <csignal>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kOverridesRules = R"(
- detection: lookup
  title: Record look-up
  severity: medium
  condition: event.kind == "access" and action == "query"
  tests:
    - name: a constable's query
      expect: match
      event: {event.kind: access, user.id: pc1001, action: query, subject.id: P1}
    - name: the family liaison officer's query
      expect: match
      event: {event.kind: access, user.id: pc4567, action: query, subject.id: P1234}
)";

constexpr const char* kOverrides = R"(overrides:
  - rule: lookup
    exceptions:
      - id: flo-kestrel
        owner: psd-analyst-jones
        reason: family liaison officer, PSD-1412
        condition: user.id == "pc4567" and subject.id == "P1234"
)";

std::string access_line(const std::string& time, const std::string& user,
                        const std::string& subject) {
  return "<110>1 " + time + " app01 audit - ACCESS [access@32473 user.id=\"" + user +
         "\" source.system=\"PNC\" action=\"query\" subject.id=\"" + subject +
         "\"] record consulted\n";
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(OverridesE2E, ReplayDropsTheExceptedMatchAndSaysWhichExceptionDroppedIt) {
  ProbityDaemon d(DaemonOptions(kOverridesRules, false));
  const auto log = d.dir / "access.log";
  write_file(log, access_line("2026-11-02T10:00:00Z", "PC4567", "P1234") +
                      access_line("2026-11-02T10:05:00Z", "PC4567", "P1234") +
                      access_line("2026-11-02T10:10:00Z", "PC1001", "P1234"));
  const auto plain = d.probity({"replay", log.string()});
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(count(plain.output, R"("rule":"lookup")"), 3u) << plain.output;
  EXPECT_EQ(plain.output.find("exceptions dropped"), std::string::npos) << plain.output;

  const auto overrides = d.dir / "overrides.yaml";
  write_file(overrides, kOverrides);
  const auto tuned = d.probity({"replay", "--overrides", overrides.string(), log.string()});
  ASSERT_EQ(tuned.exit_code, 0) << tuned.output;
  EXPECT_EQ(count(tuned.output, R"("rule":"lookup")"), 1u) << tuned.output;
  EXPECT_NE(tuned.output.find(R"("user.id":"PC1001")"), std::string::npos) << tuned.output;
  EXPECT_NE(tuned.output.find("1 alerts"), std::string::npos) << tuned.output;
  EXPECT_NE(tuned.output.find("exceptions dropped 2 matches:\n"
                              "         2  lookup / flo-kestrel  (" +
                              overrides.string() + ":4, owner psd-analyst-jones)\n"),
            std::string::npos)
      << tuned.output;

  // Calibration, the go-live tuning tool, says the same.
  const auto calibrated =
      d.probity({"rules", "calibrate", "--overrides", overrides.string(), log.string()});
  ASSERT_EQ(calibrated.exit_code, 0) << calibrated.output;
  EXPECT_NE(calibrated.output.find("exceptions dropped 2 matches:\n"
                                   "         2  lookup / flo-kestrel"),
            std::string::npos)
      << calibrated.output;
}

TEST(OverridesE2E, RulesTestFailsATestAnExceptionDropsAndCountsIt) {
  ProbityDaemon d(DaemonOptions(kOverridesRules, false));
  const auto overrides = d.dir / "overrides.yaml";
  write_file(overrides, kOverrides);
  const auto plain = d.probity({"rules", "test"});
  EXPECT_EQ(plain.exit_code, 0) << plain.output;

  // Through the config, as an administrator sets it up.
  write_file(d.dir / "probity.yaml",
             read_file(d.dir / "probity.yaml") + "rules_overrides: [" + overrides.string() + "]\n");
  const auto tested = d.probity({"rules", "test"});
  EXPECT_EQ(tested.exit_code, 1) << tested.output;
  EXPECT_NE(tested.output.find("FAIL lookup: the family liaison officer's query"),
            std::string::npos)
      << tested.output;
  EXPECT_NE(tested.output.find("dropped by exception 'flo-kestrel' (owner psd-analyst-jones, " +
                               overrides.string() + ":4): family liaison officer, PSD-1412"),
            std::string::npos)
      << tested.output;
  EXPECT_NE(tested.output.find("2 tests in 1 of 1 rules: 1 passed, 1 failed"), std::string::npos)
      << tested.output;
  EXPECT_NE(tested.output.find("exceptions dropped 1 match:\n"
                               "         1  lookup / flo-kestrel"),
            std::string::npos)
      << tested.output;
}

TEST(OverridesE2E, RulesCheckNamesAnUnknownRuleAndABadConditionByFileAndLine) {
  ProbityDaemon d(DaemonOptions(kOverridesRules, false));
  const auto overrides = d.dir / "overrides.yaml";
  write_file(overrides, R"(overrides:
  - rule: lookups
    suppress: {for: 1h}
  - rule: lookup
    exceptions:
      - {id: x, owner: psd, reason: testing, condition: subject.idd == "P1"}
)");
  const auto r = d.probity({"rules", "check", "--overrides", overrides.string()});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(overrides.string() +
                          ":2:11: error[rules.override_unknown]: override: no rule has the id "
                          "'lookups'"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("hint: did you mean 'lookup'?"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(overrides.string() +
                          ":6:57: error[rules.unknown_field]: unknown field 'subject.idd'"),
            std::string::npos)
      << r.output;
}

TEST(OverridesE2E, TheExampleOverridesFileFitsTheShippedPack) {
  TempDir dir("probity-overrides");
  const auto r = run_program({PROBITY_BINARY, "rules", "check", "--rules",
                              PROBITY_SHIPPED_RULES_DIR, "--overrides", PROBITY_EXAMPLE_OVERRIDES,
                              "--state-dir", (dir / "state").string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("overrides.example.yaml:"), std::string::npos) << r.output;
}

TEST(OverridesE2E, SighupTakesAChangedOverridesFileAndConfig) {
  ProbityDaemon d(DaemonOptions(kOverridesRules, false));
  const auto first = d.dir / "overrides.yaml";
  write_file(first, kOverrides);
  const std::string config = read_file(d.dir / "probity.yaml");
  write_file(d.dir / "probity.yaml", config + "rules_overrides: [" + first.string() + "]\n");
  ASSERT_TRUE(d.start());
  const std::string flo =
      R"(probity_rule_exception_dropped_total{rule="lookup",exception="flo-kestrel"})";
  EXPECT_EQ(d.metric(flo), 0) << d.process()->log();

  auto lookup = [&](const std::string& user) {
    const auto r = d.log_access(d.syslog_port,
                                {{"user.id", user}, {"action", "query"}, {"subject.id", "P1234"}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  };
  lookup("pc4567");
  ASSERT_TRUE(d.wait_metric("probity_events_evaluated_total", 1)) << d.process()->log();
  EXPECT_TRUE(d.wait_metric(flo, 1)) << d.process()->log();
  EXPECT_EQ(d.metric("probity_rule_matches_total"), 0);

  // The exception now covers another officer: edited in place, then SIGHUP.
  write_file(first,
             std::string(kOverrides).replace(std::string(kOverrides).find("pc4567"), 6, "pc7777"));
  d.process()->signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return count(d.process()->log(), "rules reloaded (SIGHUP)") >= 1; },
                         std::chrono::seconds(10)))
      << d.process()->log();
  lookup("pc4567");
  ASSERT_TRUE(d.wait_metric("probity_rule_matches_total", 1)) << d.process()->log();
  lookup("pc7777");
  ASSERT_TRUE(d.wait_metric("probity_events_evaluated_total", 3)) << d.process()->log();
  EXPECT_TRUE(d.wait_metric(flo, 1)) << d.process()->log();  // counted since the reload
  EXPECT_EQ(d.metric("probity_rule_matches_total"), 1);
  // Per detection, since the reload: pc4567's look-up kept, pc7777's dropped; the first event
  // after a load is the one of the two whose condition was timed.
  const std::string lookup_rule = R"({rule="lookup"})";
  EXPECT_EQ(d.metric("probity_detection_matches_total" + lookup_rule), 1);
  EXPECT_EQ(d.metric("probity_detection_evaluations_sampled_total" + lookup_rule), 1);
  EXPECT_GT(d.metric("probity_detection_evaluation_sampled_nanoseconds_total" + lookup_rule), 0);

  // The config points at another overrides file: a SIGHUP takes it, no restart needed.
  const auto second = d.dir / "tuning" / "second.yaml";
  write_file(second, R"(overrides:
  - rule: lookup
    exceptions:
      - {id: everyone, owner: psd, reason: testing, condition: action == "query"}
)");
  write_file(d.dir / "probity.yaml",
             config + "rules_overrides: [" + second.parent_path().string() + "]\n");
  d.process()->signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return count(d.process()->log(), "rules reloaded (SIGHUP)") >= 2; },
                         std::chrono::seconds(10)))
      << d.process()->log();
  lookup("pc1001");
  ASSERT_TRUE(d.wait_metric(
      R"(probity_rule_exception_dropped_total{rule="lookup",exception="everyone"})", 1))
      << d.process()->log();
  EXPECT_EQ(d.metric(flo), -1);  // that exception is gone with its file
  EXPECT_EQ(d.metric("probity_rule_matches_total"), 1);
  EXPECT_EQ(d.process()->log().find("take effect only after a restart"), std::string::npos)
      << d.process()->log();
}

}  // namespace probity::testing
