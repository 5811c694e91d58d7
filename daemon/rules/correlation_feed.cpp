// Feeding a correlation: one match routed to one correlation updates its group by type (count,
// distinct, sequence, absent, first_seen, baseline, risk, travel, interleave) and fires a Match
// when the type's condition is met. The window, sequence and peer checks are in
// correlation_checks.cpp; travel and interleave in correlation_places.cpp.
#include <cmath>

#include "base/ascii.h"
#include "rules/correlation_state.h"

namespace probity::rules {

void CorrelationEngine::State::feed(Corr& c, const Route& route, const event::Event& e, Micros t,
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
  Group& g = touch(c, scratch);
  const std::string& k = *g.key;  // feeding never drops the group fed
  const Micros h = horizon(c);
  auto trim = [&](std::vector<Micros>& v) {
    v.erase(v.begin(), std::lower_bound(v.begin(), v.end(), h));
  };
  switch (r.type) {
    case CorrelationType::count:
      insert_sorted(g.times, t);
      trim(g.times);
      cap(g.times, r.max_pending);
      if (!window_check(c, g, t, e, ref, out)) keep_evidence(c, g, 0, t, e);
      trim_evidence(c, g, h);
      break;
    case CorrelationType::distinct:
      insert_sorted(g.values, std::pair<Micros, std::string>(t, std::move(value)));
      g.values.erase(g.values.begin(),
                     std::lower_bound(g.values.begin(), g.values.end(),
                                      std::pair<Micros, std::string>(h, std::string())));
      cap(g.values, r.max_pending);
      if (!window_check(c, g, t, e, ref, out)) keep_evidence(c, g, 0, t, e);
      trim_evidence(c, g, h);
      break;
    case CorrelationType::sequence: {
      GroupExtra& x = g.x();
      x.steps.resize(r.inputs.size());
      // Evidence is kept for the steps before the last: the last completes the chain itself.
      const auto step = static_cast<std::uint32_t>(route.input);
      const bool before_last = !route.until && route.input + 1 < r.inputs.size();
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
            keep_evidence(c, g, step, t, e);
          }
        } else if (route.input + 1 == r.inputs.size()) {
          linked_check(c, g, t, e, ref, out);
        } else {
          insert_sorted(x.steps[route.input], t);
          trim(x.steps[route.input]);
          cap(x.steps[route.input], r.max_pending);
          keep_evidence(c, g, step, t, e);
        }
        trim_evidence(c, g, h);
        break;
      }
      insert_sorted(route.until ? x.until : x.steps[route.input], t);
      for (auto& s : x.steps) {
        trim(s);
        cap(s, r.max_pending);
      }
      trim(x.until);
      cap(x.until, r.max_pending);
      const bool fired = !route.until && !x.steps[0].empty() && sequence_check(c, g, e, ref, out);
      if (before_last && !fired) keep_evidence(c, g, step, t, e);
      trim_evidence(c, g, h);
      break;
    }
    case CorrelationType::absent: {
      GroupExtra& x = g.x();
      x.steps.resize(1);
      auto& answers = x.steps[0];
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
      GroupExtra& x = g.x();
      if (c.learn_until == kNever) {
        c.learn_until = t + r.learning_us;
        c.meta_dirty = true;
      }
      auto at = std::lower_bound(x.seen.begin(), x.seen.end(), value);
      if (at != x.seen.end() && *at == value) break;
      x.seen.insert(at, value);
      if (x.seen.size() > r.max_pending) {  // forget one at random: it may alert again
        x.seen.erase(x.seen.begin() +
                     static_cast<std::ptrdiff_t>(t % static_cast<Micros>(x.seen.size())));
        ++counters.evicted_pending;
      }
      if (t >= c.learn_until) fire(c, e, ref, {{"first", value}}, out);
      break;
    }
    case CorrelationType::baseline: {
      GroupExtra& x = g.x();
      const Micros b = t >= 0 ? t / r.period_us : -((-t + r.period_us - 1) / r.period_us);
      if (x.first == kNever || b < x.first) x.first = b;
      if (c.first_period == kNever || b < c.first_period) {
        c.first_period = b;
        c.meta_dirty = true;
      }
      auto at = std::lower_bound(x.buckets.begin(), x.buckets.end(),
                                 std::pair<Micros, std::int64_t>(b, 0));
      if (at == x.buckets.end() || at->first != b) at = x.buckets.insert(at, {b, 0});
      const std::int64_t today = ++at->second;
      const Micros newest = x.buckets.back().first;
      x.buckets.erase(x.buckets.begin(), std::lower_bound(x.buckets.begin(), x.buckets.end(),
                                                          std::pair<Micros, std::int64_t>(
                                                              newest - r.history_periods, 0)));
      if (!r.peer.empty() && (x.peer.empty() || today == 1)) {
        EvalContext ctx(e, ref);
        x.peer = r.peer.render(ctx);
        if (x.peer == "-") x.peer.clear();  // absent: no peer group
      }
      if (today < r.threshold || x.fired == b) break;
      // Judged against the key's own history and its peer group's working days, each once it
      // has enough data; both must be exceeded when both have it.
      // A rare signal's history starts when the rule first saw anyone (absent_is_zero): the
      // days before a key's first match were days without one.
      const Micros periods =
          std::min<Micros>(r.history_periods, b - (r.absent_is_zero ? c.first_period : x.first));
      const bool own_ready = periods >= r.min_history_periods;
      double mean = 0, sd = 0;
      if (own_ready) {
        double sum = 0, sq = 0;
        for (const auto& [pb, count] : x.buckets)
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
      if (!x.peer.empty() && !(own_ready && r.absent_is_zero && !r.peer_habit)) {
        const PeerStats& p = peer_stats(c, x.peer, b);
        if (p.keys >= r.min_peers) peers = &p;
      }
      if (!own_ready && !peers) break;
      const double volume = static_cast<double>(today);
      if (own_ready && volume <= mean + r.z * sd) break;
      if (peers && volume <= peers->mean + r.z * peers->sd) break;
      x.fired = b;
      std::vector<std::pair<std::string, std::string>> details;
      std::string usual = own_ready ? fmt::format("usual {:.1f} ± {:.1f} over {} {}", mean, sd,
                                                  periods, periods == 1 ? "period" : "periods")
                                    : std::string("no own history yet");
      if (peers)
        // The peer group's name is left out: a small group (a chief officer team) names
        // the person; it is in the revealed evidence.
        usual += fmt::format("; peers {:.1f} ± {:.1f} over {} members", peers->mean, peers->sd,
                             peers->keys);
      details.emplace_back(
          "count", fmt::format("{} this {} ({})", today, duration_text(r.period_us), usual));
      fire(c, e, ref, std::move(details), out);
      break;
    }
    case CorrelationType::travel:
      travel_check(c, g, t, e, ref, out);
      break;
    case CorrelationType::interleave:
      interleave_check(c, g, t, std::move(value), e, ref, out);
      break;
    case CorrelationType::risk: {
      GroupExtra& x = g.x();
      // A rule scores once per key per `per` period: a signal, not its repeats.
      const Micros period = r.per_us > 0 ? t / r.per_us : t;
      const auto index = static_cast<std::int64_t>(route.input);
      const bool scored = std::any_of(x.signals.begin(), x.signals.end(), [&](const auto& sig) {
        return sig.second == index && (r.per_us > 0 ? sig.first / r.per_us : sig.first) == period;
      });
      if (scored) break;
      const Micros keep = std::max<Micros>(r.per_us, 4 * r.half_life_us);
      x.signals.erase(std::remove_if(x.signals.begin(), x.signals.end(),
                                     [&](const auto& sig) { return sig.first < t - keep; }),
                      x.signals.end());
      x.signals.emplace_back(t, index);
      cap(x.signals, r.max_pending);
      if (x.last == kNever || t > x.last) x.last = t;
      // The score at the newest signal: each signal halves every half_life; a rule's share is
      // capped at cap x its score, so one habit cannot make the total alone.
      const double hl = static_cast<double>(r.half_life_us);
      std::vector<double> shares(r.inputs.size(), 0.0);
      for (const auto& [when, i] : x.signals)
        shares[static_cast<std::size_t>(i)] += r.inputs[static_cast<std::size_t>(i)].score *
                                               std::exp2(-static_cast<double>(x.last - when) / hl);
      x.score = 0;
      for (std::size_t i = 0; i < shares.size(); ++i)
        x.score += r.cap > 0 ? std::min(shares[i], r.cap * r.inputs[i].score) : shares[i];
      std::vector<std::int64_t> rules_seen;
      for (const auto& sig : x.signals)
        if (std::find(rules_seen.begin(), rules_seen.end(), sig.second) == rules_seen.end())
          rules_seen.push_back(sig.second);
      if (!x.above && x.score >= r.risk_threshold && rules_seen.size() >= r.min_rules) {
        x.above = true;
        std::string signals;
        for (const auto i : rules_seen)
          signals += (signals.empty() ? "" : ", ") + r.inputs[static_cast<std::size_t>(i)].rule;
        fire(c, e, ref,
             {{"score", fmt::format("{:.1f} (threshold {:.1f})", x.score, r.risk_threshold)},
              {"signals", signals}},
             out);
      } else if (x.above && x.score < r.risk_threshold) {
        x.above = false;
      }
      break;
    }
  }
  remeasure(g);
  shed_to_budget(c, g);
}

// Feeds matches[from..] (and what they cause) to the correlations.
void CorrelationEngine::State::correlate(const event::Event& e, Micros t,
                                         const state::ReferenceData& ref,
                                         std::vector<Match>& matches, std::size_t from) {
  evidence_of = nullptr;  // `e` may sit where the previous event did
  for (std::size_t i = from; i < matches.size(); ++i) {
    auto it = routes.find(matches[i].rule_id);
    if (it == routes.end()) continue;
    for (const Route& route : it->second) feed(corrs[route.corr], route, e, t, ref, matches);
  }
}

void CorrelationEngine::State::fire(Corr& c, const event::Event& e, const state::ReferenceData& ref,
                                    std::vector<std::pair<std::string, std::string>> details,
                                    std::vector<Match>& out, std::optional<Severity> severity,
                                    std::optional<AlertEvidence> evidence) {
  const CompiledCorrelation& r = *c.rule;
  Match m;
  m.rule_id = r.info.id;
  m.rule_version = r.info.version;
  m.title = r.info.title;
  m.description = r.info.description;
  m.guidance = r.info.guidance;
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
                                        static_cast<std::uint32_t>(value.size()), field.identity});
      m.message += value;
    }
    m.message += ": " + detail + ")";
  }
  if (evidence) {
    const auto time = e.time();
    attach_evidence(m, e, time ? micros(*time) : event_clock, std::move(*evidence));
  }
  ++counters.fired;
  out.push_back(std::move(m));
}

}  // namespace probity::rules
