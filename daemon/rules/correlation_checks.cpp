// The checks a fed group runs: count/distinct windows, sequences (plain and linked by text), and
// a baseline's peer-group norm. Each fires through State::fire; none touches persistence.
#include <cmath>

#include "rules/correlation_state.h"
#include "rules/link_text.h"

namespace probity::rules {

// count / distinct: the largest number of entries (distinct values) in a window of `within` that
// contains t. On reaching the threshold the entries of that window are consumed, so each alert
// stands for `threshold` new matches.
bool CorrelationEngine::State::window_check(Corr& c, Group& g, Micros t, const event::Event& e,
                                            const state::ReferenceData& ref,
                                            std::vector<Match>& out) {
  const CompiledCorrelation& r = *c.rule;
  const bool distinct = r.type == CorrelationType::distinct;
  const std::size_t n = distinct ? g.values.size() : g.times.size();
  auto time_at = [&](std::size_t i) { return distinct ? g.values[i].first : g.times[i]; };
  std::size_t lo = 0;
  while (lo < n && time_at(lo) < t - r.within_us) ++lo;
  // Every window below holds entries from lo on only: too few of them (the usual case, a key
  // short of its threshold) and none can fire, which spares a distinct count its hash map.
  if (static_cast<std::int64_t>(n - lo) < r.threshold) return false;
  std::unordered_map<std::string_view, int> counts;
  std::size_t hi = lo;
  for (std::size_t start = lo; start < n && time_at(start) <= t; ++start) {
    while (hi < n && time_at(hi) - time_at(start) <= r.within_us) {
      if (distinct) ++counts[g.values[hi].second];
      ++hi;
    }
    const std::size_t size = distinct ? counts.size() : hi - start;
    if (time_at(hi - 1) >= t && static_cast<std::int64_t>(size) >= r.threshold) {
      const Micros first = time_at(start), last = time_at(hi - 1);
      AlertEvidence evidence{
          release_evidence(
              c, g, [&](const Evidence& ev) { return ev.t >= first && ev.t <= last; },
              [](const Evidence&) { return false; }),
          hi - start};
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
           out, std::nullopt, std::move(evidence));
      return true;
    }
    // A window that already reaches the last time holds every later one: none can fire.
    // With events in order that is the first, so a look-up costs one pass, not two.
    if (hi == n) break;
    if (distinct && --counts[g.values[start].second] == 0) counts.erase(g.values[start].second);
  }
  return false;
}

// sequence: the earliest chain t0 < t1 < ... < tn (one time per step, strictly later each) with
// tn - t0 <= within and no `until` in (t0, tn]. Order-independent: late events inside the
// lateness bound complete chains as if they had come in order.
bool CorrelationEngine::State::sequence_check(Corr& c, Group& g, const event::Event& e,
                                              const state::ReferenceData& ref,
                                              std::vector<Match>& out) {
  const CompiledCorrelation& r = *c.rule;
  GroupExtra& x = g.x();
  for (const Micros t0 : x.steps[0]) {
    Micros prev = t0;
    bool complete = true;
    for (std::size_t k = 1; k < x.steps.size() && complete; ++k) {
      auto next = std::upper_bound(x.steps[k].begin(), x.steps[k].end(), prev);
      if (next == x.steps[k].end() || *next - t0 > r.within_us)
        complete = false;
      else
        prev = *next;
    }
    if (!complete) continue;
    auto cancel = std::upper_bound(x.until.begin(), x.until.end(), t0);
    if (cancel != x.until.end() && *cancel <= prev) continue;
    // Every step's matches inside the chain's span are consumed with it and shown as its
    // evidence; older ones are consumed too, but played no part.
    AlertEvidence evidence;
    for (const auto& s : x.steps)
      evidence.contributing += static_cast<std::size_t>(std::upper_bound(s.begin(), s.end(), prev) -
                                                        std::lower_bound(s.begin(), s.end(), t0));
    evidence.kept = release_evidence(
        c, g, [&](const Evidence& ev) { return ev.t >= t0 && ev.t <= prev; },
        [&](const Evidence& ev) { return ev.t < t0; });
    for (auto& s : x.steps) s.erase(s.begin(), std::upper_bound(s.begin(), s.end(), prev));
    fire(c, e, ref,
         {{"sequence",
           fmt::format("{} steps in {} ({} .. {})", x.steps.size(), duration_text(prev - t0),
                       event::format_time(stamp(t0)), event::format_time(stamp(prev)))}},
         out, std::nullopt, std::move(evidence));
    return true;
  }
  return false;
}

// Linked sequence, first step: the values of the link's `from` fields that are distinctive
// enough to link on, each as (field index, tokens), kSep-separated. Empty: nothing to link.
std::string CorrelationEngine::State::link_values(const CompiledCorrelation& r,
                                                  const event::Event& e) {
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
void CorrelationEngine::State::linked_check(Corr& c, Group& g, Micros t, const event::Event& e,
                                            const state::ReferenceData& ref,
                                            std::vector<Match>& out) {
  const CompiledCorrelation& r = *c.rule;
  GroupExtra& x = g.x();
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
      auto next = std::upper_bound(x.steps[k].begin(), x.steps[k].end(), prev);
      complete = next != x.steps[k].end() && *next < t;
      if (complete) prev = *next;
    }
    if (!complete) continue;
    auto cancel = std::upper_bound(x.until.begin(), x.until.end(), t0);
    if (cancel != x.until.end() && *cancel <= t) continue;
    // Evidence: the linked first-step match, the middle steps' matches consumed with it (those
    // after it shown), and this event.
    AlertEvidence evidence;
    evidence.contributing = 2;
    for (std::size_t k = 1; k + 1 < x.steps.size(); ++k)
      evidence.contributing +=
          static_cast<std::size_t>(std::upper_bound(x.steps[k].begin(), x.steps[k].end(), prev) -
                                   std::upper_bound(x.steps[k].begin(), x.steps[k].end(), t0));
    bool first_taken = false;
    evidence.kept = release_evidence(
        c, g,
        [&](const Evidence& ev) {
          if (ev.step == 0) return ev.t == t0 && !std::exchange(first_taken, true);
          return ev.t > t0 && ev.t <= prev;
        },
        [&](const Evidence& ev) { return ev.step > 0 && ev.t <= prev; });
    g.values.erase(entry);
    for (std::size_t k = 1; k + 1 < x.steps.size(); ++k)
      x.steps[k].erase(x.steps[k].begin(),
                       std::upper_bound(x.steps[k].begin(), x.steps[k].end(), prev));
    fire(c, e, ref,
         {{"sequence",
           fmt::format("{} steps in {} ({} .. {})", r.inputs.size(), duration_text(t - t0),
                       event::format_time(stamp(t0)), event::format_time(stamp(t)))},
          {"linked by", linked_by}},
         out, severity, std::move(evidence));
    return;
  }
}

// Baseline: a peer group's norm (a centre and a spread) over its periods in the history before
// period b, computed once per peer group and period. Volumes: the mean and standard
// deviation of the peers' working days (periods with a match; rest days would drag the norm
// down). Rare signals (absent_is_zero): the median and scaled median absolute deviation of
// every period of every peer the rule has seen, zeros included, so the few with a daily
// habit do not become everyone's norm; with peer_habit, their working days as for volumes.
const PeerStats& CorrelationEngine::State::peer_stats(Corr& c, const std::string& peer, Micros b) {
  PeerStats& stats = c.peers[peer];
  if (stats.period == b) return stats;
  const CompiledCorrelation& r = *c.rule;
  const bool rare = r.absent_is_zero && !r.peer_habit;
  const Micros span = std::min<Micros>(r.history_periods, b - c.first_period);
  std::vector<double> values;
  std::size_t keys = 0;
  for (const auto& [k, g] : c.groups) {
    if (!g.extra || g.extra->peer != peer) continue;
    const std::size_t before = values.size();
    for (const auto& [pb, count] : g.extra->buckets)
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

}  // namespace probity::rules
