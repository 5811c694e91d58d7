// Internal to the correlation engine: the per-rule, per-key state (Group, Corr, Window) and
// CorrelationEngine::State, shared by its files: correlation_engine.cpp (the public API),
// correlation_groups.cpp (binding rules, groups, eviction, sweeps), correlation_feed.cpp (feeding
// matches by type), correlation_checks.cpp (window, sequence and baseline checks),
// correlation_suppress.cpp and correlation_persist.cpp. Not for the compiler (correlation.h).
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <list>
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
#include "rules/compiled_rule.h"
#include "rules/correlation.h"

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
  v.insert(std::upper_bound(v.begin(), v.end(), x), std::move(x));
}

struct Group {
  std::list<std::string>::iterator lru;
  std::vector<Micros> times;                             // count; absent: unanswered
  std::vector<std::pair<Micros, std::string>> values;    // distinct: (time, value); linked
                                                         // sequence: (first step, link values);
                                                         // travel, interleave: runs (last time,
                                                         // site or workstation)
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
  std::size_t bytes = 0;  // as last measured (measure()), counted in State::state_bytes
  bool empty() const {
    return times.empty() && values.empty() && until.empty() && seen.empty() && buckets.empty() &&
           score == 0 && std::all_of(steps.begin(), steps.end(), [](auto& s) { return s.empty(); });
  }
};

/// Roughly what a group holds, for the byte budget (correlation_groups.cpp).
std::size_t measure(const std::string& key, const Group& g);

// A peer group's working days (periods with at least one match) before `period`.
struct PeerStats {
  Micros period = kNever;
  double mean = 0, sd = 0;
  std::size_t keys = 0;
};

struct Corr {
  const CompiledCorrelation* rule = nullptr;
  std::unordered_map<std::string, Group> groups;
  std::list<std::string> lru;                          // front: least recently used
  std::set<std::pair<Micros, std::string>> deadlines;  // absent: (due, key)
  std::unordered_set<std::string> dirty;
  Micros learn_until = kNever;   // first_seen: no alerts before
  Micros first_period = kNever;  // baseline with absent_is_zero: the rule's first period
  bool meta_dirty = false;
  std::unordered_map<std::string, PeerStats> peers;  // baseline: per peer group, per period
};

struct Window {
  Micros until = 0;
  std::uint64_t count = 0;
};

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
  std::vector<std::string> erase;  // store keys of state that no longer exists
  std::size_t state_bytes = 0;     // measure() of every group of every correlation
  Micros clock = kNever;           // newest event time or advance_time(), for absent deadlines
  Micros event_clock = kNever;     // newest event time seen, for lateness and window horizons
  Micros last_sweep = kNever;
  bool clock_dirty = false;
  mutable CorrelationCounters counters;
  std::string scratch;  // group key being built

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

  static std::string group_key(const Corr& c, std::string_view key) {
    return fmt::format("c{}{}{}{}{}{}", kSep, c.rule->info.id, kSep, c.rule->info.version, kSep,
                       key);
  }
  static std::string meta_key(const Corr& c) {
    return fmt::format("m{}{}{}{}", kSep, c.rule->info.id, kSep, c.rule->info.version);
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

  // correlation_groups.cpp
  void bind(std::shared_ptr<const RuleSet> set, std::vector<Corr> old);
  Group& touch(Corr& c, const std::string& key);
  void drop_group(Corr& c, const std::string& key);
  void remeasure(const std::string& key, Group& g);
  void sweep();

  // correlation_feed.cpp
  void feed(Corr& c, const Route& route, const event::Event& e, Micros t,
            const state::ReferenceData& ref, std::vector<Match>& out);
  void correlate(const event::Event& e, Micros t, const state::ReferenceData& ref,
                 std::vector<Match>& matches, std::size_t from);
  void fire(Corr& c, const event::Event& e, const state::ReferenceData& ref,
            std::vector<std::pair<std::string, std::string>> details, std::vector<Match>& out,
            std::optional<Severity> severity = std::nullopt);

  // correlation_checks.cpp
  void window_check(Corr& c, Group& g, Micros t, const event::Event& e,
                    const state::ReferenceData& ref, std::vector<Match>& out);
  void sequence_check(Corr& c, Group& g, const event::Event& e, const state::ReferenceData& ref,
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
};

}  // namespace probity::rules
