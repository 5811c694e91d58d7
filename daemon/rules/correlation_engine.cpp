// CorrelationEngine: per-rule, per-group-key state for correlations (windows, pending sequences,
// baselines, risk scores) and suppression windows, on event time with a lateness bound; eviction at
// caps; persistence as one byte string per (rule, key). Not for single-event conditions
// (evaluator.cpp) nor for RocksDB (CorrelationStore). This file: the public API and the clocks;
// the rest is in correlation_*.cpp around correlation_state.h.
#include <limits>

#include "rules/correlation_state.h"

namespace probity::rules {
namespace {

// Groups a sweep trims per call: a pass over a million keys never stalls one event for long.
constexpr std::size_t kSweepSlice = 256;

}  // namespace

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
  ++s.sweeping.events_since_start;
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
  const bool backfill = s.options.max_backfill_frames > 0;
  // Inside the lateness bound an event is live, whatever frame is open: a sender that lags a
  // little must never be drawn away from live correlation by a backfill near the clock.
  if (backfill && time && s.behind(t) && s.feeds(matches)) {
    // The frame it belongs with, or a new one.
    BackfillFrame* f = s.frame_for(t);
    if (!f) f = s.open_frame(e, t, ref);
    if (f) return s.process_in_frame(*f, e, t, ref, matches);
  }
  if (late && backfill)
    for (auto& m : matches)
      if (!m.building_block) s.mark_backfill(m, 0);
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
      s.before_change(c, g->second);
      pending.erase(at);
      s.changed(c, g->second);
      // The unanswered event's group-by fields (lower-cased) and time.
      event::Event e(event::Kind::access);
      std::size_t start = 0;
      for (const auto f : c.rule->by) {
        const std::size_t end = std::min(key.find(kSep, start), key.size());
        e.set(f, key.substr(start, end - start));
        start = end + 1;
      }
      e.set(event::FieldId::event_time, stamp(t));
      // An id of its own, the same whenever this deadline passes (a backfill frame, a replay),
      // so its alert is raised once.
      e.set(event::FieldId::event_id,
            fmt::format("absent-{}-{}-{}", c.rule->info.id, version_hash(key), t));
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
  if (s.sweep_due()) s.start_sweep();
  if (s.sweeping.running) s.sweep_step(kSweepSlice);
  s.advance_frames(ref, out);
}

void CorrelationEngine::set_rules(std::shared_ptr<const RuleSet> rules) {
  // A checkpoint in progress encodes the rest first: the correlations are about to move.
  s_->encode_groups(std::numeric_limits<std::size_t>::max());
  s_->bind(std::move(rules), std::move(s_->corrs));
  for (auto& f : s_->frames) f.engine->set_rules(s_->rules);
}

const std::shared_ptr<const RuleSet>& CorrelationEngine::rules() const { return s_->rules; }

const CorrelationCounters& CorrelationEngine::counters() const {
  std::uint64_t keys = 0;
  for (const auto& c : s_->corrs) keys += c.groups.size();
  s_->counters.keys = keys;
  CorrelationCounters& total = s_->total;
  total = s_->counters;
  total.backfill_open = s_->frames.size();
  add_frame_counters(total, s_->closed_frames);
  for (const auto& f : s_->frames) {
    const auto& c = f.engine->counters();
    add_frame_counters(total, c);
    total.keys += c.keys;
  }
  return total;
}

std::size_t CorrelationEngine::state_bytes() const { return s_->state_bytes; }

event::Timestamp CorrelationEngine::clock() const {
  return stamp(s_->clock == kNever ? 0 : s_->clock);
}

std::size_t CorrelationEngine::dirty() const {
  std::size_t n =
      s_->windows_dirty.size() + s_->erased.size() + s_->saving.writes.size() + s_->saving.left;
  for (const auto& c : s_->corrs) n += c.dirty + (c.meta_dirty ? 1 : 0);
  return n;
}

}  // namespace probity::rules
