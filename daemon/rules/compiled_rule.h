// Internal to rules/: the compiled form of one detection, as a RuleSet holds it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rules/correlation.h"
#include "rules/inline_tests.h"
#include "rules/nodes.h"
#include "rules/rules.h"
#include "rules/template.h"

namespace probity::rules {

struct CompiledRule {
  RuleInfo info;
  NodePtr condition;
  CompiledTemplate alert;  ///< empty: the message is the title
  std::vector<std::pair<std::string, ValuePtr>> fields;
  std::vector<event::Identity> field_identities;  ///< what each of `fields` names
  std::vector<InlineTest> tests;
  std::vector<std::pair<std::string, ValuePtr>> lookups;  ///< see Match::lookups
  SuppressSpec suppress;
  struct Exception {
    ExceptionInfo info;
    NodePtr condition;
    /// Matches this exception dropped; evaluate() is const and runs on many threads. Behind a
    /// pointer so the exception stays movable.
    std::unique_ptr<std::atomic<std::uint64_t>> dropped =
        std::make_unique<std::atomic<std::uint64_t>>(0);
  };
  std::vector<Exception> exceptions;
  /// What the rule has cost and matched since load (RuleSet::detection_costs). Behind a
  /// pointer so the rule stays movable.
  struct Cost {
    std::atomic<std::uint64_t> matches{0};     ///< matches kept (after exceptions)
    std::atomic<std::uint64_t> sampled{0};     ///< condition tests timed
    std::atomic<std::uint64_t> sampled_ns{0};  ///< their total time
  };
  std::unique_ptr<Cost> cost = std::make_unique<Cost>();

  /// The first exception that drops a match of this rule: unexpired at `when` (the event's
  /// time; none: every exception counts as unexpired) and its condition holding. Null if none.
  /// Counts nothing: the caller that drops the match does.
  const Exception* exception_for(EvalContext& ctx, std::optional<event::Timestamp> when) const;
};

}  // namespace probity::rules
