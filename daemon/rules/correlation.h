// Internal to rules/: the compiled form of a correlation (`- correlation:` items) and of the alert
// controls shared with detections (suppress, building_block). Compiled by compile_correlations() at
// load; run by CorrelationEngine (correlation_engine.cpp).
#pragma once

#include <atomic>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "rules/inline_tests.h"
#include "rules/loader.h"
#include "rules/rules.h"
#include "rules/template.h"

namespace probity::rules {

/// suppress: {by, for}; for_us == 0 means no suppression.
struct SuppressSpec {
  std::vector<event::FieldId> by;
  std::int64_t for_us = 0;
};

struct CompiledCorrelation {
  RuleInfo info;
  CorrelationType type = CorrelationType::count;
  std::vector<event::FieldId> by;
  struct Input {
    std::string rule;
    std::vector<event::FieldId> by;  ///< the step's key fields (the correlation's by if none)
    double score = 0;
  };
  std::vector<Input> inputs;  ///< of / steps / scores
  std::vector<Input> until;   ///< sequence: until; absent: followed_by
  std::optional<event::FieldId> field;
  std::int64_t within_us = 0, threshold = 0;
  std::int64_t period_us = 0, history_periods = 0, min_history_periods = 0, learning_us = 0;
  std::int64_t half_life_us = 0;
  double z = 3, risk_threshold = 0;
  std::size_t max_keys = 100'000, max_pending = 1'000;
  SuppressSpec suppress;
  CompiledTemplate alert;  ///< empty: a message built from the title and the group
  std::vector<InlineTest> tests;
  /// sequence link: first-step values (text or text-list fields) that must appear in the last
  /// step's text; a field's severity, when given, replaces the rule's for chains it links.
  struct LinkField {
    event::FieldId field;
    std::optional<Severity> severity;
  };
  std::vector<LinkField> link_from;
  std::vector<event::FieldId> link_to;
  std::vector<event::FieldId> link_unless_in;
  CompiledTemplate peer;  ///< baseline: the key's peer group; empty: own history only
  std::size_t min_peers = 5;
  bool absent_is_zero = false;  ///< baseline: history from the rule's first match, not the key's
  bool peer_habit = false;      ///< baseline: peers' working days are a norm even with own history
  std::int64_t per_us = 0;      ///< risk: a rule scores once per key per period
  std::size_t min_rules = 1;
  double cap = 0;                   ///< risk: a rule adds at most cap x its score; 0: no cap
  double speed_kmh = 100;           ///< travel: straight-line km/h no one beats between sites
  std::int64_t town_within_us = 0;  ///< travel: different towns without coordinates; 0: off
  /// What its checkpoints have encoded since load (RuleSet::correlation_costs): the engine's
  /// thread counts, the metrics thread reads. Behind a pointer so the rule stays movable.
  struct SavedCost {
    std::atomic<std::uint64_t> groups{0};  ///< group entries encoded
    std::atomic<std::uint64_t> bytes{0};   ///< their keys and values, and new evidence entries'
  };
  std::unique_ptr<SavedCost> saved = std::make_unique<SavedCost>();
};

/// Checks and compiles every correlation of `c` into `out` (load order) and `ordered` (enabled
/// ones, each after the correlations it consumes). `detections` are the compiled detections (their
/// ids, versions and whether enabled). Reports unknown rules, cycles, missing or useless keys and
/// unbounded state.
void compile_correlations(Collection& c,
                          const std::vector<std::unique_ptr<CompiledRule>>& detections,
                          CheckContext& check, CompileContext& comp, Reporter& report,
                          std::vector<std::unique_ptr<CompiledCorrelation>>& out,
                          std::vector<const CompiledCorrelation*>& ordered);

/// Field ids for `suppress.by` and correlation keys: canonical text fields only.
bool key_fields(const std::vector<std::string>& names, const Where& where, Reporter& report,
                std::vector<event::FieldId>& out);

/// FNV-1a 64 as 16 hex digits, for rule versions.
std::string version_hash(std::string_view material);

}  // namespace probity::rules
