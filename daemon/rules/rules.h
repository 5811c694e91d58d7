// The rules stage's only door: load administrator-written YAML rule files into an
// immutable RuleSet and evaluate it against canonical events; a mutable CorrelationEngine
// beside it keeps correlation and suppression state. Not for alert delivery (alerts/), nor
// for RocksDB (rules see state/reference.h and persist through CorrelationStore only).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/packed_writes.h"
#include "base/result.h"
#include "event/event.h"
#include "state/reference.h"
#include "state/reference_tables.h"

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
  /// The site file (rules/site.h): per-force facts. Empty: none. A path that does not exist is a
  /// warning, and every rule that needs a site fact is disabled.
  std::string site_file;
  /// Overrides files (or directories of them: their *.yaml / *.yml, sorted by name), applied in
  /// order after the rule files: the force's own exceptions and suppression for shipped rules
  /// (rules/README.md, "Local overrides"). A path that does not exist is an error.
  std::vector<std::filesystem::path> override_paths;
};

/// A rule left disabled because a fact it needs is not set (`requires:`, or implied by
/// valid_reference()).
struct UnmetRequirement {
  std::string rule_id;
  std::string fact;
};

struct Match {
  std::string rule_id;
  std::string rule_version;  ///< hash of the rule's source text and the macros/lists it uses
  std::string title;
  /// The rule's description and guidance (RuleInfo), carried so the alert keeps the words
  /// it was raised with even after the rule changes. Empty for a building block's match.
  std::string description, guidance;
  Severity severity = Severity::info;
  std::vector<std::string> tags;
  std::string message;                                            ///< rendered alert text
  std::vector<std::pair<std::string, std::string>> shown_fields;  ///< name -> value
  /// Where the message names a person, and what each shown field names (same order as
  /// shown_fields): what the pseudonymised channels replace or withhold.
  std::vector<event::IdentitySpan> message_identities;
  std::vector<event::Identity> field_identities;
  /// The reference data the condition consulted, as expression -> value when it matched
  /// ("staff(user.id).vetting.level" -> "NPPV2"): the state the alert relied on.
  std::vector<std::pair<std::string, std::string>> lookups;
  /// A building block feeds correlations and never alerts alone (sinks skip it). Its match
  /// from RuleSet::evaluate has no message, shown fields, identities or look-ups: nothing
  /// shows them (RuleSet::explain renders them for the rule's author).
  bool building_block = false;
  /// Set by CorrelationEngine for a rule with `suppress:`: the rule id and key values.
  /// With `repeat` > 0 the match repeats, inside the suppression window, the alert first
  /// raised for this key: fold it into that alert (count + last seen), do not raise anew.
  std::string suppression_key;
  std::uint64_t repeat = 0;
  /// Correlations: the events behind the match as JSON (event::to_json, long values cut), in
  /// event-time order, the triggering event among them (last unless it arrived late); at most
  /// 20. Empty for detections: the triggering event is the evidence.
  std::vector<std::string> evidence_events;
  /// Matches behind a correlation that are not in evidence_events (the engine keeps a few per
  /// step); a shown field "evidence" says so too.
  std::uint64_t evidence_omitted = 0;
  /// The event came behind the correlation clock and was evaluated in a backfill frame of its
  /// own (CorrelationOptions::max_backfill_frames): the match also carries the tag "backfill"
  /// and a shown field saying so.
  bool backfill = false;
};

/// What a loaded rule is, for listings (`probity rules check`) and for the alert store.
struct RuleInfo {
  std::string id;
  std::string version;
  std::string title;
  std::string description;  ///< why the behaviour matters
  std::string guidance;     ///< what an investigator does next ("" when the rule gives none)
  Severity severity = Severity::info;
  std::vector<std::string> tags;
  bool enabled = true;
  bool on_access = true;  ///< whether the rule can match access / email events at all
  bool on_email = true;
  SourcePos pos;                ///< where the rule item starts
  std::string condition;        ///< the condition as written (after appends), for display
  bool correlation = false;     ///< a `- correlation:` item (no condition of its own)
  bool building_block = false;  ///< feeds correlations, never alerts alone
};

/// One exception of a detection, for listings, the expired-exception metric and the counts of
/// what each exception dropped.
struct ExceptionInfo {
  std::string rule_id, id, owner, reason;
  std::optional<event::Timestamp> expires;  ///< nullopt: never expires
  SourcePos pos;                            ///< in the rule file or the overrides file
  std::uint64_t dropped = 0;  ///< matches it dropped since the rule set was loaded (all threads)
};

/// What one detection has matched and cost since its rule set was loaded (all threads).
struct DetectionCost {
  std::string rule_id;
  std::uint64_t matches = 0;     ///< matches kept, after exceptions
  std::uint64_t sampled = 0;     ///< condition tests timed
  std::uint64_t sampled_ns = 0;  ///< the time those took
};

/// What one correlation's state has cost the checkpoints since its rule set was loaded: the
/// groups encoded (each changed group, at each checkpoint) and the bytes written for them.
struct CorrelationCost {
  std::string rule_id;
  std::uint64_t groups_saved = 0;
  std::uint64_t bytes_saved = 0;
};

struct CompiledRule;         // rule_set.cpp: the checked, compiled form of one detection
struct CompiledCorrelation;  // correlation.h

/// Immutable after load. evaluate() is const and safe to call from many threads at once;
/// it never throws and allocates only for the matches it appends (and reference look-ups).
class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  /// Appends one Match per enabled detection whose condition holds for `e` and no unexpired
  /// exception of it does (expiry against the event's time), in load order. Every rule
  /// indexed for e.kind() is evaluated (no first-match shadowing). Building blocks are
  /// appended too (marked): correlations need them.
  void evaluate(const event::Event& e, const state::ReferenceData& ref,
                std::vector<Match>& out) const;

  /// Number of enabled rules (detections and correlations).
  std::size_t size() const;
  /// Every loaded rule, enabled or not, in load order: detections, then correlations.
  std::vector<RuleInfo> rules() const;
  /// The detection with this id, or nullptr.
  const CompiledRule* find(std::string_view id) const;
  /// Every compiled detection, load order (for the correlation engine).
  const std::vector<std::unique_ptr<CompiledRule>>& detections() const { return rules_; }
  /// Enabled correlations in evaluation order (a correlation after those it consumes).
  const std::vector<const CompiledCorrelation*>& correlations() const { return ordered_; }
  /// Every exception of every detection, in load order, with what each has dropped so far;
  /// `expired_at` filters to those expired at that time.
  std::vector<ExceptionInfo> exceptions(std::optional<event::Timestamp> expired_at = {}) const;
  /// Matches an unexpired exception prevented, since load (all threads).
  std::uint64_t excepted() const { return excepted_.load(std::memory_order_relaxed); }
  /// Per enabled detection, since load: its matches, and the time its condition took on the
  /// events timed (one event in kCostSample). A look-up several rules share
  /// (the user's staff record) is charged to the first that asks for it.
  std::vector<DetectionCost> detection_costs() const;
  /// Per enabled correlation, since load: what checkpoints encoded of its groups.
  std::vector<CorrelationCost> correlation_costs() const;
  static constexpr std::uint64_t kCostSample = 64;
  /// Rules disabled at load because the site does not set a fact they need.
  const std::vector<UnmetRequirement>& unmet_requirements() const { return unmet_; }

  /// One line per condition node with its value for `e`: why a rule matched or not.
  /// Empty when the id is unknown. Slow path (allocates); for `probity rules explain`.
  std::string explain(std::string_view rule_id, const event::Event& e,
                      const state::ReferenceData& ref) const;

 private:
  friend class RuleSetBuilder;
  std::vector<std::unique_ptr<CompiledRule>> rules_;                // all rules, load order
  std::vector<const CompiledRule*> by_kind_[2];                     // enabled rules per event::Kind
  std::vector<std::unique_ptr<CompiledCorrelation>> correlations_;  // load order
  std::vector<const CompiledCorrelation*> ordered_;                 // enabled, inputs first
  std::size_t enabled_ = 0;
  mutable std::atomic<std::uint64_t> excepted_{0};
  mutable std::atomic<std::uint64_t> evaluated_{0};  // events, to pick those timed
  std::vector<UnmetRequirement> unmet_;
  std::shared_ptr<const struct SiteFacts> site_;  // read by valid_reference() nodes
};

/// Counters the app publishes on /metrics; plain integers, read on the engine's thread.
struct CorrelationCounters {
  std::uint64_t late_events = 0;       ///< older than the watermark: not correlated
  std::uint64_t future_events = 0;     ///< dated past now + max_future_skew: not correlated
  std::uint64_t unkeyed = 0;           ///< matches with an empty group-by field: not correlated
  std::uint64_t evicted_keys = 0;      ///< groups dropped at max_keys or max_state_bytes (LRU)
  std::uint64_t evicted_pending = 0;   ///< window entries dropped at max_pending (oldest)
  std::uint64_t fired = 0;             ///< correlation matches produced
  std::uint64_t folded = 0;            ///< matches marked as repeats of a suppressed alert
  std::uint64_t keys = 0;              ///< gauge: groups held, all correlations
  std::uint64_t restored = 0;          ///< entries loaded by restore()
  std::uint64_t discarded = 0;         ///< persisted entries of changed or removed rules
  std::uint64_t evidence_dropped = 0;  ///< evidence events dropped at max_evidence_bytes
  std::uint64_t backfill_events = 0;   ///< events evaluated in a backfill frame
  std::uint64_t backfill_frames = 0;   ///< backfill frames opened
  std::uint64_t backfill_open = 0;     ///< gauge: backfill frames open now
  std::uint64_t backfill_refused = 0;  ///< behind the clock with every frame busy (in late_events)
};

/// What the engine tells its owner about backfill frames, to log: a frame opened for an event
/// behind the clock, a frame closed, or an event refused because every frame was busy. Host and
/// system are the event's own (source.host; source.system or gateway): who sent it.
struct BackfillNotice {
  enum class Kind { opened, closed, refused } kind = Kind::opened;
  std::uint64_t frame = 0;           ///< the frame's number (opened, closed), counting from 1
  event::Timestamp event_time{};     ///< opened, refused: the event's time
  event::Timestamp clock{};          ///< the live correlation clock (newest event time) then
  std::string host, system;          ///< opened, refused: the event's sender
  event::Timestamp first{}, last{};  ///< closed: the oldest and newest event time it took
  std::uint64_t events = 0;          ///< closed: events it took
  std::uint64_t matches = 0;         ///< closed: alerting matches it produced (repeats included)
};

struct CorrelationOptions {
  /// How late an event may arrive (event time behind the newest seen) and still be correlated.
  /// Absent-rule deadlines fire only once the watermark passes them.
  std::chrono::microseconds lateness = std::chrono::minutes(5);
  /// With `now` set (the daemon), an event dated more than this past now() is a sender's
  /// broken clock or a forgery: it is still evaluated as a detection and its suppression
  /// key applies, but it feeds no correlation and moves no clock, so one such event cannot
  /// make every later event "late" (counted as future_events). Without `now` (replay,
  /// `rules test`) event times are unbounded: old and odd-dated logs replay exactly.
  std::chrono::microseconds max_future_skew = std::chrono::minutes(5);
  std::function<event::Timestamp()> now;
  /// Correlation state of all rules together (keys, entries, distinct values, by a rough
  /// measure): past it the growing correlation's least recently used groups are evicted
  /// (counted as evicted_keys). Keys and values over 256 bytes are kept as a prefix + hash.
  std::size_t max_state_bytes = std::size_t{256} << 20;
  /// The events kept to show in correlation alerts, all rules together (at most 5 per step and
  /// 16 KiB per group besides): past it the growing correlation's least recently used groups
  /// lose their evidence first (counted as evidence_dropped), never their correlation state.
  std::size_t max_evidence_bytes = std::size_t{64} << 20;
  /// Backfill: an event behind the watermark (older logs replayed, a sender's backlog sent after
  /// newer events) is not dropped as late but evaluated in a frame of its own: a separate engine
  /// state with its own clock, opened for it, that the events sent with it join (each event goes
  /// to the live state or the frame whose clock is nearest its time and that it is not late
  /// for). Live state is neither read nor changed by a frame; frames are not persisted. At most
  /// this many at once (0: off, late events are not correlated), each with 1/(2n) of the byte
  /// budgets. Past it: with `now`, the event is refused (late_events, backfill_refused); without
  /// (replay), the least recently used frame is closed for it.
  std::size_t max_backfill_frames = 0;
  /// With `now`: a frame that has taken no event for this long (wall clock) is closed and its
  /// state dropped; absent deadlines it still holds do not fire.
  std::chrono::microseconds backfill_idle = std::chrono::minutes(2);
  /// Called on the engine's thread when a frame opens or closes or an event is refused.
  std::function<void(const BackfillNotice&)> on_backfill;
};

/// A checkpoint's writes: persisted state entries (puts and erases), packed as they are
/// encoded.
using StateWrites = PackedWrites;

/// Where CorrelationEngine keeps its state between runs; implemented outside rules/ (the daemon:
/// over state::Store's rule_state table). Called only from the engine's thread.
class CorrelationStore {
 public:
  virtual ~CorrelationStore() = default;
  /// Calls `each` for every stored entry.
  virtual Result<void> load(
      const std::function<void(std::string_view key, std::string_view value)>& each) = 0;
  /// Applies all writes or none. Takes them (leaves `writes` empty) when it succeeds; when it
  /// fails they are left as they were, for the caller to offer again. A store that writes in
  /// the background may return before they are written; a failure then comes back from a later
  /// save().
  virtual Result<void> save(StateWrites& writes) = 0;
  /// Writes handed to save() and not yet written (background stores).
  virtual std::size_t writes_in_flight() const { return 0; }
  /// Whether a batch handed to save() is being written now (not one held after a failure,
  /// which only the next save() retries). Background stores.
  virtual bool writing() const { return false; }
  /// Where in its input the caller stands: stored by the next save(), in the same batch, so
  /// input after it is what the saved state has not seen. Ignored by stores without input.
  virtual void set_resume_point(std::uint64_t position) { (void)position; }
};

/// Mutable correlation and suppression state beside an immutable RuleSet, keyed by rule and group
/// key (so it can be sharded by user.id later). On event time: an event older than the newest
/// event time seen minus the lateness bound is not correlated (so a relay catching up on a backlog
/// is still correlated); absent deadlines fire once the newest event time or the last
/// advance_time(), whichever is later, minus the lateness bound has passed them, so they fire in a
/// quiet system too. With CorrelationOptions::now, times past now + max_future_skew move no clock,
/// and a restored clock is clamped to now(). With max_backfill_frames, an event behind the
/// watermark is evaluated in a backfill frame (its own engine state and clock) instead of being
/// dropped as late. Single-threaded: one owner calls all.
class CorrelationEngine {
 public:
  explicit CorrelationEngine(std::shared_ptr<const RuleSet> rules, CorrelationOptions = {});
  ~CorrelationEngine();
  CorrelationEngine(const CorrelationEngine&) = delete;
  CorrelationEngine& operator=(const CorrelationEngine&) = delete;

  /// `matches` holds RuleSet::evaluate's matches for `e`. Feeds them (and, chained, the correlation
  /// matches they cause) to the correlations, appends correlation matches, then applies suppression
  /// to every match that is not a building block.
  void process(const event::Event& e, const state::ReferenceData& ref, std::vector<Match>& matches);

  /// Advances the clock to `now` (never backwards) and fires absent-rule deadlines the watermark
  /// has passed. Each match comes with an event holding the group-by fields and the time of the
  /// unanswered event. The daemon calls it from its 1 s timer with the wall clock; replay and tests
  /// with event times.
  void advance_time(event::Timestamp now, const state::ReferenceData& ref,
                    std::vector<std::pair<Match, event::Event>>& out);

  /// Swaps in a new rule set: state of rules with the same id and version is kept, the rest dropped
  /// (and erased from the store at the next checkpoint).
  void set_rules(std::shared_ptr<const RuleSet> rules);
  const std::shared_ptr<const RuleSet>& rules() const;

  /// Loads persisted state; entries of rules that changed are dropped and erased. With
  /// CorrelationOptions::now the saved clocks are clamped to now() (suppression windows and
  /// first_seen learning to now() plus their length), so a clock poisoned before the bound
  /// existed heals at start-up.
  Result<void> restore(CorrelationStore& store);
  /// Writes every entry changed since the last checkpoint, in one batch (finishing one in
  /// progress first). Live state only: backfill frames are dropped at a restart (the events
  /// after it open a new one).
  Result<void> checkpoint(CorrelationStore& store);
  /// A checkpoint taken a slice at a time, so no event waits behind the whole of it: begin
  /// fixes what it saves (the state as it stands) and encodes the small parts; each
  /// continue_checkpoint() encodes up to `budget` of the changed groups left, and a group the
  /// engine is about to change is encoded first, as it was. Once none is left the batch goes
  /// to `store` and it returns true. A batch the store refused is offered again, ahead of
  /// the next checkpoint's, so nothing is lost. Begin while one runs does nothing.
  void begin_checkpoint();
  Result<bool> continue_checkpoint(CorrelationStore& store, std::size_t budget);
  bool checkpoint_running() const;
  /// Entries changed and not yet handed to the store (a checkpoint in progress included).
  std::size_t dirty() const;

  /// The live state's counters plus those of every backfill frame, closed ones included.
  const CorrelationCounters& counters() const;
  /// The live clock (backfill frames have their own).
  event::Timestamp clock() const;
  /// State held by the byte budget's measure (CorrelationOptions::max_state_bytes).
  std::size_t state_bytes() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

/// The outcome of one inline test (`tests:` in a detection or correlation).
struct TestResult {
  std::string rule_id;
  std::string name;  ///< the test's name, or "test <n>"
  SourcePos pos;     ///< where the test item starts
  bool expect_match = true;
  bool passed = false;
  std::string explanation;                   ///< for a failed test: RuleSet::explain() of its event
  std::optional<std::size_t> expect_alerts;  ///< correlation tests: the expected count
  std::size_t alerts = 0;                    ///< correlation tests: alerts raised
};

/// Runs every rule's inline tests (enabled or not), each against a MemoryReference of the
/// `base` rows plus the rows the test declares (in-memory only: a result must not depend on
/// the state of the machine it runs on; `probity rules test` passes no base rows). Tests of a rule
/// that cannot see the event's kind expect no match. A rule's exceptions (its own and the
/// overrides files') drop matches as in production and are counted (RuleSet::exceptions()).
/// Correlation tests run their events in order through RuleSet::evaluate and a fresh
/// CorrelationEngine (the production path), advancing its clock to each event's time and finally by
/// `advance`. Slow path; for `probity rules test` and CI.
std::vector<TestResult> run_inline_tests(const RuleSet& rules, const state::ReferenceTables& base);

/// Loads rule files (or directories: their *.yaml / *.yml, sorted by name) in order.
/// Every problem goes into `report`; returns nullptr if the report has errors. Never throws.
std::unique_ptr<RuleSet> load_rules(const std::vector<std::filesystem::path>& paths,
                                    const LoadOptions& options, LoadReport& report);

/// A rule file read into memory: its path (used in positions) and its text.
struct RuleText {
  std::string name;
  std::string text;
};

/// The files load_rules() would load, in its order, read into memory; a missing or
/// unreadable path is an error in `report` (the others are still read).
std::vector<RuleText> read_rule_files(const std::vector<std::filesystem::path>& paths,
                                      LoadReport& report);

/// Loads texts as load_rules() loads files: for rule sets built from edited copies of the
/// files (`probity rules calibrate` scales thresholds) without writing them anywhere.
std::unique_ptr<RuleSet> load_rules_from_texts(const std::vector<RuleText>& texts,
                                               const LoadOptions& options, LoadReport& report);

/// Same, from text in memory (`name` is used as the file name in positions). For tests
/// and for rules received over the API.
std::unique_ptr<RuleSet> load_rules_from_string(std::string_view text, std::string name,
                                                const LoadOptions& options, LoadReport& report);

}  // namespace probity::rules
