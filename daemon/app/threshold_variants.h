// What-if runs for `probity rules calibrate`: the thresholds of count and distinct
// correlations (and the min_count of baseline ones) as written in the rule files, and
// copies of the files' text with chosen thresholds scaled, for rules::load_rules_from_texts.
// Only the number's bytes change (found through yaml-cpp's marks), so a copy loads exactly
// as the original but for it. Not for the daemon, which runs the files as written.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "rules/rules.h"

namespace probity::app {

/// One correlation's threshold in the rule files' text.
struct ThresholdSite {
  std::string rule_id;
  std::string key;  ///< "threshold" (count, distinct) or "min_count" (baseline)
  std::int64_t value = 0;
  std::size_t file = 0;                ///< index into the texts
  std::size_t offset = 0, length = 0;  ///< the number's bytes in that text
  /// The rules whose matches reach this one, directly or through other correlations.
  std::set<std::string> upstream;
};

/// Every count/distinct threshold and baseline min_count written in `texts` (a baseline
/// without min_count has none to scale). A file that is not valid YAML gives none: the
/// loader reports it.
std::vector<ThresholdSite> find_threshold_sites(const std::vector<rules::RuleText>& texts);

/// Sites that can be scaled together in one rule set without changing each other's input:
/// within a group no site is upstream of another. Indices into `sites`, in order.
std::vector<std::vector<std::size_t>> independent_groups(const std::vector<ThresholdSite>& sites);

/// round(value × factor), at least 1.
std::int64_t scaled_threshold(std::int64_t value, double factor);

/// `texts` with the thresholds of the sites in `group` scaled by `factor`.
std::vector<rules::RuleText> with_scaled_thresholds(std::vector<rules::RuleText> texts,
                                                    const std::vector<ThresholdSite>& sites,
                                                    const std::vector<std::size_t>& group,
                                                    double factor);

}  // namespace probity::app
