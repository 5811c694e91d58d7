// Internal to rules/: the definitions that flow between the load passes (reader ->
// collector -> macro resolver -> checker -> compiler) and the Reporter they all write to.
// Not part of the public API (rules.h).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rules/ast.h"
#include "rules/diagnostic_codes.h"
#include "rules/rules.h"
#include "rules/source.h"
#include "state/reference.h"
#include "state/reference_tables.h"

namespace probity::rules {

class TimeZone;

/// Time zones loaded once per load (by the checker) and shared by the nodes that use them.
struct ZoneCache {
  std::string dir;
  std::shared_ptr<const TimeZone> default_zone;
  std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> by_name;
};

struct Where;

/// Adds diagnostics to a LoadReport with positions and snippets from the rule file.
class Reporter {
 public:
  explicit Reporter(LoadReport& report) : report_(report) {}
  void error(Code code, const Span& at, std::string message, std::string hint = {});
  void warning(Code code, const Span& at, std::string message, std::string hint = {});
  /// An error at a key or value the reader saw.
  void error_at(const Where& where, Code code, std::string message, std::string hint = {});
  void add(Diagnostic::Level level, Code code, const SourceFile* file, std::size_t offset,
           std::uint32_t length, std::string message, std::string hint = {});
  /// For problems with no place in a file (e.g. a missing path).
  void error_nowhere(Code code, std::string file, std::string message, std::string hint = {});
  bool has_errors() const { return report_.error_count() > 0; }

 private:
  void add_span(Diagnostic::Level, Code code, const Span&, std::string, std::string);
  LoadReport& report_;
};

/// A place in a rule file: a key or value the reader saw.
struct Where {
  const SourceFile* file = nullptr;
  std::size_t offset = 0;
  std::uint32_t length = 1;
};
/// "file:line:column" of a place, for messages that point at another ("?" without a file).
std::string place_of(const Where& where);

/// Everything parsed from the files, owned for the duration of one load: Spans and
/// ASTs point into it.
struct LoadArena {
  std::deque<SourceFile> files;
  std::deque<ScalarText> scalars;
  const ScalarText* add_scalar(const SourceFile* file, std::string value, std::size_t offset) {
    return &scalars.emplace_back(file, std::move(value), offset);
  }
};

enum class OverrideMode : std::uint8_t { none, append, replace };

struct ListDef {
  std::string name;
  Where where;
  std::vector<std::string> items;
  OverrideMode items_mode = OverrideMode::none;  ///< set on a later item that overrides
  std::string source_text;                       ///< item text, for version hashes
  bool used = false;
};

struct MacroDef {
  std::string name;
  Where where;
  std::vector<const ScalarText*> conditions;  ///< the condition and its appends (joined by and)
  OverrideMode condition_mode = OverrideMode::none;
  std::string source_text;
  ExprPtr ast;      ///< parsed and joined (collector), expanded (macros.cpp)
  int number = -1;  ///< its place in Collection::macros, set by resolve_macros (Expr::macro)
  bool used = false;
  enum class State : std::uint8_t { unvisited, expanding, done } state = State::unvisited;
};

/// One inline test case of a detection (tests:), kept as parsed YAML-independent data.
struct InlineTestDef {
  Where where;
  std::string name;
  bool expect_match = true;
  Where kind_where;
  std::string kind;  ///< event.kind as written ("access" / "email"); checked when compiled
  struct Field {
    std::string name;  ///< canonical dotted name or raw.<name>
    std::vector<std::string> values;
    bool is_list = false;
    Where where;
  };
  std::vector<Field> fields;
  /// Reference data the test brings along, validated as import rows are
  /// (rules/test_reference.h); it is added over the base data the tests run against.
  state::ReferenceTables reference;
  /// Correlation tests: several timestamped events (each with kind and fields), an
  /// optional expected alert count and a clock advance after the last event.
  std::vector<InlineTestDef> events;
  std::optional<std::size_t> alerts;
  std::int64_t advance_us = 0;
};

/// suppress: {by: [fields], for: duration}
struct SuppressDef {
  std::vector<std::string> by;
  std::int64_t for_us = 0;
  Where where;
};

/// exceptions: [{id, owner, reason, expires, condition}]
struct ExceptionDef {
  std::string id, owner, reason;
  std::optional<event::Timestamp> expires;
  const ScalarText* condition = nullptr;
  ExprPtr ast;
  Where where;
};

struct DetectionDef {
  std::string id;
  Where where;
  std::optional<std::string> title, description;
  std::optional<std::string> guidance;  ///< what an investigator does next (alert email)
  std::optional<Severity> severity;
  std::optional<std::vector<std::string>> tags;
  std::vector<const ScalarText*> conditions;
  const ScalarText* alert = nullptr;
  std::optional<std::vector<const ScalarText*>> fields;
  std::optional<bool> enabled;
  std::vector<InlineTestDef> tests;
  std::optional<bool> building_block;
  std::optional<SuppressDef> suppress;
  std::vector<ExceptionDef> exceptions;
  std::vector<std::string> requires_facts;  ///< `requires:` site facts or lists it needs set
  Where requires_where;
  std::map<std::string, OverrideMode> overrides;  ///< key -> mode, on an override item
  std::string source_text;  ///< concatenated texts of the item and its overrides
  ExprPtr ast;              ///< parsed and joined (collector), expanded (macros.cpp)
};

enum class CorrelationType : std::uint8_t {
  count,
  distinct,
  sequence,
  absent,
  first_seen,
  baseline,
  risk,
  travel,     ///< one key's located events at sites no one could travel between in time
  interleave  ///< one key's events alternating between workstations (A, B, A, B)
};

/// A rule a correlation consumes, with the key fields it is grouped by (per-step keys).
struct CorrelationInput {
  std::string rule;
  std::vector<std::string> by;  ///< empty: the correlation's `by`
  double score = 0;             ///< risk: what one match adds
  Where where;
};

/// One `- correlation:` item (correlation.cpp compiles it).
struct CorrelationDef {
  std::string id;
  Where where;
  std::optional<std::string> title, description;
  std::optional<std::string> guidance;  ///< what an investigator does next (alert email)
  std::optional<Severity> severity;
  std::vector<std::string> tags;
  std::optional<bool> enabled;
  bool building_block = false;
  CorrelationType type = CorrelationType::count;
  Where type_where;
  std::vector<CorrelationInput> inputs;  ///< of / steps / scores
  std::vector<CorrelationInput> until;   ///< sequence: cancels; absent: followed_by
  std::vector<std::string> by;
  std::string field;  ///< distinct: the counted field; first_seen: the value field
  std::int64_t within_us = 0;
  std::int64_t threshold = 0;
  std::int64_t period_us = 0, history_us = 0, min_history_us = 0, learning_us = 0;
  double z = 3, risk_threshold = 0;
  std::int64_t half_life_us = 0;
  std::optional<std::int64_t> max_keys, max_pending;
  std::optional<SuppressDef> suppress;
  const ScalarText* alert = nullptr;
  std::vector<InlineTestDef> tests;
  std::string source_text;
  /// sequence `link:`: values of the first step (`from`, each with an optional severity) that
  /// must appear in the text of the last step (`to`) for the chain to complete.
  struct Link {
    std::vector<std::pair<std::string, std::optional<Severity>>> from;
    std::vector<std::string> to;
    std::vector<std::string> unless_in;  ///< a value also found here does not link (the person)
    Where where;
  };
  std::optional<Link> link;
  /// baseline `peer:`: a template naming the key's peer group ("{staff(user.id).peer_group}").
  const ScalarText* peer = nullptr;
  std::int64_t min_peers = 5;   ///< baseline: keys a peer group needs before it is used
  bool absent_is_zero = false;  ///< baseline: periods before a key's first match count zero
  bool peer_habit = false;      ///< baseline: a role's work; peers' working days judge every key
  std::int64_t per_us = -1;     ///< risk: a rule scores once per key per period (-1: 1d)
  std::int64_t min_rules = 1;   ///< risk: different rules needed among the live signals
  double cap = 0;               ///< risk: a rule adds at most cap x its score (0: no cap)
  double speed_kmh = 0;         ///< travel: the fastest anyone moves between sites (0: 100)
  std::int64_t town_within_us =
      0;  ///< travel: different towns, no coordinates: closer is impossible
};

/// One file item as the reader saw it, in load order.
struct RawItem {
  enum class Type : std::uint8_t { list, macro, detection, correlation } type;
  ListDef list;
  MacroDef macro;
  DetectionDef detection;
  CorrelationDef correlation;
  bool is_override = false;  ///< has an override: key, or is an enabled-only toggle
};

/// One entry of an overrides file (`overrides:` in rules_overrides, overrides.cpp): a local
/// tuning change to shipped rules that leaves the rule files as shipped.
struct OverrideDef {
  std::string rule;                      ///< a rule id, or a glob with '*' over rule ids
  Where where;                           ///< the `rule:` value
  std::vector<ExceptionDef> exceptions;  ///< appended to each matched detection's own
  std::optional<SuppressDef> suppress;   ///< replaces each matched rule's suppress:
};

/// The collected definitions after appends and overrides, in first-definition order.
struct Collection {
  std::vector<std::unique_ptr<ListDef>> lists;
  std::vector<std::unique_ptr<MacroDef>> macros;
  std::vector<std::unique_ptr<DetectionDef>> detections;
  std::vector<std::unique_ptr<CorrelationDef>> correlations;
  std::map<std::string, ListDef*, std::less<>> list_by_name;
  std::map<std::string, MacroDef*, std::less<>> macro_by_name;
};

// Pass 1 (reader.cpp): one file's YAML -> items. Problems go to the reporter.
void read_rule_file(const SourceFile& file, LoadArena& arena, Reporter& report,
                    std::vector<RawItem>& out);

// Pass 2 (collector.cpp): items of all files in load order -> definitions; parses
// conditions into ASTs.
void collect(std::vector<RawItem>& items, Collection& out, Reporter& report);

// Pass 2b (override_reader.cpp, overrides.cpp): one overrides file's YAML -> entries; then
// every entry applied to the collected definitions, in file order (exception conditions are
// parsed here). An entry that matches no rule is an error at its `rule:`.
void read_override_file(const SourceFile& file, LoadArena& arena, Reporter& report,
                        std::vector<OverrideDef>& out);
void apply_overrides(std::vector<OverrideDef>& overrides, Collection& c, Reporter& report);

// Pass 3 (macros.cpp): expands macro references in every detection's AST, in place;
// detects cycles; marks macros and YAML lists used; warns about unused ones.
void resolve_macros(Collection& c, Reporter& report);

/// Levenshtein distance, for did-you-mean hints.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate within a small distance, or "".
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace probity::rules
