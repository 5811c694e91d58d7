// Internal to the correlation engine: the per-rule, per-key state (Group, Corr, Window) and
// CorrelationEngine::State, shared by its files: correlation_engine.cpp (the public API),
// correlation_groups.cpp (binding rules, groups, eviction, sweeps), correlation_feed.cpp (feeding
// matches by type), correlation_checks.cpp (window, sequence and baseline checks),
// correlation_suppress.cpp, correlation_persist.cpp, correlation_evidence.cpp (the events kept
// to show in an alert) and correlation_backfill.cpp (frames for events behind the clock). Not for
// the compiler (correlation.h).
#pragma once

#include <fmt/format.h>

#include <boost/unordered_map.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "base/hex.h"
#include "rules/compiled_rule.h"
#include "rules/correlation.h"
#include "rules/kept_event.h"

namespace probity::rules {

using Micros = std::int64_t;
constexpr Micros kNever = std::numeric_limits<Micros>::min();
constexpr char kSep = '\x1f';

inline Micros micros(event::Timestamp t) { return t.time_since_epoch().count(); }
inline event::Timestamp stamp(Micros m) { return event::Timestamp(std::chrono::microseconds(m)); }

inline std::string duration_text(Micros us) {
  return format_duration(std::chrono::microseconds(us));
}

/// Lower-cased values of `fields` joined by kSep; false if any is empty.
bool key_of(const event::Event& e, const std::vector<event::FieldId>& fields, std::string& out);
/// Cuts event text longer than a group key may be to its start and a hash (correlation_groups.cpp).
void bound_text(std::string& s);

template <class V>
void insert_sorted(std::vector<V>& v, V x) {
  if (v.empty() || !(x < v.back()))  // in time order, as nearly every event comes
    v.push_back(std::move(x));
  else
    v.insert(std::upper_bound(v.begin(), v.end(), x), std::move(x));
}

/// An event that fed a group, kept to show in the alert it may complete (correlation_evidence.cpp).
struct Evidence {
  Micros t = 0;
  std::uint32_t step = 0;  // the input it matched: a sequence's step; 0 for count and distinct
  // Long values cut; one copy per event however many groups keep it.
  std::shared_ptr<const KeptEvent> event;
  // The sequence number of its own entry in the store once saved (checkpoint), 0 before. The
  // entry's key is made again from it when needed (State::evidence_key): held as text it
  // cost a formatted string and an allocation per kept event.
  std::uint64_t saved = 0;
};

/// The evidence of one alert: the kept events that led to it, and how many matches did in all
/// (the triggering one included), so the alert can say how many were not kept.
struct AlertEvidence {
  std::vector<Evidence> kept;
  std::size_t contributing = 0;
};

/// What only some correlation types keep: sequences and absent (steps, until), first_seen
/// (seen), baseline (periods, peer group) and risk (score, signals). Made on first use, so
/// count and distinct groups, the most numerous, do not carry it.
struct GroupExtra {
  std::vector<std::vector<Micros>> steps;                // sequence per step; absent: [0] answers
  std::vector<Micros> until;                             // sequence: cancels
  std::vector<std::string> seen;                         // first_seen, sorted
  std::vector<std::pair<Micros, std::int64_t>> buckets;  // baseline: (period, count)
  Micros first = kNever, fired = kNever;                 // baseline periods
  std::string peer;                                      // baseline: the key's peer group
  double score = 0;                                      // risk, decayed to `last`
  Micros last = kNever;
  bool above = false;
  std::vector<std::pair<Micros, std::int64_t>> signals;  // risk: (time, input) that scored
  bool empty() const {
    return until.empty() && seen.empty() && buckets.empty() && score == 0 &&
           std::all_of(steps.begin(), steps.end(), [](auto& s) { return s.empty(); });
  }
};

struct Group {
  // Its place in its correlation's least-recently-used order, linked through the groups
  // themselves: a list of keys beside the map cost a node and a copy of the key per group.
  Group* older = nullptr;
  Group* newer = nullptr;
  const std::string* key = nullptr;  // the map's own key (map nodes never move)
  // The checkpoint epoch of its last change (State::epoch): changed since the last checkpoint
  // began when it equals the state's epoch, still to encode when it equals the saving one.
  std::uint64_t changed = 0;
  bool stored = false;                                 // has an entry in the store, or one
                                                       // encoded: dropping it erases that
  std::vector<Micros> times;                           // count; absent: unanswered
  std::vector<std::pair<Micros, std::string>> values;  // distinct: (time, value); linked
                                                       // sequence: (first step, link values);
                                                       // travel, interleave: runs (last time,
                                                       // site or workstation)
  std::vector<Evidence> evidence;  // time order; bounded per step and per key; not in `bytes`
  std::unique_ptr<GroupExtra> extra;
  std::size_t bytes = 0;  // as last measured (measure()), counted in State::state_bytes

  GroupExtra& x() {
    if (!extra) extra = std::make_unique<GroupExtra>();
    return *extra;
  }
  bool empty() const { return times.empty() && values.empty() && (!extra || extra->empty()); }
};

/// Puts the evidence and the triggering event (at t) into a correlation's match
/// (correlation_evidence.cpp).
void attach_evidence(Match& m, const event::Event& trigger, Micros t, AlertEvidence evidence);

/// What a group holds in memory, for the byte budget (correlation_groups.cpp).
std::size_t measure(const std::string& key, const Group& g);
/// Bytes of kept evidence, for the evidence budget.
// Counted in full for each group that keeps it: the budget bounds the worst case, where no
// two groups keep the same event.
inline std::size_t evidence_size(const Evidence& ev) {
  return sizeof(Evidence) + (ev.event ? ev.event->bytes() : 0);
}
inline std::size_t group_evidence_bytes(const Group& g) {
  std::size_t n = 0;
  for (const auto& ev : g.evidence) n += evidence_size(ev);
  return n;
}

// A peer group's working days (periods with at least one match) before `period`.
struct PeerStats {
  Micros period = kNever;
  double mean = 0, sd = 0;
  std::size_t keys = 0;
};

struct Corr {
  const CompiledCorrelation* rule = nullptr;
  // Boost's node map: references stay valid (Group::key, the LRU links), and its power-of-two
  // buckets spare the look-up std::unordered_map's division by a prime.
  boost::unordered_map<std::string, Group> groups;
  Group* oldest = nullptr;  // least recently used order, through Group::older and newer
  Group* newest = nullptr;
  std::set<std::pair<Micros, std::string>> deadlines;  // absent: (due, key)
  std::size_t dirty = 0;                               // groups changed in the current epoch
  Micros learn_until = kNever;                         // first_seen: no alerts before
  Micros first_period = kNever;  // baseline with absent_is_zero: the rule's first period
  bool meta_dirty = false;
  std::unordered_map<std::string, PeerStats> peers;  // baseline: per peer group, per period
};

struct Window {
  Micros until = 0;
  std::uint64_t count = 0;
};

/// A backfill frame: an engine of its own, with its own clock, for events that came behind the
/// live watermark (correlation_backfill.cpp). Never persisted.
struct BackfillFrame {
  std::unique_ptr<CorrelationEngine> engine;
  std::uint64_t id = 0;
  Micros first = kNever, last = kNever;  // the event-time span it took
  std::uint64_t events = 0, matches = 0;
  Micros used = 0;  // when it last took an event: wall clock with `now`, else a sequence number
};

/// Adds a frame's counts (matches, folds, evictions; not its gauges) to `to`.
void add_frame_counters(CorrelationCounters& to, const CorrelationCounters& from);

struct CorrelationEngine::State {
  struct Route {
    std::size_t corr;
    std::size_t input;
    bool until;
  };
  std::shared_ptr<const RuleSet> rules;
  CorrelationOptions options;
  std::vector<Corr> corrs;  // parallel to rules->correlations()
  std::unordered_map<std::string, std::vector<Route>> routes;
  std::unordered_map<std::string, const SuppressSpec*> suppress;
  std::unordered_map<std::string, Window> windows;  // suppression key -> open window
  std::unordered_set<std::string> windows_dirty;
  // Erasures of stored state that no longer exists, packed as it goes: a busy engine drops
  // tens of thousands of evidence entries between checkpoints, too many to pack at once.
  StateWrites erased;
  std::size_t state_bytes = 0;     // measure() of every group of every correlation
  std::size_t evidence_bytes = 0;  // group_evidence_bytes() of every group of every correlation
  Micros clock = kNever;           // newest event time or advance_time(), for absent deadlines
  Micros event_clock = kNever;     // newest event time seen, for lateness and window horizons
  // The sweep of idle groups: one pass a minute, done a slice at a time (correlation_groups.cpp).
  struct Sweep {
    Micros event_start = kNever;  // event clock when the last pass began
    Micros wall_start = kNever;   // wall clock then (with options.now)
    bool running = false;
    std::size_t corr = 0;  // the correlation the pass is in
    Group* at = nullptr;   // its next group, from least to most recently used
    // A pass waits for as many events as the last one had groups to visit, so it costs at
    // most a group per event: a replay covers a minute in a few hundred events, fewer than
    // a busy engine has groups, and would otherwise sweep without pause.
    std::size_t groups_at_start = 0;
    std::uint64_t events_since_start = 0;
  } sweeping;
  // Changes are counted in epochs, one per checkpoint: a group changed in the current epoch is
  // dirty; one changed in the epoch a checkpoint in progress saves, and not yet encoded by it,
  // is still to encode (a flag on the group, where sets of keys cost a node and a copy each).
  std::uint64_t epoch = 1;
  // The checkpoint in progress (correlation_persist.cpp): what it has encoded so far, then a
  // batch the store refused, kept to offer again.
  struct Checkpoint {
    bool running = false;
    std::uint64_t epoch = 0;  // the one it saves
    StateWrites writes;
    std::string key, value;  // an entry as it is encoded, reused from entry to entry
    std::size_t left = 0;    // groups still to encode
    // Where encode_groups() goes on: changed groups are the recently used ones, so the walk
    // goes from most to least recently used, correlation by correlation, and stops at left 0.
    std::size_t corr = 0;
    Group* at = nullptr;
  } saving;
  Micros fence = kNever;  // the event clock restored at start-up: events up to it are backfill
  bool clock_dirty = false;
  mutable CorrelationCounters counters;
  mutable CorrelationCounters total;  // counters(): this state's, the frames' and closed ones'
  std::vector<BackfillFrame> frames;
  CorrelationCounters closed_frames;                    // what closed frames counted
  std::uint64_t frame_uses = 0;                         // BackfillFrame::used without a wall clock
  std::vector<std::pair<Match, event::Event>> closing;  // fired by closing frames, not yet out
  std::uint64_t evidence_seq = 0;  // the last evidence entry saved: keys stay unique
  std::string scratch;             // group key being built
  std::string gone_key;            // key of an evidence entry being erased
  // The event being processed as kept evidence, copied once however many correlations keep
  // it; correlate() resets it.
  const event::Event* evidence_of = nullptr;
  std::shared_ptr<const KeptEvent> evidence_kept;

  // Lateness is judged on event time alone, so a backlog (a relay catching up after an
  // outage) is still correlated; deadlines also follow the timer, so absent rules fire in a
  // quiet system.
  Micros watermark() const {
    return event_clock == kNever ? kNever : event_clock - options.lateness.count();
  }
  Micros deadline_watermark() const {
    return clock == kNever ? kNever : clock - options.lateness.count();
  }

  // The newest event time allowed to move a clock: the wall clock plus the configured skew,
  // or no bound without a wall clock (replay). Saturating, so a huge skew cannot wrap.
  Micros future_bound() const {
    if (!options.now) return std::numeric_limits<Micros>::max();
    const Micros now = micros(options.now()), skew = options.max_future_skew.count();
    return now > std::numeric_limits<Micros>::max() - skew ? std::numeric_limits<Micros>::max()
                                                           : now + skew;
  }

  // Entry keys: "<kind><sep>rule<sep>version<sep>..." (correlation_persist.cpp). Built into
  // `out`, whose capacity is reused from key to key.
  static void rule_key(char kind, const Corr& c, std::string& out) {
    out.clear();
    out += kind;
    out += kSep;
    out += c.rule->info.id;
    out += kSep;
    out += c.rule->info.version;
  }
  static std::string group_key(const Corr& c, std::string_view key) {
    std::string out;
    group_key(c, key, out);
    return out;
  }
  static void group_key(const Corr& c, std::string_view key, std::string& out) {
    rule_key('c', c, out);
    out += kSep;
    out += key;
  }
  /// "v<sep>rule<sep>version<sep>sequence (16 hex digits)<sep>group key"
  static void evidence_key(const Corr& c, std::uint64_t seq, std::string_view key,
                           std::string& out) {
    rule_key('v', c, out);
    out += kSep;
    append_hex64(out, seq);
    out += kSep;
    out += key;
  }
  static std::string meta_key(const Corr& c) {
    std::string out;
    rule_key('m', c, out);
    return out;
  }

  template <class V>
  void cap(std::vector<V>& v, std::size_t max) {
    if (v.size() <= max) return;
    const std::size_t n = v.size() - max;
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
    counters.evicted_pending += n;
  }

  // Entries older than this can no longer be part of a window that a correlatable event (at or
  // after the watermark) completes.
  Micros horizon(const Corr& c) const {
    const Micros wm = watermark();
    return wm == kNever ? kNever : wm - c.rule->within_us;
  }

  // correlation_persist.cpp
  /// To call before a group changes (or goes): a checkpoint in progress that has yet to
  /// encode it encodes it now, as it was when the checkpoint began.
  void before_change(Corr& c, Group& g) {
    if (saving.running && g.changed == saving.epoch) encode_group(c, g);
  }
  /// Counts a change to `g` for the next checkpoint; after before_change().
  void changed(Corr& c, Group& g) {
    if (g.changed == epoch) return;
    g.changed = epoch;
    ++c.dirty;
  }
  /// Appends the group's entry and its evidence not yet saved to the checkpoint in progress.
  void encode_group(Corr& c, Group& g);
  /// Encodes up to `budget` of the groups the checkpoint in progress has left.
  void encode_groups(std::size_t budget);

  // correlation_groups.cpp
  void bind(std::shared_ptr<const RuleSet> set, std::vector<Corr> old);
  /// The group under `key`, made most recently used and counted as changed; created (evicting
  /// least recently used groups at the caps) when there is none.
  Group& touch(Corr& c, const std::string& key);
  /// Removes a group, its evidence and (when stored) its entry.
  void drop_group(Corr& c, Group& g);
  void remeasure(Group& g);
  /// Drops `c`'s least recently used groups, never `keep`, while the state is over
  /// max_state_bytes.
  void shed_to_budget(Corr& c, const Group& keep);
  /// Takes a group out of its correlation's LRU order, moving the sweep's and the
  /// checkpoint's places past it first.
  void unlink_lru(Corr& c, Group& g);
  static void link_newest(Corr& c, Group& g);
  /// Whether a sweep pass is due: a minute on the event clock and, live, on the wall clock too,
  /// so a backlog replayed at speed does not sweep every state for each minute it covers;
  /// and as many events since the last pass began as it had groups.
  bool sweep_due() const;
  /// Starts a pass: closed suppression windows go now, groups in slices (sweep_step).
  void start_sweep();
  /// Trims up to `budget` groups of the pass and drops the empty ones.
  void sweep_step(std::size_t budget);

  // correlation_feed.cpp
  void feed(Corr& c, const Route& route, const event::Event& e, Micros t,
            const state::ReferenceData& ref, std::vector<Match>& out);
  void correlate(const event::Event& e, Micros t, const state::ReferenceData& ref,
                 std::vector<Match>& matches, std::size_t from);
  void fire(Corr& c, const event::Event& e, const state::ReferenceData& ref,
            std::vector<std::pair<std::string, std::string>> details, std::vector<Match>& out,
            std::optional<Severity> severity = std::nullopt,
            std::optional<AlertEvidence> evidence = std::nullopt);

  // correlation_evidence.cpp
  void keep_evidence(Corr& c, Group& g, std::uint32_t step, Micros t, const event::Event& e);
  /// Moves the evidence `pick` selects out of `g` (time order) and drops what `drop` selects.
  template <class Pick, class Drop>
  std::vector<Evidence> release_evidence(const Corr& c, Group& g, Pick pick, Drop drop) {
    std::vector<Evidence> taken;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < g.evidence.size(); ++i) {
      Evidence& ev = g.evidence[i];
      const bool picked = pick(ev);
      if (!picked && !drop(ev)) {
        if (kept != i) g.evidence[kept] = std::move(ev);
        ++kept;
        continue;
      }
      evidence_gone(c, g, ev);
      if (picked) taken.push_back(std::move(ev));
    }
    g.evidence.resize(kept);
    return taken;
  }
  void trim_evidence(const Corr& c, Group& g, Micros horizon);
  void forget_evidence(const Corr& c, Group& g);
  /// Accounts for evidence leaving its group `g` of `c`: the budget, and its saved entry to erase.
  void evidence_gone(const Corr& c, const Group& g, const Evidence& ev) {
    evidence_bytes -= evidence_size(ev);
    if (ev.saved == 0) return;
    evidence_key(c, ev.saved, *g.key, gone_key);
    erased.erase(gone_key);
  }
  void group_evidence_gone(const Corr& c, const Group& g) {
    for (const auto& ev : g.evidence) evidence_gone(c, g, ev);
  }

  // correlation_checks.cpp
  /// Each check returns whether it fired.
  bool window_check(Corr& c, Group& g, Micros t, const event::Event& e,
                    const state::ReferenceData& ref, std::vector<Match>& out);
  bool sequence_check(Corr& c, Group& g, const event::Event& e, const state::ReferenceData& ref,
                      std::vector<Match>& out);
  static std::string link_values(const CompiledCorrelation& r, const event::Event& e);
  void linked_check(Corr& c, Group& g, Micros t, const event::Event& e,
                    const state::ReferenceData& ref, std::vector<Match>& out);
  const PeerStats& peer_stats(Corr& c, const std::string& peer, Micros b);

  // correlation_places.cpp
  void travel_check(Corr& c, Group& g, Micros t, const event::Event& e,
                    const state::ReferenceData& ref, std::vector<Match>& out);
  void interleave_check(Corr& c, Group& g, Micros t, std::string workstation, const event::Event& e,
                        const state::ReferenceData& ref, std::vector<Match>& out);

  // correlation_suppress.cpp
  void suppress_all(const event::Event& e, Micros t, std::vector<Match>& matches, std::size_t from);

  // correlation_backfill.cpp
  /// Whether any match feeds a correlation or a suppression window (else state has no use for e).
  bool feeds(const std::vector<Match>& matches) const;
  /// Whether an event at t belongs in a backfill frame: behind the watermark, or dated up to
  /// the clock restored at start-up (with frames on).
  bool behind(Micros t) const {
    return event_clock != kNever && (t < watermark() || (fence != kNever && t <= fence));
  }
  /// For an event that is behind(), of the frames it is not late for the one whose clock is
  /// nearest t; nullptr when it is late for every frame.
  BackfillFrame* frame_for(Micros t);
  /// A new frame for `e` (at t); at the cap, closes the least recently used one without a wall
  /// clock, else refuses (nullptr, counted and notified).
  BackfillFrame* open_frame(const event::Event& e, Micros t, const state::ReferenceData& ref);
  void process_in_frame(BackfillFrame& f, const event::Event& e, Micros t,
                        const state::ReferenceData& ref, std::vector<Match>& matches);
  /// Fires the frames' absent deadlines on their own clocks, closes idle frames, and hands on
  /// what closing frames fired.
  void advance_frames(const state::ReferenceData& ref,
                      std::vector<std::pair<Match, event::Event>>& out);
  /// Fires the frame's pending absent deadlines (into `closing`) and drops it.
  void close_frame(std::size_t i, const state::ReferenceData& ref);
  /// Says on a match that its event came behind the clock: evaluated in backfill frame `frame`,
  /// or (0) not correlated.
  void mark_backfill(Match& m, std::uint64_t frame) const;
  void notify(BackfillNotice notice) const;
  /// Forgets what changed since the last checkpoint: a frame is never saved.
  void forget_unsaved();
};

}  // namespace probity::rules
