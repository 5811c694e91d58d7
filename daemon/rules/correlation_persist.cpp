// Persistence of correlation state: one versioned byte string per (rule, key), per suppression
// window, per rule's meta data and for the clocks; written by checkpoint() when dirty and read
// back by restore(), which drops what no loaded rule can use. The store itself is CorrelationStore.
// A group's alert evidence is saved as one entry per kept event ("v" keys), written once when
// first checkpointed and erased when it leaves the group: rewriting every event a busy group
// keeps at each checkpoint cost more than all the rest. Groups saved by earlier versions carry
// their evidence after their type's fields; it is read back and moves to entries when the
// group next changes.
#include <charconv>
#include <cstring>
#include <limits>

#include "rules/correlation_state.h"

namespace probity::rules {
namespace {

constexpr std::size_t kSeqDigits = 16;  // an evidence entry's sequence number, in hex

void append_i64(std::string& s, std::int64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  s.append(b, 8);
}

// Byte encoding of persisted entries: little-endian fixed-width integers, length-prefixed strings.
// Versioned by the leading byte.
struct Writer {
  std::string s;
  void i64(std::int64_t v) { append_i64(s, v); }
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

// Into `out` (cleared first), reused from entry to entry.
void encode(const Group& g, CorrelationType type, std::string& out) {
  static const GroupExtra kNone;
  const GroupExtra& x = g.extra ? *g.extra : kNone;
  Writer w;
  w.s.swap(out);
  w.s.clear();
  w.s.push_back('\x01');
  switch (type) {
    case CorrelationType::count:
      w.vec(g.times);
      break;
    case CorrelationType::distinct:
    case CorrelationType::travel:
    case CorrelationType::interleave:
      w.i64(static_cast<std::int64_t>(g.values.size()));
      for (const auto& [t, v] : g.values) {
        w.i64(t);
        w.str(v);
      }
      break;
    case CorrelationType::sequence:
      w.i64(static_cast<std::int64_t>(x.steps.size()));
      for (const auto& s : x.steps) w.vec(s);
      w.vec(x.until);
      w.i64(static_cast<std::int64_t>(g.values.size()));
      for (const auto& [t, v] : g.values) {
        w.i64(t);
        w.str(v);
      }
      break;
    case CorrelationType::absent:
      w.vec(g.times);
      w.vec(x.steps.empty() ? std::vector<Micros>{} : x.steps[0]);
      break;
    case CorrelationType::first_seen:
      w.i64(static_cast<std::int64_t>(x.seen.size()));
      for (const auto& v : x.seen) w.str(v);
      break;
    case CorrelationType::baseline:
      w.i64(x.first);
      w.i64(x.fired);
      w.i64(static_cast<std::int64_t>(x.buckets.size()));
      for (const auto& [b, c] : x.buckets) {
        w.i64(b);
        w.i64(c);
      }
      w.str(x.peer);
      break;
    case CorrelationType::risk:
      w.f64(x.score);
      w.i64(x.last);
      w.i64(x.above ? 1 : 0);
      w.i64(static_cast<std::int64_t>(x.signals.size()));
      for (const auto& [t, input] : x.signals) {
        w.i64(t);
        w.i64(input);
      }
      break;
  }
  out.swap(w.s);
}

// The entry's value is these bytes, the length of the event's JSON and the JSON. The JSON is
// not copied into the batch: it is held shared when the event has it (PackedWrites::put with
// a tail), and otherwise written with its length by the checkpoint's writer (EvidenceJson).
void encode_evidence_head(const Evidence& ev, std::string& out) {
  Writer w;
  w.s.swap(out);
  w.s.clear();
  w.s.push_back('\x01');
  w.i64(ev.t);
  w.i64(ev.step);
  out.swap(w.s);
}

// A kept event's length and JSON, made from its flat copy where the batch is written: on the
// evaluation thread they were most of the cost of encoding a group, and a checkpoint encodes
// every group that events touch before it has, in a burst as it begins.
class EvidenceJson final : public LateTail {
 public:
  EvidenceJson(FlatEvent flat, std::size_t json_bytes)
      : flat_(std::move(flat)), json_bytes_(json_bytes) {}
  std::size_t size_hint() const override { return 8 + json_bytes_; }
  std::string text() const override {
    std::string json;
    flat_.append_json(json);
    std::string out;
    out.reserve(8 + json.size());
    append_i64(out, static_cast<std::int64_t>(json.size()));
    return out.append(json);
  }

 private:
  FlatEvent flat_;
  std::size_t json_bytes_;
};

bool decode_evidence(std::string_view bytes, Evidence& ev) {
  if (bytes.empty() || bytes[0] != '\x01') return false;
  Reader r{bytes.substr(1)};
  ev.t = r.i64();
  const std::int64_t step = r.i64();
  ev.event = KeptEvent::from_json(std::make_shared<const std::string>(r.str()));
  if (step < 0 || step > std::numeric_limits<std::uint32_t>::max()) return false;
  ev.step = static_cast<std::uint32_t>(step);
  return r.ok && r.s.empty();
}

bool decode(std::string_view bytes, CorrelationType type, Group& g) {
  if (bytes.empty() || bytes[0] != '\x01') return false;
  Reader r{bytes.substr(1)};
  // Sized once: a distinct group may hold thousands (each at least a time and a length).
  auto read_values = [&](std::size_t n) {
    g.values.reserve(std::min(n, r.s.size() / 16));
    for (std::size_t i = 0; i < n && r.ok; ++i) {
      const Micros t = r.i64();
      g.values.emplace_back(t, r.str());
    }
  };
  switch (type) {
    case CorrelationType::count:
      g.times = r.vec();
      break;
    case CorrelationType::distinct:
    case CorrelationType::travel:
    case CorrelationType::interleave:
      read_values(r.count());
      break;
    case CorrelationType::sequence: {
      g.x().steps.resize(r.count());
      for (auto& s : g.x().steps) s = r.vec();
      g.x().until = r.vec();
      read_values(r.s.empty() ? 0 : r.count());  // absent before links existed
      break;
    }
    case CorrelationType::absent:
      g.times = r.vec();
      g.x().steps.assign(1, r.vec());
      break;
    case CorrelationType::first_seen: {
      const std::size_t n = r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) g.x().seen.push_back(r.str());
      break;
    }
    case CorrelationType::baseline: {
      g.x().first = r.i64();
      g.x().fired = r.i64();
      const std::size_t n = r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) {
        const Micros b = r.i64();
        g.x().buckets.emplace_back(b, r.i64());
      }
      if (!r.s.empty()) g.x().peer = r.str();
      break;
    }
    case CorrelationType::risk: {
      g.x().score = r.f64();
      g.x().last = r.i64();
      g.x().above = r.i64() != 0;
      const std::size_t n = r.s.empty() ? 0 : r.count();
      for (std::size_t i = 0; i < n && r.ok; ++i) {
        const Micros t = r.i64();
        g.x().signals.emplace_back(t, r.i64());
      }
      break;
    }
  }
  // Evidence inline, as versions before evidence entries saved it.
  const std::size_t n = r.ok && !r.s.empty() ? r.count() : 0;
  for (std::size_t i = 0; i < n && r.ok; ++i) {
    Evidence ev;
    ev.t = r.i64();
    const std::int64_t step = r.i64();
    ev.event = KeptEvent::from_json(std::make_shared<const std::string>(r.str()));
    if (step < 0 || step > std::numeric_limits<std::uint32_t>::max()) r.ok = false;
    ev.step = static_cast<std::uint32_t>(step);
    g.evidence.push_back(std::move(ev));
  }
  return r.ok && r.s.empty();
}

}  // namespace

Result<void> CorrelationEngine::restore(CorrelationStore& store) {
  State& s = *s_;
  StateWrites stale;
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
      stale.erase(key);
    };
    if (key == "e") {
      Reader r{value};
      const Micros saved_clock = r.i64(), saved_event_clock = r.i64();
      const Micros clock = clamp(saved_clock, 0), event_clock = clamp(saved_event_clock, 0);
      if (clock != saved_clock || event_clock != saved_event_clock) s.clock_dirty = true;
      if (r.ok && clock > s.clock) s.clock = clock;
      if (r.ok && event_clock > s.event_clock) s.event_clock = event_clock;
      // Events up to the saved clock may have been correlated before the stop: after it, they
      // are a backfill (the same log sent again, a sender re-sending what it had in flight),
      // not live events to count twice. A clamped clock is suspect: no fence.
      if (r.ok && event_clock == saved_event_clock && event_clock != kNever)
        s.fence = std::max(s.fence, event_clock);
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
    if (kind == 'v' && version_end < rest.size()) {
      // "v<sep>rule<sep>version<sep>sequence<sep>group": after its group, which sorts first.
      rest.remove_prefix(version_end + 1);
      const std::size_t seq_end = rest.find(kSep);
      if (seq_end != kSeqDigits) return fail();
      std::uint64_t seq = 0;
      const auto [end, ec] = std::from_chars(rest.data(), rest.data() + seq_end, seq, 16);
      auto g = corr->groups.find(std::string(rest.substr(seq_end + 1)));
      Evidence ev;
      if (ec != std::errc() || end != rest.data() + seq_end || g == corr->groups.end() ||
          !decode_evidence(value, ev))
        return fail();
      // The key is made again from the sequence number when the entry is erased: one that
      // would not come out the same is not taken, so it cannot outlive its group.
      State::evidence_key(*corr, seq, g->first, s.gone_key);
      if (s.gone_key != key) return fail();
      ev.saved = seq;
      s.evidence_seq = std::max(s.evidence_seq, seq);
      s.evidence_bytes += evidence_size(ev);
      g->second.evidence.push_back(std::move(ev));
      return;
    }
    if (kind != 'c' || version_end == rest.size()) return fail();
    const std::string group(rest.substr(version_end + 1));
    Group g;
    if (!decode(value, corr->rule->type, g)) return fail();
    if (corr->rule->type == CorrelationType::absent)
      for (const Micros t : g.times) corr->deadlines.insert({t + corr->rule->within_us, group});
    auto [at, fresh] = corr->groups.try_emplace(group, std::move(g));
    if (!fresh) return fail();
    Group& restored = at->second;
    restored.key = &at->first;
    State::link_newest(*corr, restored);
    restored.stored = true;
    restored.bytes = measure(group, restored);
    s.state_bytes += restored.bytes;
    s.evidence_bytes += group_evidence_bytes(restored);
    ++s.counters.restored;
  });
  if (!loaded) return loaded;
  // Entries come back in the order they were saved; a group keeps its evidence in time order.
  for (Corr& c : s.corrs)
    for (auto& [k, g] : c.groups)
      std::stable_sort(g.evidence.begin(), g.evidence.end(),
                       [](const Evidence& a, const Evidence& b) { return a.t < b.t; });
  if (!stale.empty()) return store.save(stale);
  return {};
}

void CorrelationEngine::State::encode_group(Corr& c, Group& g) {
  group_key(c, *g.key, saving.key);
  encode(g, c.rule->type, saving.value);
  saving.writes.put(saving.key, saving.value);
  g.stored = true;
  g.changed = 0;
  --saving.left;
  std::size_t bytes = saving.key.size() + saving.value.size();
  for (Evidence& ev : g.evidence) {
    if (ev.saved != 0) continue;
    ev.saved = ++evidence_seq;
    evidence_key(c, ev.saved, *g.key, saving.key);
    encode_evidence_head(ev, saving.value);
    bytes += saving.key.size() + saving.value.size() + ev.event->bytes();
    if (FlatEvent flat = ev.event->flat(); flat.bytes) {
      saving.writes.put(saving.key, saving.value,
                        std::make_shared<const EvidenceJson>(std::move(flat), ev.event->bytes()));
      continue;
    }
    auto json = ev.event->json();
    append_i64(saving.value, static_cast<std::int64_t>(json->size()));
    saving.writes.put(saving.key, saving.value, std::move(json));
  }
  c.rule->saved->groups.fetch_add(1, std::memory_order_relaxed);
  c.rule->saved->bytes.fetch_add(bytes, std::memory_order_relaxed);
}

void CorrelationEngine::State::encode_groups(std::size_t budget) {
  // Groups passed over cost a little too, so a slice stays short when the changed groups are
  // few among many; unbounded when the whole checkpoint is wanted now.
  constexpr std::size_t kVisitsPerEncode = 64;
  std::size_t visits = budget > std::numeric_limits<std::size_t>::max() / kVisitsPerEncode
                           ? std::numeric_limits<std::size_t>::max()
                           : budget * kVisitsPerEncode;
  while (saving.left > 0 && budget > 0 && visits > 0) {
    if (!saving.at) {
      if (++saving.corr >= corrs.size()) break;
      saving.at = corrs[saving.corr].newest;
      continue;
    }
    Group& g = *saving.at;
    saving.at = g.older;
    --visits;
    if (g.changed != saving.epoch) continue;
    encode_group(corrs[saving.corr], g);
    --budget;
  }
  // Every group still to encode is in some correlation's order, ahead of the walk: the walk
  // ends with none left. Should it not, the checkpoint must still end.
  if (saving.corr >= corrs.size()) saving.left = 0;
}

void CorrelationEngine::begin_checkpoint() {
  State& s = *s_;
  if (s.saving.running) return;
  s.saving.running = true;
  s.saving.corr = 0;
  s.saving.at = s.corrs.empty() ? nullptr : s.corrs[0].newest;
  auto& writes = s.saving.writes;  // may hold a batch the store refused: that goes first
  if (writes.empty())
    writes.swap(s.erased);
  else
    writes.append(s.erased);
  s.erased.clear();
  s.saving.epoch = s.epoch++;
  s.saving.left = 0;
  for (Corr& c : s.corrs) {
    s.saving.left += std::exchange(c.dirty, 0);
    if (c.meta_dirty) {
      Writer w;
      w.i64(c.learn_until);
      w.i64(c.first_period);
      writes.put(State::meta_key(c), w.s);
      c.meta_dirty = false;
    }
  }
  for (const auto& k : s.windows_dirty) {
    auto w = s.windows.find(k);
    const std::string key = "s" + std::string(1, kSep) + k;
    if (w == s.windows.end()) {
      writes.erase(key);
      continue;
    }
    Writer out;
    out.i64(w->second.until);
    out.i64(static_cast<std::int64_t>(w->second.count));
    writes.put(key, out.s);
  }
  s.windows_dirty.clear();
  if (s.clock_dirty) {
    Writer w;
    w.i64(s.clock);
    w.i64(s.event_clock);
    writes.put("e", w.s);
    s.clock_dirty = false;
  }
}

Result<bool> CorrelationEngine::continue_checkpoint(CorrelationStore& store, std::size_t budget) {
  State& s = *s_;
  if (!s.saving.running) return true;
  s.encode_groups(budget);
  if (s.saving.left > 0) return false;
  s.saving.running = false;
  // Refused, the batch stays in saving.writes, ahead of what the next checkpoint encodes.
  if (s.saving.writes.empty()) return true;
  auto saved = store.save(s.saving.writes);
  if (!saved) return tl::unexpected(saved.error());
  return true;
}

bool CorrelationEngine::checkpoint_running() const { return s_->saving.running; }

Result<void> CorrelationEngine::checkpoint(CorrelationStore& store) {
  const auto finish = [&]() -> Result<void> {
    auto done = continue_checkpoint(store, std::numeric_limits<std::size_t>::max());
    if (!done) return tl::unexpected(done.error());
    return {};
  };
  if (s_->saving.running)
    if (auto r = finish(); !r) return r;
  begin_checkpoint();
  return finish();
}

}  // namespace probity::rules
