// Calibrate's what-if copies: thresholds found in the rule text, scaled in place, loaded.
#include "app/threshold_variants.h"

#include <gtest/gtest.h>

using namespace probity;
using app::ThresholdSite;

namespace {

constexpr const char* kThresholdVariantsRules =
    R"(# Look-ups — “bulk” ones (non-ASCII before the numbers)
- detection: lookup
  title: Look-up ±
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 50}
- correlation: many-subjects
  title: Many subjects
  severity: high
  distinct:
    of: lookup
    by: user.id
    field: subject.id
    within: 1h
    threshold: "40"
- correlation: busy-day
  title: Busy day
  severity: medium
  baseline: {of: lookup, by: user.id, z: 3, min_count: 20}
  max_keys: 100
- correlation: quiet-baseline
  title: No min_count, nothing to scale
  severity: low
  baseline: {of: lookup, by: user.id}
  max_keys: 100
- correlation: bulk-twice
  title: Two bulk alerts in a day
  severity: critical
  count: {of: [bulk], by: user.id, within: 24h, threshold: 2}
)";

std::vector<rules::RuleText> texts() { return {{"pack.yaml", kThresholdVariantsRules}}; }

}  // namespace

TEST(ThresholdSites, FindsCountDistinctAndBaselineThresholdsWhereTheyAreWritten) {
  const auto sites = app::find_threshold_sites(texts());
  ASSERT_EQ(sites.size(), 4u);
  const std::string text = kThresholdVariantsRules;
  const auto at = [&](const ThresholdSite& s) { return text.substr(s.offset, s.length); };
  EXPECT_EQ(sites[0].rule_id, "bulk");
  EXPECT_EQ(sites[0].key, "threshold");
  EXPECT_EQ(sites[0].value, 50);
  EXPECT_EQ(at(sites[0]), "50");
  EXPECT_EQ(sites[1].rule_id, "many-subjects");
  EXPECT_EQ(at(sites[1]), "40");  // inside the quotes
  EXPECT_EQ(sites[2].rule_id, "busy-day");
  EXPECT_EQ(sites[2].key, "min_count");
  EXPECT_EQ(at(sites[2]), "20");
  EXPECT_EQ(sites[3].rule_id, "bulk-twice");
  EXPECT_EQ(sites[3].upstream, (std::set<std::string>{"bulk", "lookup"}));
  EXPECT_EQ(sites[0].upstream, (std::set<std::string>{"lookup"}));
}

TEST(ThresholdSites, AChainedCorrelationIsScaledApartFromItsInput) {
  const auto groups = app::independent_groups(app::find_threshold_sites(texts()));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(groups[1], (std::vector<std::size_t>{3}));
}

TEST(ThresholdSites, ScaledCopiesChangeOnlyTheNumbersAndStillLoad) {
  const auto sites = app::find_threshold_sites(texts());
  const auto copy = app::with_scaled_thresholds(texts(), sites, {0, 1, 2}, 0.5);
  std::string expected = kThresholdVariantsRules;
  for (const auto& [from, to] : {std::pair{"threshold: 50}", "threshold: 25}"},
                                 std::pair{"threshold: \"40\"", "threshold: \"20\""},
                                 std::pair{"min_count: 20}", "min_count: 10}"}})
    expected.replace(expected.find(from), std::string(from).size(), to);
  EXPECT_EQ(copy[0].text, expected);
  rules::LoadReport report;
  EXPECT_TRUE(rules::load_rules_from_texts(copy, {}, report)) << report.format();
  EXPECT_EQ(app::find_threshold_sites(copy)[0].value, 25);
}

TEST(ThresholdSites, ScalingRoundsAndNeverGoesBelowOne) {
  EXPECT_EQ(app::scaled_threshold(10, 0.75), 8);  // 7.5 rounds up
  EXPECT_EQ(app::scaled_threshold(3, 1.5), 5);
  EXPECT_EQ(app::scaled_threshold(1, 0.5), 1);
  EXPECT_EQ(app::scaled_threshold(80, 2), 160);
}

TEST(ThresholdSites, TextThatIsNotYamlGivesNone) {
  EXPECT_TRUE(app::find_threshold_sites({{"broken.yaml", "- correlation: [unclosed\n"}}).empty());
}
