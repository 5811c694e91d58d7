// `probity rules explain` and `probity rules test` on correlations, as a user runs them.
#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {

TEST(RulesCli, ExplainShowsTheInputsAndAlertsOfACorrelation) {
  TempDir dir("probity-rules-cli");
  write_file(dir / "rules.yaml", R"(- detection: lookup
  title: Look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 2}
  tests:
    - alerts: 1
      events:
        - {event.kind: access, event.time: "2026-01-05T09:00:00Z", user.id: pc1, action: query}
        - {event.kind: access, event.time: "2026-01-05T09:30:00Z", user.id: pc1, action: query}
)");
  const std::string events =
      R"({"event.kind":"access","event.time":"2026-01-05T09:00:00Z","user.id":"pc1","action":"query"})"
      "\n"
      R"({"event.kind":"access","event.time":"2026-01-05T09:40:00Z","user.id":"pc1","action":"view"})"
      "\n"
      R"({"event.kind":"access","event.time":"2026-01-05T09:50:00Z","user.id":"pc1","action":"query"})"
      "\n";
  const auto explained =
      run_program({PROBITY_BINARY, "rules", "explain", "bulk", (dir / "rules.yaml").string(),
                   "--state-dir", (dir / "state").string()},
                  events);
  ASSERT_EQ(explained.exit_code, 0) << explained.output;
  EXPECT_NE(
      explained.output.find("event 2 (2026-01-05T09:40:00.000000Z): detections matched: none"),
      std::string::npos)
      << explained.output;
  EXPECT_NE(explained.output.find("=> raised bulk: Bulk look-ups (user.id=pc1: count 2 in 1h"),
            std::string::npos)
      << explained.output;
  EXPECT_NE(explained.output.find("bulk: 1 alert(s) from 3 event(s)"), std::string::npos)
      << explained.output;

  const auto tested =
      run_program({PROBITY_BINARY, "rules", "test", "-v", (dir / "rules.yaml").string(),
                   "--state-dir", (dir / "state").string()});
  EXPECT_EQ(tested.exit_code, 0) << tested.output;
  EXPECT_NE(tested.output.find("PASS bulk: test 1"), std::string::npos) << tested.output;
  EXPECT_NE(tested.output.find("expects 1 alert(s), got 1"), std::string::npos) << tested.output;
}

}  // namespace probity::testing
