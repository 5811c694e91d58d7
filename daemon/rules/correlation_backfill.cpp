// Backfill frames: an event behind the live watermark (older logs replayed into the daemon, a
// sender's backlog sent after newer events) is correlated in a frame of its own, a nested engine
// with its own clock that the events sent with it join, instead of being dropped as late. Live
// state is never read or changed by a frame. Not for the live clock rules (correlation_engine.cpp).
#include <algorithm>
#include <iterator>

#include "rules/correlation_state.h"

namespace probity::rules {
namespace {

// A frame that has not been checkpointed gathers dirty keys without end; past this many they are
// forgotten (amortised: clearing is linear in the sets).
constexpr std::size_t kFrameUnsavedMax = 4096;

std::string_view sender_system(const event::Event& e) {
  const auto system = e.str(event::FieldId::source_system);
  return system.empty() ? e.str(event::FieldId::gateway) : system;
}

}  // namespace

void add_frame_counters(CorrelationCounters& to, const CorrelationCounters& from) {
  to.unkeyed += from.unkeyed;
  to.evicted_keys += from.evicted_keys;
  to.evicted_pending += from.evicted_pending;
  to.fired += from.fired;
  to.folded += from.folded;
  to.evidence_dropped += from.evidence_dropped;
}

bool CorrelationEngine::State::feeds(const std::vector<Match>& matches) const {
  return std::any_of(matches.begin(), matches.end(), [&](const Match& m) {
    return routes.count(m.rule_id) != 0 || suppress.count(m.rule_id) != 0;
  });
}

BackfillFrame* CorrelationEngine::State::frame_for(Micros t) {
  const Micros lateness = options.lateness.count();
  BackfillFrame* pick = nullptr;
  Micros best = std::numeric_limits<Micros>::max();
  for (BackfillFrame& f : frames) {
    const Micros c = f.engine->s_->event_clock;
    if (c != kNever && t < c - lateness) continue;  // late for this frame too
    const Micros d = c == kNever ? 0 : (c > t ? c - t : t - c);
    if (d < best) best = d, pick = &f;
  }
  return pick;
}

BackfillFrame* CorrelationEngine::State::open_frame(const event::Event& e, Micros t,
                                                    const state::ReferenceData& ref) {
  const std::size_t max = options.max_backfill_frames;
  if (frames.size() >= max) {
    if (options.now) {
      // In the daemon the busy frames are other senders' backfills: refusing this event costs
      // its correlation; closing one of them would cost theirs.
      ++counters.backfill_refused;
      BackfillNotice n;
      n.kind = BackfillNotice::Kind::refused;
      n.event_time = stamp(t);
      n.clock = stamp(event_clock);
      n.host = e.str(event::FieldId::source_host);
      n.system = sender_system(e);
      notify(std::move(n));
      return nullptr;
    }
    const auto lru = std::min_element(frames.begin(), frames.end(),
                                      [](const auto& a, const auto& b) { return a.used < b.used; });
    close_frame(static_cast<std::size_t>(lru - frames.begin()), ref);
  }
  CorrelationOptions o = options;
  o.now = nullptr;  // its events are in the past by construction: nothing to bound
  o.max_backfill_frames = 0;
  o.on_backfill = nullptr;
  o.max_state_bytes = options.max_state_bytes / (2 * max);
  o.max_evidence_bytes = options.max_evidence_bytes / (2 * max);
  BackfillFrame f;
  f.engine = std::make_unique<CorrelationEngine>(rules, std::move(o));
  f.id = ++counters.backfill_frames;
  BackfillNotice n;
  n.kind = BackfillNotice::Kind::opened;
  n.frame = f.id;
  n.event_time = stamp(t);
  n.clock = stamp(event_clock);
  n.host = e.str(event::FieldId::source_host);
  n.system = sender_system(e);
  frames.push_back(std::move(f));
  notify(std::move(n));
  return &frames.back();
}

void CorrelationEngine::State::process_in_frame(BackfillFrame& f, const event::Event& e, Micros t,
                                                const state::ReferenceData& ref,
                                                std::vector<Match>& matches) {
  f.engine->process(e, ref, matches);
  f.used = options.now ? micros(options.now()) : static_cast<Micros>(++frame_uses);
  f.first = f.first == kNever ? t : std::min(f.first, t);
  f.last = std::max(f.last, t);
  ++f.events;
  ++counters.backfill_events;
  for (Match& m : matches) {
    if (m.building_block) continue;
    ++f.matches;
    mark_backfill(m, f.id);
  }
}

void CorrelationEngine::State::advance_frames(const state::ReferenceData& ref,
                                              std::vector<std::pair<Match, event::Event>>& out) {
  for (BackfillFrame& f : frames) {
    State& fs = *f.engine->s_;
    if (fs.event_clock == kNever) continue;
    // A frame's deadlines follow its own events' times only, as in replay.
    const std::size_t from = out.size();
    f.engine->advance_time(stamp(fs.event_clock), ref, out);
    for (std::size_t i = from; i < out.size(); ++i) {
      if (out[i].first.building_block) continue;
      ++f.matches;
      mark_backfill(out[i].first, f.id);
    }
    if (f.engine->dirty() > kFrameUnsavedMax) fs.forget_unsaved();
  }
  if (options.now && !frames.empty()) {
    const Micros now = micros(options.now());
    for (std::size_t i = frames.size(); i-- > 0;)
      if (now - frames[i].used >= options.backfill_idle.count()) close_frame(i, ref);
  }
  std::move(closing.begin(), closing.end(), std::back_inserter(out));
  closing.clear();
}

void CorrelationEngine::State::close_frame(std::size_t i, const state::ReferenceData& ref) {
  BackfillFrame& f = frames[i];
  // Its batch is over and the live clock is past it: the deadlines still pending have passed,
  // as the wall clock passes them for live state. Out with the next advance_time().
  const std::size_t from = closing.size();
  f.engine->advance_time(stamp(std::numeric_limits<Micros>::max()), ref, closing);
  for (std::size_t k = from; k < closing.size(); ++k) {
    if (closing[k].first.building_block) continue;
    ++f.matches;
    mark_backfill(closing[k].first, f.id);
  }
  add_frame_counters(closed_frames, f.engine->counters());
  BackfillNotice n;
  n.kind = BackfillNotice::Kind::closed;
  n.frame = f.id;
  n.clock = stamp(event_clock);
  n.first = stamp(f.first == kNever ? 0 : f.first);
  n.last = stamp(f.last == kNever ? 0 : f.last);
  n.events = f.events;
  n.matches = f.matches;
  frames.erase(frames.begin() + static_cast<std::ptrdiff_t>(i));
  notify(std::move(n));
}

void CorrelationEngine::State::mark_backfill(Match& m, std::uint64_t frame) const {
  if (m.backfill) return;
  m.backfill = true;
  const bool framed = frame != 0;
  // A frame's suppression windows are its own: its repeats fold into the alerts it raised, not
  // into a live alert for the same key.
  if (framed && !m.suppression_key.empty())
    m.suppression_key = fmt::format("backfill-{}{}{}", frame, kSep, m.suppression_key);
  if (std::find(m.tags.begin(), m.tags.end(), "backfill") == m.tags.end())
    m.tags.emplace_back("backfill");
  const std::string clock_text = event::format_time(stamp(event_clock));
  m.shown_fields.emplace_back(
      "backfill",
      framed
          ? fmt::format("received behind the correlation clock ({}): correlated in a frame of "
                        "its own with the events that came with it, apart from live events",
                        clock_text)
          : fmt::format("received behind the correlation clock ({}): not correlated", clock_text));
  m.field_identities.push_back(event::Identity::none);
}

void CorrelationEngine::State::notify(BackfillNotice notice) const {
  if (options.on_backfill) options.on_backfill(notice);
}

void CorrelationEngine::State::forget_unsaved() {
  erased.clear();
  ++epoch;  // what changed before is no longer counted as changed
  for (Corr& c : corrs) {
    c.dirty = 0;
    c.meta_dirty = false;
  }
  windows_dirty.clear();
  clock_dirty = false;
}

}  // namespace probity::rules
