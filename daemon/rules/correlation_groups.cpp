// Correlation state as groups: binding a rule set (keeping state of unchanged rules), finding or
// creating a group under the key and byte caps, eviction, and the periodic sweep of idle groups
// and closed suppression windows. What a group holds is in correlation_state.h.
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

void CorrelationEngine::State::bind(std::shared_ptr<const RuleSet> set, std::vector<Corr> old) {
  // `old` points into the previous set: keep it alive until the state has moved.
  const std::shared_ptr<const RuleSet> previous = std::exchange(rules, std::move(set));
  sweeping.running = false;  // its place is in correlations about to move or go
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
      erased.erase(group_key(o, k));
      state_bytes -= g.bytes;
      group_evidence_gone(g);
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
  before_change(c, key);
  auto it = c.groups.find(key);
  if (it != c.groups.end()) {
    unlink_lru(c, it->second.lru);
    c.lru.splice(c.lru.end(), c.lru, it->second.lru);
    c.dirty.insert(key);
    return it->second;
  }
  // At max_keys, or with all correlations' state at the byte budget, this correlation's
  // least recently used groups go (the one growing pays, not a quiet neighbour).
  while (!c.lru.empty() && (c.groups.size() >= c.rule->max_keys ||
                            state_bytes + key.size() > options.max_state_bytes)) {
    const std::string victim = c.lru.front();
    before_change(c, victim);
    unlink_lru(c, c.lru.begin());
    c.lru.pop_front();
    auto gone = c.groups.find(victim);
    state_bytes -= gone->second.bytes;
    group_evidence_gone(gone->second);
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

void CorrelationEngine::State::drop_group(Corr& c, const std::string& key) {
  auto it = c.groups.find(key);
  if (it == c.groups.end()) return;
  before_change(c, key);
  c.dirty.insert(key);  // first: `key` may be the LRU entry erased below
  state_bytes -= it->second.bytes;
  group_evidence_gone(it->second);
  unlink_lru(c, it->second.lru);
  c.lru.erase(it->second.lru);
  c.groups.erase(it);
}

void CorrelationEngine::State::remeasure(const std::string& key, Group& g) {
  const std::size_t now = measure(key, g);
  state_bytes = state_bytes - g.bytes + now;
  g.bytes = now;
}

void CorrelationEngine::State::unlink_lru(Corr& c, std::list<std::string>::iterator it) {
  if (sweeping.running && sweeping.corr < corrs.size() && &corrs[sweeping.corr] == &c &&
      sweeping.at == it)
    ++sweeping.at;
}

namespace {
constexpr Micros kSweepEvery = 60'000'000;

bool swept_type(CorrelationType type) {
  return type == CorrelationType::count || type == CorrelationType::distinct ||
         type == CorrelationType::sequence || type == CorrelationType::absent ||
         type == CorrelationType::travel || type == CorrelationType::interleave;
}
}  // namespace

bool CorrelationEngine::State::sweep_due() const {
  if (sweeping.running || event_clock == kNever) return false;
  if (sweeping.event_start != kNever && event_clock - sweeping.event_start < kSweepEvery)
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
  sweeping.running = !corrs.empty();
  sweeping.corr = 0;
  if (sweeping.running) sweeping.at = corrs[0].lru.begin();
}

void CorrelationEngine::State::sweep_step(std::size_t budget) {
  while (sweeping.running && budget > 0) {
    Corr& c = corrs[sweeping.corr];
    if (sweeping.at == c.lru.end() || !swept_type(c.rule->type)) {
      if (++sweeping.corr == corrs.size()) {
        sweeping.running = false;
        return;
      }
      sweeping.at = corrs[sweeping.corr].lru.begin();
      continue;
    }
    const std::string& k = *sweeping.at++;
    --budget;
    before_change(c, k);
    Group& g = c.groups.find(k)->second;
    const Micros h = horizon(c);
    auto trim = [&](std::vector<Micros>& v) {
      v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), h));
    };
    trim(g.until);
    for (auto& s : g.steps) trim(s);
    if (c.rule->type != CorrelationType::absent) trim(g.times);
    g.values.erase(g.values.begin(),
                   std::lower_bound(g.values.begin(), g.values.end(),
                                    std::pair<Micros, std::string>(h, std::string())));
    trim_evidence(g, h);
    remeasure(k, g);
    if (g.empty()) drop_group(c, k);
  }
}

}  // namespace probity::rules
