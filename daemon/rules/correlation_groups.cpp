// Correlation state as groups: binding a rule set (keeping state of unchanged rules), finding or
// creating a group under the key and byte caps, eviction, and the periodic sweep of idle groups
// and closed suppression windows. What a group holds is in correlation_state.h.
#include <algorithm>

#include "base/ascii.h"
#include "base/fnv.h"
#include "rules/correlation_state.h"

namespace probity::rules {

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
namespace {
constexpr std::size_t kMaxKeyBytes = 256;
}  // namespace

void bound_text(std::string& s) {
  if (s.size() <= kMaxKeyBytes) return;
  const std::uint64_t h = fnv1a_64(s);
  s.resize(kMaxKeyBytes - 17);
  s += fmt::format("#{:016x}", h);
}

namespace {
// A heap block as the allocator hands it out: sizes rounded up to its 16-byte classes.
constexpr std::size_t block(std::size_t n) { return n == 0 ? 0 : (n + 15) / 16 * 16; }
std::size_t text_bytes(const std::string& s) {
  return s.capacity() > 15 ? block(s.capacity() + 1) : 0;  // beyond the small-string buffer
}
// The map's node (key, group and its links, rounded up for a cached hash) and its bucket.
constexpr std::size_t kNodeBytes =
    block(sizeof(std::pair<const std::string, Group>) + 2 * sizeof(void*)) + sizeof(void*);
}  // namespace

// What a group holds: the map's node and bucket, the key's text, and every vector and string
// as allocated. The budget bounds memory, so this counts what the allocator hands out.
std::size_t measure(const std::string& key, const Group& g) {
  std::size_t n = kNodeBytes + text_bytes(key);
  n +=
      block(g.times.capacity() * sizeof(Micros)) + block(g.values.capacity() * sizeof(g.values[0]));
  for (const auto& [t, v] : g.values) n += text_bytes(v);
  if (!g.extra) return n;
  const GroupExtra& x = *g.extra;
  n += block(sizeof(GroupExtra)) + block(x.until.capacity() * sizeof(Micros));
  n += block(x.buckets.capacity() * sizeof(x.buckets[0])) +
       block(x.signals.capacity() * sizeof(x.signals[0])) +
       block(x.seen.capacity() * sizeof(std::string)) +
       block(x.steps.capacity() * sizeof(x.steps[0]));
  for (const auto& s : x.seen) n += text_bytes(s);
  for (const auto& s : x.steps) n += block(s.capacity() * sizeof(Micros));
  return n + text_bytes(x.peer);
}

void CorrelationEngine::State::bind(std::shared_ptr<const RuleSet> set, std::vector<Corr> old) {
  // `old` points into the previous set: keep it alive until the state has moved.
  const std::shared_ptr<const RuleSet> previous = std::exchange(rules, std::move(set));
  // Their places are in correlations about to move or go; a checkpoint in progress has
  // encoded all it had left (set_rules).
  sweeping.running = false;
  sweeping.at = nullptr;
  saving.at = nullptr;
  saving.corr = rules->correlations().size();
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
      if (g.stored) erased.erase(group_key(o, k));
      state_bytes -= g.bytes;
      group_evidence_gone(o, g);
    }
    erased.erase(meta_key(o));
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
      erased.erase("s" + std::string(1, kSep) + it->first);
      it = windows.erase(it);
    } else {
      ++it;
    }
  }
}

Group& CorrelationEngine::State::touch(Corr& c, const std::string& key) {
  auto it = c.groups.find(key);
  if (it != c.groups.end()) {
    Group& g = it->second;
    before_change(c, g);
    if (c.newest != &g) {
      unlink_lru(c, g);
      link_newest(c, g);
    }
    changed(c, g);
    return g;
  }
  // At max_keys, or with all correlations' state at the byte budget, this correlation's
  // least recently used groups go (the one growing pays, not a quiet neighbour).
  while (c.oldest && (c.groups.size() >= c.rule->max_keys ||
                      state_bytes + kNodeBytes + key.size() > options.max_state_bytes)) {
    drop_group(c, *c.oldest);
    ++counters.evicted_keys;
  }
  auto [made, _] = c.groups.try_emplace(key);
  Group& g = made->second;
  g.key = &made->first;
  link_newest(c, g);
  changed(c, g);
  return g;
}

void CorrelationEngine::State::drop_group(Corr& c, Group& g) {
  before_change(c, g);
  if (g.changed == epoch) --c.dirty;
  if (g.stored) erased.erase(group_key(c, *g.key));
  state_bytes -= g.bytes;
  group_evidence_gone(c, g);
  unlink_lru(c, g);
  c.groups.erase(c.groups.find(*g.key));  // not erase(*g.key): that key goes with the node
}

void CorrelationEngine::State::shed_to_budget(Corr& c, const Group& keep) {
  // Keys that only grow (a user's distinct subjects) take the state past its budget without
  // a new key to trigger touch()'s eviction: the correlation that grew pays here instead.
  while (state_bytes > options.max_state_bytes && c.oldest && c.oldest != &keep) {
    drop_group(c, *c.oldest);
    ++counters.evicted_keys;
  }
}

void CorrelationEngine::State::remeasure(Group& g) {
  const std::size_t now = measure(*g.key, g);
  state_bytes = state_bytes - g.bytes + now;
  g.bytes = now;
}

void CorrelationEngine::State::unlink_lru(Corr& c, Group& g) {
  if (sweeping.at == &g) sweeping.at = g.newer;
  if (saving.at == &g) saving.at = g.older;
  (g.older ? g.older->newer : c.oldest) = g.newer;
  (g.newer ? g.newer->older : c.newest) = g.older;
  g.older = g.newer = nullptr;
}

void CorrelationEngine::State::link_newest(Corr& c, Group& g) {
  g.older = c.newest;
  g.newer = nullptr;
  (c.newest ? c.newest->newer : c.oldest) = &g;
  c.newest = &g;
}

namespace {
constexpr Micros kSweepEvery = 60'000'000;

/// Whether `g` holds anything from before `h` (its vectors are in time order, so their
/// first entries tell).
bool holds_before(const Corr& c, const Group& g, Micros h) {
  const auto early = [h](const std::vector<Micros>& v) { return !v.empty() && v.front() < h; };
  if (g.extra && (early(g.extra->until) || std::ranges::any_of(g.extra->steps, early))) return true;
  if (c.rule->type != CorrelationType::absent && early(g.times)) return true;
  if (!g.values.empty() && g.values.front().first < h) return true;
  return !g.evidence.empty() && g.evidence.front().t < h;
}

bool swept_type(CorrelationType type) {
  return type == CorrelationType::count || type == CorrelationType::distinct ||
         type == CorrelationType::sequence || type == CorrelationType::absent ||
         type == CorrelationType::travel || type == CorrelationType::interleave;
}
}  // namespace

bool CorrelationEngine::State::sweep_due() const {
  if (sweeping.running || event_clock == kNever) return false;
  if (sweeping.event_start != kNever && (event_clock - sweeping.event_start < kSweepEvery ||
                                         sweeping.events_since_start < sweeping.groups_at_start))
    return false;
  return !options.now || sweeping.wall_start == kNever ||
         micros(options.now()) - sweeping.wall_start >= kSweepEvery;
}

void CorrelationEngine::State::start_sweep() {
  sweeping.event_start = event_clock;
  if (options.now) sweeping.wall_start = micros(options.now());
  const Micros wm = watermark();
  for (auto it = windows.begin(); it != windows.end();) {
    if (it->second.until < wm) {
      windows_dirty.insert(it->first);
      it = windows.erase(it);
    } else {
      ++it;
    }
  }
  sweeping.groups_at_start = 0;
  for (const Corr& c : corrs)
    if (swept_type(c.rule->type)) sweeping.groups_at_start += c.groups.size();
  sweeping.events_since_start = 0;
  sweeping.running = !corrs.empty();
  sweeping.corr = 0;
  if (sweeping.running) sweeping.at = corrs[0].oldest;
}

void CorrelationEngine::State::sweep_step(std::size_t budget) {
  while (sweeping.running && budget > 0) {
    Corr& c = corrs[sweeping.corr];
    if (!sweeping.at || !swept_type(c.rule->type)) {
      if (++sweeping.corr == corrs.size()) {
        sweeping.running = false;
        return;
      }
      sweeping.at = corrs[sweeping.corr].oldest;
      continue;
    }
    Group& g = *sweeping.at;
    sweeping.at = g.newer;
    --budget;
    const Micros h = horizon(c);
    // Most groups have nothing to trim: left alone, a checkpoint in progress need not
    // encode them now, and their size need not be measured again.
    if (!holds_before(c, g, h) && !g.empty()) continue;
    before_change(c, g);
    auto trim = [&](std::vector<Micros>& v) {
      v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), h));
    };
    if (g.extra) {
      trim(g.extra->until);
      for (auto& s : g.extra->steps) trim(s);
    }
    if (c.rule->type != CorrelationType::absent) trim(g.times);
    g.values.erase(g.values.begin(),
                   std::lower_bound(g.values.begin(), g.values.end(),
                                    std::pair<Micros, std::string>(h, std::string())));
    trim_evidence(c, g, h);
    remeasure(g);
    if (g.empty()) drop_group(c, g);
  }
}

}  // namespace probity::rules
