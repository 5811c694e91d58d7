// CorrelationEngine: per-rule, per-group-key state for correlations (windows, pending sequences,
// baselines, risk scores) and suppression windows, on event time with a lateness bound; eviction at
// caps; persistence as one byte string per (rule, key). Not for single-event conditions
// (evaluator.cpp) nor for RocksDB (CorrelationStore).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <list>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "rules/compiled_rule.h"
#include "rules/correlation.h"
#include "rules/link_text.h"
#include "base/ascii.h"
#include "base/duration.h"
#include "base/fnv.h"

namespace probity::rules {
namespace {

using Micros = std::int64_t;
constexpr Micros kNever = std::numeric_limits<Micros>::min();
constexpr char kSep = '\x1f';
constexpr Micros kSweepEvery = 60'000'000;  // idle groups and closed suppression windows

Micros micros(event::Timestamp t) { return t.time_since_epoch().count(); }
event::Timestamp stamp(Micros m) { return event::Timestamp(std::chrono::microseconds(m)); }

std::string duration_text(Micros us) { return format_duration(std::chrono::microseconds(us)); }

/// Lower-cased values of `fields` joined by kSep; false if any is empty.
bool key_of(const event::Event& e, const std::vector<event::FieldId>& fields, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string_view v = e.str(fields[i]);
    if (v.empty()) return false;
    if (i) out += kSep;
    append_lower(out, v);
  }
  return true;
}

// Group keys and distinct values are event text a sender controls. One longer than this is
// kept as its start and a hash of the whole (FNV-1a, so persisted keys stay stable across
// builds): a megabyte of reason.text costs what a normal key costs.
constexpr std::size_t kMaxKeyBytes = 256;
void bound_text(std::string& s) {
  if (s.size() <= kMaxKeyBytes) return;
  const std::uint64_t h = fnv1a_64(s);
  s.resize(kMaxKeyBytes - 17);
  s += fmt::format("#{:016x}", h);
}

template <class V>
void insert_sorted(std::vector<V>& v, V x) {
  v.insert(std::upper_bound(v.begin(), v.end(), x), std::move(x));
}

struct Group {
  std::list<std::string>::iterator lru;
  std::vector<Micros> times;                             // count; absent: unanswered
  std::vector<std::pair<Micros, std::string>> values;    // distinct: (time, value); linked
                                                         // sequence: (first step, link values)
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

// What a group holds, roughly: its key, entries and strings, and a fixed overhead for the
// node and the LRU entry. For the byte budget, not an exact allocator count.
std::size_t measure(const std::string& key, const Group& g) {
  std::size_t n = 2 * key.size() + sizeof(Group) + 128;  // key in the map and the LRU list
  n += (g.times.capacity() + g.until.capacity()) * sizeof(Micros);
  n += g.values.capacity() * sizeof(g.values[0]) + g.buckets.capacity() * sizeof(g.buckets[0]);
  n += g.signals.capacity() * sizeof(g.signals[0]) + g.seen.capacity() * sizeof(std::string);
  for (const auto& [t, v] : g.values) n += v.capacity();
  for (const auto& s : g.seen) n += s.capacity();
  for (const auto& s : g.steps) n += s.capacity() * sizeof(Micros) + sizeof(s);
  return n + g.peer.capacity();
}

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
  Micros learn_until = kNever;  // first_seen: no alerts before
  Micros first_period = kNever;  // baseline with absent_is_zero: the rule's first period
  bool meta_dirty = false;
  std::unordered_map<std::string, PeerStats> peers;  // baseline: per peer group, per period
};

struct Window {
  Micros until = 0;
  std::uint64_t count = 0;
};

// Byte encoding of persisted entries: little-endian fixed-width integers, length-prefixed strings.
// Versioned by the leading byte.
struct Writer {
  std::string s;
  void i64(std::int64_t v) {
    char b[8];
    std::memcpy(b, &v, 8);
    s.append(b, 8);
  }
  void f64(double v) {
    std::int64_t bits;
    std::memcpy(&bits, &v, 8);
    i64(bits);
  }
  void str(std::string_view v) {
    i64(static_cast<std::int64_t>(v.size()));
    s.append(v);
  }
  void vec(const std::vector<Micros>& v) {
    i64(static_cast<std::int64_t>(v.size()));
    for (Micros m : v) i64(m);
  }
};
struct Reader {
  std::string_view s;
  bool ok = true;
  std::int64_t i64() {
    if (s.size() < 8) {
      ok = false;
      return 0;
    }
    std::int64_t v;
    std::memcpy(&v, s.data(), 8);
    s.remove_prefix(8);
    return v;
  }
  double f64() {
    const std::int64_t bits = i64();
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  std::size_t count() {
    const std::int64_t n = i64();
    if (n < 0 || static_cast<std::uint64_t>(n) > s.size()) {
      ok = false;
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  std::string str() {
    const std::size_t n = count();
    if (!ok || n > s.size()) {
      ok = false;
      return {};
    }
    std::string v(s.substr(0, n));
    s.remove_prefix(n);
    return v;
  }
  std::vector<Micros> vec() {
    std::vector<Micros> v(count());
    for (auto& m : v) m = i64();
    return v;
  }
};

std::string encode(const Group& g, CorrelationType type) {
  Writer w;
  w.s.push_back('\x01');
  switch (type) {
    case CorrelationType::count:
      w.vec(g.times);
      break;
    case CorrelationType::distinct:
      w.i64(static_cast<std::int64_t>(g.values.size()));
      for (const auto& [t, v] : g.values) {
        w.i64(t);
        w.str(v);
      }
      break;
    case CorrelationType::sequence:
      w.i64(static_cast<std::int64_t>(g.steps.size()));
      for (const auto& s : g.steps) w.vec(s);
      w.vec(g.until);
      w.i64(static_cast<std::int64_t>(g.values.size()));
      for (const auto& [t, v] : g.values) {
        w.i64(t);
        w.str(v);
      }
      break;
    case CorrelationType::absent:
      w.vec(g.times);
      w.vec(g.steps.empty() ? std::vector<Micros>{} : g.steps[0]);
      break;
    case CorrelationType::first_seen:
      w.i64(static_cast<std::int64_t>(g.seen.size()));
      for (const auto& v : g.seen) w.str(v);
      break;
    case CorrelationType::baseline:
      w.i64(g.first);
      w.i64(g.fired);
      w.i64(static_cast<std::int64_t>(g.buckets.size()));
      for (const auto& [b, c] : g.buckets) {
        w.i64(b);
        w.i64(c);
      }
      w.str(g.peer);
      break;
    case CorrelationType::risk:
      w.f64(g.score);
      w.i64(g.last);
      w.i64(g.above ? 1 : 0);
      w.i64(static_cast<std::int64_t>(g.signals.size()));
      for (const auto& [t, input] : g.signals) {
        w.i64(t);
        w.i64(input);
      }
      break;
  }
  return std::move(w.s);
}

bool decode(std::string_view bytes, CorrelationType type, Group& g) {
  if (bytes.empty() || bytes[0] != '\x01') return false;
  Reader r{bytes.substr(1)};
  switch (type) {
    case CorrelationType::count:
      g.times = r.vec();
      break;
    case CorrelationType::distinct: {
      const std::size_t n = r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) {
        const Micros t = r.i64();
        g.values.emplace_back(t, r.str());
      }
      break;
    }
    case CorrelationType::sequence: {
      g.steps.resize(r.count());
      for (auto& s : g.steps) s = r.vec();
      g.until = r.vec();
      const std::size_t n = r.s.empty() ? 0 : r.count();  // absent before links existed
      for (std::size_t i = 0; i < n && r.ok; ++i) {
        const Micros t = r.i64();
        g.values.emplace_back(t, r.str());
      }
      break;
    }
    case CorrelationType::absent:
      g.times = r.vec();
      g.steps.assign(1, r.vec());
      break;
    case CorrelationType::first_seen: {
      const std::size_t n = r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) g.seen.push_back(r.str());
      break;
    }
    case CorrelationType::baseline: {
      g.first = r.i64();
      g.fired = r.i64();
      const std::size_t n = r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) {
        const Micros b = r.i64();
        g.buckets.emplace_back(b, r.i64());
      }
      if (!r.s.empty()) g.peer = r.str();
      break;
    }
    case CorrelationType::risk: {
      g.score = r.f64();
      g.last = r.i64();
      g.above = r.i64() != 0;
      const std::size_t n = r.s.empty() ? 0 : r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) {
        const Micros t = r.i64();
        g.signals.emplace_back(t, r.i64());
      }
      break;
    }
  }
  return r.ok && r.s.empty();
}

}  // namespace

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

  void bind(std::shared_ptr<const RuleSet> set, std::vector<Corr> old) {
    // `old` points into the previous set: keep it alive until the state has moved.
    const std::shared_ptr<const RuleSet> previous = std::exchange(rules, std::move(set));
    std::vector<Corr> next;
    next.reserve(rules->correlations().size());
    for (const CompiledCorrelation* r : rules->correlations()) {
      auto same = std::find_if(old.begin(), old.end(), [&](const Corr& o) {
        return o.rule && o.rule->info.id == r->info.id && o.rule->info.version == r->info.version;
      });
      if (same != old.end()) {
        next.push_back(std::move(*same));
        same->rule = nullptr;
      } else {
        next.emplace_back();
      }
      next.back().rule = r;
    }
    for (const Corr& o : old) {
      if (!o.rule) continue;
      for (const auto& [k, g] : o.groups) {
        erase.push_back(group_key(o, k));
        state_bytes -= g.bytes;
      }
      erase.push_back(meta_key(o));
    }
    corrs = std::move(next);
    routes.clear();
    for (std::size_t i = 0; i < corrs.size(); ++i) {
      const auto* r = corrs[i].rule;
      for (std::size_t j = 0; j < r->inputs.size(); ++j)
        routes[r->inputs[j].rule].push_back({i, j, false});
      for (std::size_t j = 0; j < r->until.size(); ++j)
        routes[r->until[j].rule].push_back({i, j, true});
    }
    suppress.clear();
    for (const auto& d : rules->detections())
      if (d->suppress.for_us > 0) suppress[d->info.id] = &d->suppress;
    for (const auto& c : corrs)
      if (c.rule->suppress.for_us > 0) suppress[c.rule->info.id] = &c.rule->suppress;
    for (auto it = windows.begin(); it != windows.end();) {
      if (!suppress.count(it->first.substr(0, it->first.find(kSep)))) {
        erase.push_back("s" + std::string(1, kSep) + it->first);
        it = windows.erase(it);
      } else {
        ++it;
      }
    }
  }

  Group& touch(Corr& c, const std::string& key) {
    auto it = c.groups.find(key);
    if (it != c.groups.end()) {
      c.lru.splice(c.lru.end(), c.lru, it->second.lru);
      c.dirty.insert(key);
      return it->second;
    }
    // At max_keys, or with all correlations' state at the byte budget, this correlation's
    // least recently used groups go (the one growing pays, not a quiet neighbour).
    while (!c.lru.empty() && (c.groups.size() >= c.rule->max_keys ||
                              state_bytes + key.size() > options.max_state_bytes)) {
      const std::string victim = c.lru.front();
      c.lru.pop_front();
      auto gone = c.groups.find(victim);
      state_bytes -= gone->second.bytes;
      c.groups.erase(gone);
      c.dirty.insert(victim);
      ++counters.evicted_keys;
    }
    Group& g = c.groups[key];
    c.lru.push_back(key);
    g.lru = std::prev(c.lru.end());
    c.dirty.insert(key);
    return g;
  }

  void drop_group(Corr& c, const std::string& key) {
    auto it = c.groups.find(key);
    if (it == c.groups.end()) return;
    state_bytes -= it->second.bytes;
    c.lru.erase(it->second.lru);
    c.groups.erase(it);
    c.dirty.insert(key);
  }

  template <class V>
  void cap(std::vector<V>& v, std::size_t max) {
    if (v.size() <= max) return;
    const std::size_t n = v.size() - max;
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
    counters.evicted_pending += n;
  }

  void remeasure(const std::string& key, Group& g) {
    const std::size_t now = measure(key, g);
    state_bytes = state_bytes - g.bytes + now;
    g.bytes = now;
  }

  // Entries older than this can no longer be part of a window that a correlatable event (at or
  // after the watermark) completes.
  Micros horizon(const Corr& c) const {
    const Micros wm = watermark();
    return wm == kNever ? kNever : wm - c.rule->within_us;
  }

  void fire(Corr& c, const event::Event& e, const state::ReferenceData& ref,
            std::vector<std::pair<std::string, std::string>> details, std::vector<Match>& out,
            std::optional<Severity> severity = std::nullopt) {
    const CompiledCorrelation& r = *c.rule;
    Match m;
    m.rule_id = r.info.id;
    m.rule_version = r.info.version;
    m.title = r.info.title;
    m.severity = severity.value_or(r.info.severity);
    m.tags = r.info.tags;
    m.building_block = r.info.building_block;
    for (const auto f : r.by) {
      m.shown_fields.emplace_back(std::string(event::field_info(f).name), std::string(e.str(f)));
      m.field_identities.push_back(event::field_info(f).identity);
    }
    std::string detail;
    for (auto& d : details) {  // counts, scores and first-seen values the engine computed
      detail += (detail.empty() ? "" : ", ") + d.first + " " + d.second;
      m.shown_fields.push_back(std::move(d));
      m.field_identities.push_back(event::Identity::none);
    }
    if (!r.alert.empty()) {
      EvalContext ctx(e, ref);
      m.message = r.alert.render(ctx, &m.message_identities);
    } else {
      m.message = r.info.title + " (";
      for (std::size_t i = 0; i < r.by.size(); ++i) {
        const auto& field = event::field_info(r.by[i]);
        m.message += fmt::format("{}{}=", i ? " " : "", field.name);
        const std::string_view value = e.str(r.by[i]);
        if (field.identity != event::Identity::none && !value.empty())
          m.message_identities.push_back({static_cast<std::uint32_t>(m.message.size()),
                                          static_cast<std::uint32_t>(value.size()),
                                          field.identity});
        m.message += value;
      }
      m.message += ": " + detail + ")";
    }
    ++counters.fired;
    out.push_back(std::move(m));
  }

  // count / distinct: the largest number of entries (distinct values) in a window of `within` that
  // contains t. On reaching the threshold the entries of that window are consumed, so each alert
  // stands for `threshold` new matches.
  void window_check(Corr& c, Group& g, Micros t, const event::Event& e,
                    const state::ReferenceData& ref, std::vector<Match>& out) {
    const CompiledCorrelation& r = *c.rule;
    const bool distinct = r.type == CorrelationType::distinct;
    const std::size_t n = distinct ? g.values.size() : g.times.size();
    auto time_at = [&](std::size_t i) { return distinct ? g.values[i].first : g.times[i]; };
    std::unordered_map<std::string_view, int> counts;
    std::size_t lo = 0;
    while (lo < n && time_at(lo) < t - r.within_us) ++lo;
    std::size_t hi = lo;
    for (std::size_t start = lo; start < n && time_at(start) <= t; ++start) {
      while (hi < n && time_at(hi) - time_at(start) <= r.within_us) {
        if (distinct) ++counts[g.values[hi].second];
        ++hi;
      }
      const std::size_t size = distinct ? counts.size() : hi - start;
      if (time_at(hi - 1) >= t && static_cast<std::int64_t>(size) >= r.threshold) {
        const Micros first = time_at(start), last = time_at(hi - 1);
        if (distinct)
          g.values.erase(g.values.begin() + static_cast<std::ptrdiff_t>(start),
                         g.values.begin() + static_cast<std::ptrdiff_t>(hi));
        else
          g.times.erase(g.times.begin() + static_cast<std::ptrdiff_t>(start),
                        g.times.begin() + static_cast<std::ptrdiff_t>(hi));
        fire(c, e, ref,
             {{distinct ? "distinct" : "count",
               fmt::format("{} in {} ({} .. {})", size, duration_text(r.within_us),
                           event::format_time(stamp(first)), event::format_time(stamp(last)))}},
             out);
        return;
      }
      if (distinct && --counts[g.values[start].second] == 0) counts.erase(g.values[start].second);
    }
  }

  // sequence: the earliest chain t0 < t1 < ... < tn (one time per step, strictly later each) with
  // tn - t0 <= within and no `until` in (t0, tn]. Order-independent: late events inside the
  // lateness bound complete chains as if they had come in order.
  void sequence_check(Corr& c, Group& g, const event::Event& e, const state::ReferenceData& ref,
                      std::vector<Match>& out) {
    const CompiledCorrelation& r = *c.rule;
    for (const Micros t0 : g.steps[0]) {
      Micros prev = t0;
      bool complete = true;
      for (std::size_t k = 1; k < g.steps.size() && complete; ++k) {
        auto next = std::upper_bound(g.steps[k].begin(), g.steps[k].end(), prev);
        if (next == g.steps[k].end() || *next - t0 > r.within_us)
          complete = false;
        else
          prev = *next;
      }
      if (!complete) continue;
      auto cancel = std::upper_bound(g.until.begin(), g.until.end(), t0);
      if (cancel != g.until.end() && *cancel <= prev) continue;
      for (auto& s : g.steps) s.erase(s.begin(), std::upper_bound(s.begin(), s.end(), prev));
      fire(c, e, ref,
           {{"sequence",
             fmt::format("{} steps in {} ({} .. {})", g.steps.size(), duration_text(prev - t0),
                         event::format_time(stamp(t0)), event::format_time(stamp(prev)))}},
           out);
      return;
    }
  }

  // Linked sequence, first step: the values of the link's `from` fields that are distinctive
  // enough to link on, each as (field index, tokens), kSep-separated. Empty: nothing to link.
  static std::string link_values(const CompiledCorrelation& r, const event::Event& e) {
    std::string out;
    auto add = [&](std::size_t index, std::string_view text) {
      const std::string tokens = link_tokens(text);
      if (!is_linkable(tokens)) return;
      out += static_cast<char>('0' + index);
      out += tokens;
      out += kSep;
    };
    for (std::size_t i = 0; i < r.link_from.size() && i < 10; ++i) {
      const auto& v = e.get(r.link_from[i].field);
      if (const auto* text = std::get_if<std::string>(&v)) add(i, *text);
      if (const auto* list = std::get_if<std::vector<std::string>>(&v))
        for (const auto& item : *list) add(i, item);
    }
    return out;
  }

  // Linked sequence, last step (the event `e` at t): the earliest first-step match whose link
  // values appear in e's `to` text, with the other steps between them in order and no `until`.
  // The severity is the strongest of the linking fields' (the rule's when they name none).
  void linked_check(Corr& c, Group& g, Micros t, const event::Event& e,
                    const state::ReferenceData& ref, std::vector<Match>& out) {
    const CompiledCorrelation& r = *c.rule;
    auto text_of = [&](const std::vector<event::FieldId>& fields) {
      std::string text;
      for (const auto f : fields) {
        const auto& v = e.get(f);
        if (const auto* s = std::get_if<std::string>(&v)) text += " " + *s;
        if (const auto* list = std::get_if<std::vector<std::string>>(&v))
          for (const auto& item : *list) text += " " + item;
      }
      return text;
    };
    const std::string tokens = link_tokens(text_of(r.link_to));
    const auto words = split_tokens(tokens);
    const std::string unless_text = text_of(r.link_unless_in);  // mentioned_in reads it raw
    for (auto entry = g.values.begin(); entry != g.values.end(); ++entry) {
      const Micros t0 = entry->first;
      if (t0 >= t || t - t0 > r.within_us) continue;
      std::optional<Severity> severity;
      std::string linked_by;
      std::string_view rest = entry->second;
      while (!rest.empty()) {
        const std::size_t end = std::min(rest.find(kSep), rest.size());
        const std::size_t index = static_cast<std::size_t>(rest[0] - '0');
        const std::string_view value = rest.substr(1, end - 1);
        if (index < r.link_from.size() && appears_in(value, words) &&
            (unless_text.empty() || !mentioned_in(value, unless_text))) {
          const Severity s = r.link_from[index].severity.value_or(r.info.severity);
          if (!severity || s > *severity) {
            severity = s;
            linked_by = event::field_info(r.link_from[index].field).name;
          }
        }
        rest.remove_prefix(std::min(end + 1, rest.size()));
      }
      if (!severity) continue;
      Micros prev = t0;
      bool complete = true;
      for (std::size_t k = 1; k + 1 < r.inputs.size() && complete; ++k) {
        auto next = std::upper_bound(g.steps[k].begin(), g.steps[k].end(), prev);
        complete = next != g.steps[k].end() && *next < t;
        if (complete) prev = *next;
      }
      if (!complete) continue;
      auto cancel = std::upper_bound(g.until.begin(), g.until.end(), t0);
      if (cancel != g.until.end() && *cancel <= t) continue;
      g.values.erase(entry);
      for (std::size_t k = 1; k + 1 < g.steps.size(); ++k)
        g.steps[k].erase(g.steps[k].begin(),
                         std::upper_bound(g.steps[k].begin(), g.steps[k].end(), prev));
      fire(c, e, ref,
           {{"sequence", fmt::format("{} steps in {} ({} .. {})", r.inputs.size(),
                                     duration_text(t - t0), event::format_time(stamp(t0)),
                                     event::format_time(stamp(t)))},
            {"linked by", linked_by}},
           out, severity);
      return;
    }
  }

  // Baseline: a peer group's norm (a centre and a spread) over its periods in the history before
  // period b, computed once per peer group and period. Volumes: the mean and standard
  // deviation of the peers' working days (periods with a match; rest days would drag the norm
  // down). Rare signals (absent_is_zero): the median and scaled median absolute deviation of
  // every period of every peer the rule has seen, zeros included, so the few with a daily
  // habit do not become everyone's norm; with peer_habit, their working days as for volumes.
  const PeerStats& peer_stats(Corr& c, const std::string& peer, Micros b) {
    PeerStats& stats = c.peers[peer];
    if (stats.period == b) return stats;
    const CompiledCorrelation& r = *c.rule;
    const bool rare = r.absent_is_zero && !r.peer_habit;
    const Micros span = std::min<Micros>(r.history_periods, b - c.first_period);
    std::vector<double> values;
    std::size_t keys = 0;
    for (const auto& [k, g] : c.groups) {
      if (g.peer != peer) continue;
      const std::size_t before = values.size();
      for (const auto& [pb, count] : g.buckets)
        if (pb < b && pb >= b - r.history_periods && count > 0)
          values.push_back(static_cast<double>(count));
      if (rare && span > 0) {
        const std::size_t seen = values.size() - before, all = static_cast<std::size_t>(span);
        if (all > seen) values.insert(values.end(), all - seen, 0.0);
      }
      keys += values.size() > before;
    }
    stats.period = b;
    stats.keys = keys;
    stats.mean = stats.sd = 0;
    if (values.empty()) return stats;
    if (rare) {
      auto median = [](std::vector<double>& v) {
        auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
        std::nth_element(v.begin(), mid, v.end());
        return *mid;
      };
      stats.mean = median(values);
      for (double& v : values) v = std::abs(v - stats.mean);
      stats.sd = 1.4826 * median(values);
    } else {
      double sum = 0, sq = 0;
      for (const double v : values) {
        sum += v;
        sq += v * v;
      }
      const double n = static_cast<double>(values.size());
      stats.mean = sum / n;
      stats.sd = std::sqrt(std::max(0.0, sq / n - stats.mean * stats.mean));
    }
    return stats;
  }

  void feed(Corr& c, const Route& route, const event::Event& e, Micros t,
            const state::ReferenceData& ref, std::vector<Match>& out) {
    const CompiledCorrelation& r = *c.rule;
    const auto& input = route.until ? r.until[route.input] : r.inputs[route.input];
    if (!key_of(e, input.by, scratch)) {
      ++counters.unkeyed;
      return;
    }
    bound_text(scratch);
    std::string value;
    if (r.field) {
      const std::string_view v = e.str(*r.field);
      if (v.empty()) {
        ++counters.unkeyed;
        return;
      }
      value.reserve(v.size());
      append_lower(value, v);
      bound_text(value);
    }
    const std::string k = scratch;  // touch() may evict; keep our own copy
    Group& g = touch(c, k);
    const Micros h = horizon(c);
    auto trim = [&](std::vector<Micros>& v) {
      v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), h));
    };
    switch (r.type) {
      case CorrelationType::count:
        insert_sorted(g.times, t);
        trim(g.times);
        cap(g.times, r.max_pending);
        window_check(c, g, t, e, ref, out);
        break;
      case CorrelationType::distinct:
        insert_sorted(g.values, std::pair<Micros, std::string>(t, std::move(value)));
        g.values.erase(g.values.begin(),
                       std::lower_bound(g.values.begin(), g.values.end(),
                                        std::pair<Micros, std::string>(h, std::string())));
        cap(g.values, r.max_pending);
        window_check(c, g, t, e, ref, out);
        break;
      case CorrelationType::sequence:
        g.steps.resize(r.inputs.size());
        if (!r.link_from.empty() && !route.until) {
          // Linked: the first step keeps its link values, the last is checked on arrival.
          if (route.input == 0) {
            std::string links = link_values(r, e);
            if (!links.empty()) {
              insert_sorted(g.values, std::pair<Micros, std::string>(t, std::move(links)));
              g.values.erase(g.values.begin(),
                             std::lower_bound(g.values.begin(), g.values.end(),
                                              std::pair<Micros, std::string>(h, std::string())));
              cap(g.values, r.max_pending);
            }
          } else if (route.input + 1 == r.inputs.size()) {
            linked_check(c, g, t, e, ref, out);
          } else {
            insert_sorted(g.steps[route.input], t);
            trim(g.steps[route.input]);
            cap(g.steps[route.input], r.max_pending);
          }
          break;
        }
        insert_sorted(route.until ? g.until : g.steps[route.input], t);
        for (auto& s : g.steps) {
          trim(s);
          cap(s, r.max_pending);
        }
        trim(g.until);
        cap(g.until, r.max_pending);
        if (!route.until && !g.steps[0].empty()) sequence_check(c, g, e, ref, out);
        break;
      case CorrelationType::absent: {
        g.steps.resize(1);
        auto& answers = g.steps[0];
        if (route.until) {
          insert_sorted(answers, t);
          // Answered: every unanswered event in [t - within, t].
          auto from = std::lower_bound(g.times.begin(), g.times.end(), t - r.within_us);
          auto to = std::upper_bound(g.times.begin(), g.times.end(), t);
          for (auto it = from; it != to; ++it) c.deadlines.erase({*it + r.within_us, k});
          g.times.erase(from, to);
        } else {
          auto answer = std::lower_bound(answers.begin(), answers.end(), t);
          if (answer == answers.end() || *answer - t > r.within_us) {
            insert_sorted(g.times, t);
            c.deadlines.insert({t + r.within_us, k});
          }
        }
        trim(answers);
        if (g.times.size() > r.max_pending) {
          for (std::size_t i = 0; i + r.max_pending < g.times.size(); ++i)
            c.deadlines.erase({g.times[i] + r.within_us, k});
          cap(g.times, r.max_pending);
        }
        cap(answers, r.max_pending);
        break;
      }
      case CorrelationType::first_seen: {
        if (c.learn_until == kNever) {
          c.learn_until = t + r.learning_us;
          c.meta_dirty = true;
        }
        auto at = std::lower_bound(g.seen.begin(), g.seen.end(), value);
        if (at != g.seen.end() && *at == value) break;
        g.seen.insert(at, value);
        if (g.seen.size() > r.max_pending) {  // forget one at random: it may alert again
          g.seen.erase(g.seen.begin() +
                       static_cast<std::ptrdiff_t>(t % static_cast<Micros>(g.seen.size())));
          ++counters.evicted_pending;
        }
        if (t >= c.learn_until) fire(c, e, ref, {{"first", value}}, out);
        break;
      }
      case CorrelationType::baseline: {
        const Micros b = t >= 0 ? t / r.period_us : -((-t + r.period_us - 1) / r.period_us);
        if (g.first == kNever || b < g.first) g.first = b;
        if (c.first_period == kNever || b < c.first_period) {
          c.first_period = b;
          c.meta_dirty = true;
        }
        auto at = std::lower_bound(g.buckets.begin(), g.buckets.end(),
                                   std::pair<Micros, std::int64_t>(b, 0));
        if (at == g.buckets.end() || at->first != b) at = g.buckets.insert(at, {b, 0});
        const std::int64_t today = ++at->second;
        const Micros newest = g.buckets.back().first;
        g.buckets.erase(g.buckets.begin(), std::lower_bound(g.buckets.begin(), g.buckets.end(),
                                                            std::pair<Micros, std::int64_t>(
                                                                newest - r.history_periods, 0)));
        if (!r.peer.empty() && (g.peer.empty() || today == 1)) {
          EvalContext ctx(e, ref);
          g.peer = r.peer.render(ctx);
          if (g.peer == "-") g.peer.clear();  // absent: no peer group
        }
        if (today < r.threshold || g.fired == b) break;
        // Judged against the key's own history and its peer group's working days, each once it
        // has enough data; both must be exceeded when both have it.
        // A rare signal's history starts when the rule first saw anyone (absent_is_zero): the
        // days before a key's first match were days without one.
        const Micros periods =
            std::min<Micros>(r.history_periods, b - (r.absent_is_zero ? c.first_period : g.first));
        const bool own_ready = periods >= r.min_history_periods;
        double mean = 0, sd = 0;
        if (own_ready) {
          double sum = 0, sq = 0;
          for (const auto& [pb, count] : g.buckets)
            if (pb >= b - periods && pb < b) {
              sum += static_cast<double>(count);
              sq += static_cast<double>(count) * static_cast<double>(count);
            }
          mean = sum / static_cast<double>(periods);
          sd = std::sqrt(std::max(0.0, sq / static_cast<double>(periods) - mean * mean));
        }
        const PeerStats* peers = nullptr;
        // A rare signal's peers are only those the rule has seen match, mostly the few with a
        // habit: once the key has its own history (zeros included), that is the better norm;
        // unless the rule says the behaviour is a role's work (peer_habit).
        if (!g.peer.empty() && !(own_ready && r.absent_is_zero && !r.peer_habit)) {
          const PeerStats& p = peer_stats(c, g.peer, b);
          if (p.keys >= r.min_peers) peers = &p;
        }
        if (!own_ready && !peers) break;
        const double volume = static_cast<double>(today);
        if (own_ready && volume <= mean + r.z * sd) break;
        if (peers && volume <= peers->mean + r.z * peers->sd) break;
        g.fired = b;
        std::vector<std::pair<std::string, std::string>> details;
        std::string usual = own_ready ? fmt::format("usual {:.1f} ± {:.1f} over {} {}", mean, sd,
                                                    periods, periods == 1 ? "period" : "periods")
                                      : std::string("no own history yet");
        if (peers)
          // The peer group's name is left out: a small group (a chief officer team) names
          // the person; it is in the revealed evidence.
          usual += fmt::format("; peers {:.1f} ± {:.1f} over {} members", peers->mean, peers->sd,
                               peers->keys);
        details.emplace_back("count", fmt::format("{} this {} ({})", today,
                                                  duration_text(r.period_us), usual));
        fire(c, e, ref, std::move(details), out);
        break;
      }
      case CorrelationType::risk: {
        // A rule scores once per key per `per` period: a signal, not its repeats.
        const Micros period = r.per_us > 0 ? t / r.per_us : t;
        const auto index = static_cast<std::int64_t>(route.input);
        const bool scored = std::any_of(g.signals.begin(), g.signals.end(), [&](const auto& sig) {
          return sig.second == index && (r.per_us > 0 ? sig.first / r.per_us : sig.first) == period;
        });
        if (scored) break;
        const Micros keep = std::max<Micros>(r.per_us, 4 * r.half_life_us);
        g.signals.erase(std::remove_if(g.signals.begin(), g.signals.end(),
                                       [&](const auto& sig) { return sig.first < t - keep; }),
                        g.signals.end());
        g.signals.emplace_back(t, index);
        cap(g.signals, r.max_pending);
        if (g.last == kNever || t > g.last) g.last = t;
        // The score at the newest signal: each signal halves every half_life; a rule's share is
        // capped at cap x its score, so one habit cannot make the total alone.
        const double hl = static_cast<double>(r.half_life_us);
        std::vector<double> shares(r.inputs.size(), 0.0);
        for (const auto& [when, i] : g.signals)
          shares[static_cast<std::size_t>(i)] +=
              r.inputs[static_cast<std::size_t>(i)].score *
              std::exp2(-static_cast<double>(g.last - when) / hl);
        g.score = 0;
        for (std::size_t i = 0; i < shares.size(); ++i)
          g.score += r.cap > 0 ? std::min(shares[i], r.cap * r.inputs[i].score) : shares[i];
        std::vector<std::int64_t> rules_seen;
        for (const auto& sig : g.signals)
          if (std::find(rules_seen.begin(), rules_seen.end(), sig.second) == rules_seen.end())
            rules_seen.push_back(sig.second);
        if (!g.above && g.score >= r.risk_threshold && rules_seen.size() >= r.min_rules) {
          g.above = true;
          std::string signals;
          for (const auto i : rules_seen)
            signals += (signals.empty() ? "" : ", ") + r.inputs[static_cast<std::size_t>(i)].rule;
          fire(c, e, ref,
               {{"score", fmt::format("{:.1f} (threshold {:.1f})", g.score, r.risk_threshold)},
                {"signals", signals}},
               out);
        } else if (g.above && g.score < r.risk_threshold) {
          g.above = false;
        }
        break;
      }
    }
    remeasure(k, g);
  }

  // Feeds matches[from..] (and what they cause) to the correlations.
  void correlate(const event::Event& e, Micros t, const state::ReferenceData& ref,
                 std::vector<Match>& matches, std::size_t from) {
    for (std::size_t i = from; i < matches.size(); ++i) {
      auto it = routes.find(matches[i].rule_id);
      if (it == routes.end()) continue;
      for (const Route& route : it->second) feed(corrs[route.corr], route, e, t, ref, matches);
    }
  }

  void suppress_all(const event::Event& e, Micros t, std::vector<Match>& matches,
                    std::size_t from) {
    if (suppress.empty()) return;
    for (std::size_t i = from; i < matches.size(); ++i) {
      Match& m = matches[i];
      if (m.building_block) continue;
      auto it = suppress.find(m.rule_id);
      if (it == suppress.end()) continue;
      std::string k = m.rule_id;
      for (const auto f : it->second->by) {
        k += kSep;
        append_lower(k, e.str(f));
      }
      Window& w = windows[k];
      if (w.count > 0 && t <= w.until) {
        m.repeat = w.count++;
        ++counters.folded;
      } else {
        w = Window{t + it->second->for_us, 1};
      }
      windows_dirty.insert(k);
      m.suppression_key = std::move(k);
    }
  }

  void sweep() {
    const Micros wm = watermark();
    for (auto it = windows.begin(); it != windows.end();) {
      if (it->second.until < wm) {
        windows_dirty.insert(it->first);
        it = windows.erase(it);
      } else {
        ++it;
      }
    }
    for (Corr& c : corrs) {
      const CorrelationType type = c.rule->type;
      if (type != CorrelationType::count && type != CorrelationType::distinct &&
          type != CorrelationType::sequence && type != CorrelationType::absent)
        continue;
      const Micros h = horizon(c);
      std::vector<std::string> idle;
      for (auto& [k, g] : c.groups) {
        auto trim = [&](std::vector<Micros>& v) {
          v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), h));
        };
        trim(g.until);
        for (auto& s : g.steps) trim(s);
        if (type != CorrelationType::absent) trim(g.times);
        g.values.erase(g.values.begin(),
                       std::lower_bound(g.values.begin(), g.values.end(),
                                        std::pair<Micros, std::string>(h, std::string())));
        remeasure(k, g);
        if (g.empty()) idle.push_back(k);
      }
      for (const auto& k : idle) drop_group(c, k);
    }
  }
};

CorrelationEngine::CorrelationEngine(std::shared_ptr<const RuleSet> rules,
                                     CorrelationOptions options)
    : s_(std::make_unique<State>()) {
  s_->options = options;
  s_->bind(std::move(rules), {});
}

CorrelationEngine::~CorrelationEngine() = default;

void CorrelationEngine::process(const event::Event& e, const state::ReferenceData& ref,
                                std::vector<Match>& matches) {
  State& s = *s_;
  const auto time = e.time();
  const Micros bound = time ? s.future_bound() : std::numeric_limits<Micros>::max();
  if (time && micros(*time) > bound) {
    // Detections have matched already; correlating it would drag the watermark ahead of
    // every honest sender. Suppression still applies, on the bound, so its window closes.
    ++s.counters.future_events;
    s.suppress_all(e, bound, matches, 0);
    return;
  }
  if (matches.empty()) return;
  const Micros t = time ? micros(*time) : (s.event_clock == kNever ? 0 : s.event_clock);
  const bool late = s.event_clock != kNever && t < s.watermark();
  if (late) {
    for (const auto& m : matches)
      if (s.routes.count(m.rule_id)) {
        ++s.counters.late_events;
        break;
      }
  } else {
    if (t > s.event_clock) {
      s.event_clock = t;
      s.clock_dirty = true;
    }
    if (t > s.clock) s.clock = t;
    s.correlate(e, t, ref, matches, 0);
  }
  s.suppress_all(e, t, matches, 0);
}

void CorrelationEngine::advance_time(event::Timestamp now, const state::ReferenceData& ref,
                                     std::vector<std::pair<Match, event::Event>>& out) {
  State& s = *s_;
  // The pipeline passes each event's own time here too: a future one must not move it.
  if (micros(now) > s.clock && micros(now) <= s.future_bound()) {
    s.clock = micros(now);
    s.clock_dirty = true;
  }
  const Micros wm = s.deadline_watermark();
  for (Corr& c : s.corrs) {
    if (c.rule->type != CorrelationType::absent) continue;
    while (!c.deadlines.empty() && c.deadlines.begin()->first <= wm) {
      const auto [due, key] = *c.deadlines.begin();
      c.deadlines.erase(c.deadlines.begin());
      auto g = c.groups.find(key);
      if (g == c.groups.end()) continue;
      auto& pending = g->second.times;
      const Micros t = due - c.rule->within_us;
      auto at = std::lower_bound(pending.begin(), pending.end(), t);
      if (at == pending.end() || *at != t) continue;
      pending.erase(at);
      c.dirty.insert(key);
      // The unanswered event's group-by fields (lower-cased) and time.
      event::Event e(event::Kind::access);
      std::size_t start = 0;
      for (const auto f : c.rule->by) {
        const std::size_t end = std::min(key.find(kSep, start), key.size());
        e.set(f, key.substr(start, end - start));
        start = end + 1;
      }
      e.set(event::FieldId::event_time, stamp(t));
      std::vector<Match> ms;
      s.fire(c, e, ref,
             {{"unanswered", fmt::format("no {} within {}", c.rule->until.front().rule,
                                         duration_text(c.rule->within_us))}},
             ms);
      s.correlate(e, t, ref, ms, 0);
      s.suppress_all(e, t, ms, 0);
      for (auto& m : ms) out.emplace_back(std::move(m), e);
    }
  }
  if (s.event_clock != kNever &&
      (s.last_sweep == kNever || s.event_clock - s.last_sweep >= kSweepEvery)) {
    s.last_sweep = s.event_clock;
    s.sweep();
  }
}

void CorrelationEngine::set_rules(std::shared_ptr<const RuleSet> rules) {
  s_->bind(std::move(rules), std::move(s_->corrs));
}

const std::shared_ptr<const RuleSet>& CorrelationEngine::rules() const { return s_->rules; }

const CorrelationCounters& CorrelationEngine::counters() const {
  std::uint64_t keys = 0;
  for (const auto& c : s_->corrs) keys += c.groups.size();
  s_->counters.keys = keys;
  return s_->counters;
}

std::size_t CorrelationEngine::state_bytes() const { return s_->state_bytes; }

event::Timestamp CorrelationEngine::clock() const {
  return stamp(s_->clock == kNever ? 0 : s_->clock);
}

std::size_t CorrelationEngine::dirty() const {
  std::size_t n = s_->windows_dirty.size() + s_->erase.size();
  for (const auto& c : s_->corrs) n += c.dirty.size() + (c.meta_dirty ? 1 : 0);
  return n;
}

Result<void> CorrelationEngine::restore(CorrelationStore& store) {
  State& s = *s_;
  std::vector<StateWrite> stale;
  // State saved before the future bound existed may hold a clock years ahead; clamping it
  // here is what lets correlations resume after such a restart. To the wall clock, not to
  // wall clock + skew: a watermark at now + skew - lateness would make a sender a second
  // behind late; a fast sender's lead lost at a restart costs nothing.
  const bool bounded = static_cast<bool>(s.options.now);
  const Micros now = bounded ? micros(s.options.now()) : 0;
  auto clamp = [&](Micros t, Micros ahead) {
    return bounded && t != kNever && t > now + ahead ? now + ahead : t;
  };
  auto loaded = store.load([&](std::string_view key, std::string_view value) {
    auto fail = [&] {
      ++s.counters.discarded;
      stale.push_back({std::string(key), std::nullopt});
    };
    if (key == "e") {
      Reader r{value};
      const Micros saved_clock = r.i64(), saved_event_clock = r.i64();
      const Micros clock = clamp(saved_clock, 0), event_clock = clamp(saved_event_clock, 0);
      if (clock != saved_clock || event_clock != saved_event_clock) s.clock_dirty = true;
      if (r.ok && clock > s.clock) s.clock = clock;
      if (r.ok && event_clock > s.event_clock) s.event_clock = event_clock;
      return;
    }
    if (key.size() < 2 || key[1] != kSep) return fail();
    const char kind = key[0];
    std::string_view rest = key.substr(2);
    if (kind == 's') {
      const std::string rule(rest.substr(0, rest.find(kSep)));
      Reader r{value};
      Window w{r.i64(), static_cast<std::uint64_t>(r.i64())};
      if (!r.ok || !s.suppress.count(rule)) return fail();
      w.until = clamp(w.until, s.suppress.at(rule)->for_us);
      s.windows[std::string(rest)] = w;
      ++s.counters.restored;
      return;
    }
    const std::size_t id_end = rest.find(kSep);
    if (id_end == std::string_view::npos) return fail();
    const std::string_view id = rest.substr(0, id_end);
    rest.remove_prefix(id_end + 1);
    const std::size_t version_end = std::min(rest.find(kSep), rest.size());
    const std::string_view version = rest.substr(0, version_end);
    auto corr = std::find_if(s.corrs.begin(), s.corrs.end(), [&](const Corr& c) {
      return c.rule->info.id == id && c.rule->info.version == version;
    });
    if (corr == s.corrs.end()) return fail();
    if (kind == 'm') {
      Reader r{value};
      corr->learn_until = clamp(r.i64(), corr->rule->learning_us);
      if (!r.s.empty()) corr->first_period = r.i64();
      if (!r.ok) return fail();
      ++s.counters.restored;
      return;
    }
    if (kind != 'c' || version_end == rest.size()) return fail();
    const std::string group(rest.substr(version_end + 1));
    Group g;
    if (!decode(value, corr->rule->type, g)) return fail();
    if (corr->rule->type == CorrelationType::absent)
      for (const Micros t : g.times) corr->deadlines.insert({t + corr->rule->within_us, group});
    corr->lru.push_back(group);
    g.lru = std::prev(corr->lru.end());
    g.bytes = measure(group, g);
    s.state_bytes += g.bytes;
    corr->groups[group] = std::move(g);
    ++s.counters.restored;
  });
  if (!loaded) return loaded;
  if (!stale.empty()) return store.save(stale);
  return {};
}

Result<void> CorrelationEngine::checkpoint(CorrelationStore& store) {
  State& s = *s_;
  std::vector<StateWrite> writes;
  for (const auto& k : s.erase) writes.push_back({k, std::nullopt});
  for (Corr& c : s.corrs) {
    for (const auto& k : c.dirty) {
      auto g = c.groups.find(k);
      writes.push_back(
          {State::group_key(c, k),
           g == c.groups.end() ? std::nullopt : std::optional(encode(g->second, c.rule->type))});
    }
    if (c.meta_dirty) {
      Writer w;
      w.i64(c.learn_until);
      w.i64(c.first_period);
      writes.push_back({State::meta_key(c), std::move(w.s)});
    }
  }
  for (const auto& k : s.windows_dirty) {
    auto w = s.windows.find(k);
    std::optional<std::string> value;
    if (w != s.windows.end()) {
      Writer out;
      out.i64(w->second.until);
      out.i64(static_cast<std::int64_t>(w->second.count));
      value = std::move(out.s);
    }
    writes.push_back({"s" + std::string(1, kSep) + k, std::move(value)});
  }
  if (s.clock_dirty) {
    Writer w;
    w.i64(s.clock);
    w.i64(s.event_clock);
    writes.push_back({"e", std::move(w.s)});
  }
  if (writes.empty()) return {};
  auto saved = store.save(writes);
  if (!saved) return saved;  // everything stays dirty for the next attempt
  s.erase.clear();
  for (Corr& c : s.corrs) {
    c.dirty.clear();
    c.meta_dirty = false;
  }
  s.windows_dirty.clear();
  s.clock_dirty = false;
  return {};
}

}  // namespace probity::rules
