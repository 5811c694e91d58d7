// Per-rule outcome figures (app/rule_outcomes.h) from alerts in known states.
#include "app/rule_outcomes.h"
#include "app/rule_outcome_metrics.h"

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

namespace {

// The sample line for `series` in a /metrics rendering, or "" when there is none.
std::string sample(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return "";
  return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
}

void work(alerts::Alert& a, alerts::TriageAction action, std::string dismissal = {},
          std::string text = {}) {
  alerts::TriageRequest r;
  r.action = action;
  r.actor = "ian";
  r.dismissal = std::move(dismissal);
  r.text = std::move(text);
  r.at = a.raised_at + std::chrono::minutes(a.history.size() + 1);
  ASSERT_TRUE(alerts::apply_triage(a, r));
}

}  // namespace

TEST(RuleOutcomeMetrics, FollowEachAlertThroughRaiseFoldAndEveryChange) {
  app::RuleOutcomeMetrics live;
  http::MetricsRegistry metrics;
  live.register_in(metrics);
  alerts::Alert a = closed("colleague-lookup", "new");
  a.severity = "high";
  live.observe(a, alerts::StoredChange::raised);
  a.count = 2;
  live.observe(a, alerts::StoredChange::folded);
  auto text = metrics.render();
  EXPECT_EQ(sample(text, R"(probity_rule_alerts{rule="colleague-lookup",outcome="open"})"),
            R"(probity_rule_alerts{rule="colleague-lookup",outcome="open"} 1)")
      << text;
  EXPECT_NE(
      sample(text, R"(probity_rule_alert_matches_total{rule="colleague-lookup",severity="high"})")
          .find("} 2"),
      std::string::npos)
      << text;

  work(a, alerts::TriageAction::acknowledge);
  live.observe(a, alerts::StoredChange::worked);
  work(a, alerts::TriageAction::dismiss, "benign", "FLO visit to the family");
  live.observe(a, alerts::StoredChange::worked);
  text = metrics.render();
  EXPECT_NE(
      sample(text, R"(probity_rule_alerts{rule="colleague-lookup",outcome="open"})").find("} 0"),
      std::string::npos)
      << text;
  EXPECT_NE(
      sample(text, R"(probity_rule_alerts{rule="colleague-lookup",outcome="benign"})").find("} 1"),
      std::string::npos)
      << text;

  // A reopen moves it back; a later resolution counts once, as resolved.
  work(a, alerts::TriageAction::reopen, {}, "new information from the complainant");
  live.observe(a, alerts::StoredChange::worked);
  work(a, alerts::TriageAction::resolve, {}, "words of advice given by the inspector");
  live.observe(a, alerts::StoredChange::worked);
  text = metrics.render();
  EXPECT_NE(
      sample(text, R"(probity_rule_alerts{rule="colleague-lookup",outcome="benign"})").find("} 0"),
      std::string::npos)
      << text;
  EXPECT_NE(sample(text, R"(probity_rule_alerts{rule="colleague-lookup",outcome="resolved"})")
                .find("} 1"),
            std::string::npos)
      << text;
}

TEST(RuleOutcomeMetrics, LabelValuesAreEscaped) {
  http::MetricsRegistry metrics;
  metrics.add_family("x", "help", http::MetricsRegistry::Type::gauge, [] {
    return http::MetricsRegistry::Family{{{{"rule", "a\"b\\c\nd"}}, 3}};
  });
  EXPECT_NE(metrics.render().find(R"(probity_x{rule="a\"b\\c\nd"} 3)"), std::string::npos)
      << metrics.render();
}
