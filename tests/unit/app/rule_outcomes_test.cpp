// Per-rule outcome figures (app/rule_outcomes.h) from alerts in known states.
#include "app/rule_outcomes.h"

#include <gtest/gtest.h>

using namespace probity;

namespace {

alerts::Alert closed(const std::string& rule, const std::string& status,
                     const std::string& dismissal = {}, int minutes_to_act = 10) {
  alerts::Alert a;
  a.rule_id = rule;
  a.status = status;
  a.raised_at = *event::parse_time("2026-12-01T09:00:00Z");
  if (status != "new") {
    alerts::TriageEntry h;
    h.action = status == "dismissed" ? "dismiss" : "acknowledge";
    h.dismissal = dismissal;
    h.at = a.raised_at + std::chrono::minutes(minutes_to_act);
    alerts::TriageEntry note;
    note.action = "note";  // a note takes nothing on
    note.at = a.raised_at;
    a.history = {note, h};
  }
  return a;
}

}  // namespace

TEST(RuleOutcomes, PrecisionIsGoodClosuresOverAllClosures) {
  app::RuleOutcomeTally tally;
  tally.add(closed("r", "resolved", {}, 10));
  tally.add(closed("r", "escalated", {}, 30));
  tally.add(closed("r", "dismissed", "false_positive", 20));
  tally.add(closed("r", "dismissed", "benign", 50));
  tally.add(closed("r", "new"));
  tally.add(closed("quiet", "new"));
  const auto rules = tally.finish();
  const auto& r = rules.at("r");
  EXPECT_EQ(r.raised, 5u);
  EXPECT_EQ(r.open, 1u);
  EXPECT_EQ(r.false_positive, 1u);
  EXPECT_EQ(r.benign, 1u);
  EXPECT_DOUBLE_EQ(r.precision(), 0.5);
  ASSERT_TRUE(r.median_to_acknowledge);
  EXPECT_EQ(*r.median_to_acknowledge, std::chrono::minutes(30));  // of 10, 20, 30, 50
  EXPECT_LT(rules.at("quiet").precision(), 0);                    // nothing closed yet
  EXPECT_FALSE(rules.at("quiet").median_to_acknowledge);
}

TEST(RuleOutcomes, SinceLeavesOlderAlertsOut) {
  app::RuleOutcomeTally tally(*event::parse_time("2026-12-02T00:00:00Z"));
  tally.add(closed("r", "resolved"));
  EXPECT_TRUE(tally.finish().empty());
}
