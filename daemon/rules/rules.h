// The rules stage's only door: load administrator-written YAML rule files into an
// immutable RuleSet and evaluate it against canonical events. Not for correlation state
// or alert delivery (alerts/), nor for reading RocksDB (rules see state/reference.h only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "event/event.h"
#include "state/reference.h"

namespace probity::rules {

enum class Severity { info, low, medium, high, critical };
std::string_view to_string(Severity);
std::optional<Severity> severity_from_string(std::string_view);

/// One load problem. `code` is stable ("rules.unknown_field"); `pos` is file:line:col
/// in the rule file; `snippet` is that source line, so format() can draw a caret.
struct Diagnostic {
  enum class Level { error, warning } level = Level::error;
  std::string code;
  SourcePos pos;
  std::string message;
  std::string hint;
  std::string snippet;       ///< the source line at pos.line, without its newline
  std::uint32_t length = 1;  ///< how many columns the caret underlines
};

struct LoadReport {
  std::vector<Diagnostic> diagnostics;
  /// True when there are no errors (warnings allowed).
  bool ok() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  /// One block per diagnostic: "file:line:col: error[code]: message", the source line,
  /// a caret line under the offending text, and "  hint: ..." when there is one.
  std::string format() const;
};

struct LoadOptions {
  /// When set, named lists that are not defined in the rule files must exist here
  /// (error otherwise), and a rule-file list with the same name as a state list is an error.
  const state::ReferenceData* reference = nullptr;
  /// Rules to leave disabled: exact ids or globs with '*' ("pnc-*"), and tags.
  std::vector<std::string> disabled_ids, disabled_tags;
  /// Zone for hour() and weekday() without an explicit zone: "UTC" or an IANA name
  /// ("Europe/London") read from `zoneinfo_dir`. An unknown zone is a load error.
  std::string time_zone = "UTC";
  std::string zoneinfo_dir = "/usr/share/zoneinfo";
};

struct Match {
  std::string rule_id;
  std::string rule_version;  ///< hash of the rule's source text and the macros/lists it uses
  std::string title;
  Severity severity = Severity::info;
  std::vector<std::string> tags;
  std::string message;                                            ///< rendered alert text
  std::vector<std::pair<std::string, std::string>> shown_fields;  ///< name -> value
  /// The reference data the condition consulted, as expression -> value when it matched
  /// ("staff(user.id).vetting.level" -> "NPPV2"): the state the alert relied on.
  std::vector<std::pair<std::string, std::string>> lookups;
};

/// What a loaded rule is, for listings (`probity rules check`) and for the alert store.
struct RuleInfo {
  std::string id;
  std::string version;
  std::string title;
  std::string description;
  Severity severity = Severity::info;
  std::vector<std::string> tags;
  bool enabled = true;
  bool on_access = true;  ///< whether the rule can match access / email events at all
  bool on_email = true;
  SourcePos pos;          ///< where the rule item starts
  std::string condition;  ///< the condition as written (after appends), for display
};

struct CompiledRule;  // rule_set.cpp: the checked, compiled form of one detection

/// Immutable after load. evaluate() is const and safe to call from many threads at once;
/// it never throws and allocates only for the matches it appends (and reference look-ups).
class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  /// Appends one Match per enabled rule whose condition holds for `e`, in load order.
  /// Every rule indexed for e.kind() is evaluated (no first-match shadowing).
  void evaluate(const event::Event& e, const state::ReferenceData& ref,
                std::vector<Match>& out) const;

  /// Number of enabled rules.
  std::size_t size() const;
  /// Every loaded rule, enabled or not, in load order.
  std::vector<RuleInfo> rules() const;
  /// The rule with this id, or nullptr.
  const CompiledRule* find(std::string_view id) const;

  /// One line per condition node with its value for `e`: why a rule matched or not.
  /// Empty when the id is unknown. Slow path (allocates); for `probity rules explain`.
  std::string explain(std::string_view rule_id, const event::Event& e,
                      const state::ReferenceData& ref) const;

 private:
  friend class RuleSetBuilder;
  std::vector<std::unique_ptr<CompiledRule>> rules_;  // all rules, load order
  std::vector<const CompiledRule*> by_kind_[2];       // enabled rules per event::Kind
  std::size_t enabled_ = 0;
};

/// The outcome of one inline test (`tests:` in a detection).
struct TestResult {
  std::string rule_id;
  std::string name;  ///< the test's name, or "test <n>"
  SourcePos pos;     ///< where the test item starts
  bool expect_match = true;
  bool passed = false;
  std::string explanation;  ///< for a failed test: RuleSet::explain() of its event
};

/// Runs every rule's inline tests (enabled or not), each against `ref` overlaid with the
/// reference data the test declares. Tests of a rule that cannot see the event's kind
/// expect no match. Slow path; for `probity rules test` and CI.
std::vector<TestResult> run_inline_tests(const RuleSet& rules, const state::ReferenceData& ref);

/// Loads rule files (or directories: their *.yaml / *.yml, sorted by name) in order.
/// Every problem goes into `report`; returns nullptr if the report has errors. Never throws.
std::unique_ptr<RuleSet> load_rules(const std::vector<std::filesystem::path>& paths,
                                    const LoadOptions& options, LoadReport& report);

/// Same, from text in memory (`name` is used as the file name in positions). For tests
/// and for rules received over the API.
std::unique_ptr<RuleSet> load_rules_from_string(std::string_view text, std::string name,
                                                const LoadOptions& options, LoadReport& report);

}  // namespace probity::rules
