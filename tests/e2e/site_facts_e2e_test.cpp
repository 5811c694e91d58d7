// Site facts end to end: a rule needing a fact the site file does not set is disabled, and the
// running daemon says so (a start-up warning and an internal alert); once the file sets it, the
// daemon reloads on its own and the rule runs.
#include <gtest/gtest.h>

#include "daemon_fixture.h"

using namespace probity::testing;

namespace {

const char* kSiteFactsRules = R"(- detection: invalid-ref
  title: Invented reference
  severity: medium
  condition: event.kind == "access" and invalid_reference(source.system, reason.ref)
)";

}  // namespace

TEST(SiteFactsE2E, UnsetFactDisablesTheRuleUntilTheSiteFileSetsIt) {
  ProbityDaemon daemon(DaemonOptions(kSiteFactsRules, /*with_smtp=*/false));
  ASSERT_TRUE(daemon.start());
  const auto alerts = daemon.dir / "state" / "alerts.jsonl";
  ASSERT_TRUE(wait_until(
      [&] {
        return read_file(alerts).find("probity-rules-disabled-unset-facts") != std::string::npos;
      },
      std::chrono::seconds(10)))
      << daemon.process()->log();
  EXPECT_NE(read_file(alerts).find("invalid-ref (needs reference_formats)"), std::string::npos);
  EXPECT_NE(daemon.process()->log().find("rules.requires_unset"), std::string::npos);

  auto send = [&](const char* ref) {
    const auto r = daemon.log_access(daemon.syslog_port, {{"user.id", "pc1"},
                                                          {"action", "query"},
                                                          {"source.system", "PNC"},
                                                          {"subject.id", "P1"},
                                                          {"reason.ref", ref}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  };
  send("made-up");
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 1)) << daemon.process()->log();
  EXPECT_EQ(read_file(alerts).find("\"invalid-ref\""), std::string::npos);  // disabled: silent

  write_file(daemon.dir / "state" / "site.yaml",
             "reference_formats:\n  \"*\": ['CR/\\d{5}/\\d{2}']\n");
  ASSERT_TRUE(wait_until(
      [&] {
        return daemon.process()->log().find("rules reloaded (rule files changed)") !=
               std::string::npos;
      },
      std::chrono::seconds(10)))
      << daemon.process()->log();
  send("CR/04571/26");
  send("made-up");
  ASSERT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 3)) << daemon.process()->log();
  ASSERT_TRUE(
      wait_until([&] { return read_file(alerts).find("\"invalid-ref\"") != std::string::npos; },
                 std::chrono::seconds(10)))
      << read_file(alerts);
  std::size_t n = 0;
  const std::string text = read_file(alerts);
  for (auto at = text.find("\"rule_id\":\"invalid-ref\""); at != std::string::npos;
       at = text.find("\"rule_id\":\"invalid-ref\"", at + 1))
    ++n;
  EXPECT_EQ(n, 1u) << text;  // the made-up reference only
  EXPECT_EQ(daemon.stop(), 0);
}
