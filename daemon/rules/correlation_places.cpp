// Where one key's events come from, over time: `travel` (two sites closer in time than anyone
// could travel between them) and `interleave` (two workstations in use by turns, A, B, A, B,
// rather than a move from one to the other). A group keeps runs, one per change of site or
// workstation, each as (time, place) entries for its first and latest event, trimmed to the
// window and to max_pending, so each event costs at most max_pending comparisons.
#include <algorithm>
#include <iterator>

#include "base/ascii.h"
#include "rules/correlation_state.h"
#include "state/site_index.h"

namespace probity::rules {
namespace {

constexpr std::size_t kMaxPart = 96;  // a site's id, town or building as kept in a run

// A site as a run keeps it: id, town, latitude, longitude, building, joined by kSep, so a
// restored group needs no reference data and a site table reload does not rewrite history.
struct Place {
  std::string_view id, town, latitude, longitude, building;
};

void append_part(std::string& out, std::string_view part) {
  out.push_back(kSep);
  const std::size_t at = out.size();
  out.append(part.substr(0, kMaxPart));
  std::replace(out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), kSep, ' ');
}

std::string pack(const state::SiteRange& s) {
  const auto cut = [](std::string_view part) { return part.substr(0, kMaxPart); };
  std::string out;
  // Exactly: every event at a site packs it, and a run keeps the text.
  out.reserve(cut(s.site_id).size() + cut(s.town).size() + cut(s.latitude).size() +
              cut(s.longitude).size() + cut(s.building).size() + 4);
  out.append(cut(s.site_id));
  append_part(out, s.town);
  append_part(out, s.latitude);
  append_part(out, s.longitude);
  append_part(out, s.building);
  return out;
}

/// The site id of a packed place: its first part.
std::string_view place_id(std::string_view v) { return v.substr(0, v.find(kSep)); }

Place unpack(std::string_view v) {
  std::string_view parts[5];
  for (auto& p : parts) {
    const auto sep = v.find(kSep);
    p = v.substr(0, sep);
    v = sep == std::string_view::npos ? std::string_view() : v.substr(sep + 1);
  }
  return {parts[0], parts[1], parts[2], parts[3], parts[4]};
}

std::string describe(const Place& p) {
  std::string out(p.building.empty() ? p.id : p.building);
  if (!p.town.empty()) out += fmt::format(", {}", p.town);
  return out;
}

// The least time anyone needs from a to b: distance at `speed` when both have coordinates,
// town_within between different towns without them, else 0 (not judged: two buildings of
// one town with no coordinates may be across the road).
Micros least_travel(const Place& a, const Place& b, const CompiledCorrelation& r) {
  if (a.id == b.id) return 0;
  const auto la = state::parse_degrees(a.latitude, 90), lo = state::parse_degrees(a.longitude, 180);
  const auto lb = state::parse_degrees(b.latitude, 90), lp = state::parse_degrees(b.longitude, 180);
  if (la && lo && lb && lp) {
    const double km = state::distance_km(*la, *lo, *lb, *lp);
    return static_cast<Micros>(km / r.speed_kmh * 3600e6);
  }
  if (!a.town.empty() && !b.town.empty() && !iequals(a.town, b.town)) return r.town_within_us;
  return 0;
}

// Adds an event at `place` to the runs, in time order. A run (a stretch of events at one
// place) is kept as its first and last event, one entry when they are one: an event inside a
// run adds nothing, one just before or after a run at its place moves that end, and any
// other is a run of its own, which may fall inside (split) a run elsewhere. So events may
// arrive in any order (a forwarder catching up, a sender over several connections) without a
// late one passing for a return to a place the key never left.
void add_run(std::vector<std::pair<Micros, std::string>>& runs, Micros t, std::string place) {
  const auto here = [&](auto it) { return it->second == place; };
  const auto next = std::lower_bound(runs.begin(), runs.end(), t,
                                     [](const auto& run, Micros x) { return run.first < x; });
  const bool after_one = next != runs.begin() && here(std::prev(next));
  const bool before_one = next != runs.end() && here(next);
  if (after_one && before_one) return;
  if (after_one && std::prev(next) != runs.begin() && here(std::prev(next, 2))) {
    std::prev(next)->first = t;  // the run's last event moves later
    return;
  }
  if (before_one && std::next(next) != runs.end() && here(std::next(next))) {
    next->first = t;  // the run's first event moves earlier
    return;
  }
  runs.emplace(next, t, std::move(place));
}

Micros gap(Micros a, Micros b) { return a > b ? a - b : b - a; }

}  // namespace

void CorrelationEngine::State::travel_check(Corr& c, Group& g, Micros t, const event::Event& e,
                                            const state::ReferenceData& ref,
                                            std::vector<Match>& out) {
  const CompiledCorrelation& r = *c.rule;
  // Remote access (VPN, home) has no building to travel from; an unknown address, no site.
  const auto site =
      ref.site_of(e.str(event::FieldId::client_ip), e.str(event::FieldId::client_host));
  if (!site || site->remote) return;
  std::string here_text = pack(*site);
  const Place here = unpack(here_text);
  // Newest first: the latest time the key was seen somewhere else decides. A run is read
  // only when it is in the window and elsewhere: most are neither.
  for (auto it = g.values.rbegin(); it != g.values.rend(); ++it) {
    const Micros apart = gap(t, it->first);
    if (apart > r.within_us) {
      if (it->first < t) break;  // older than the window, and so is every run before it
      continue;                  // a run after this (late) event, beyond the window
    }
    if (place_id(it->second) == here.id) continue;
    const Place there = unpack(it->second);
    const Micros need = least_travel(there, here, r);
    if (apart >= need) continue;
    const bool earlier = it->first <= t;
    fire(c, e, ref,
         {{"from", describe(earlier ? there : here)},
          {"to", describe(earlier ? here : there)},
          {"apart", duration_text(apart)},
          {"least_travel", duration_text(need)}},
         out);
    break;
  }
  add_run(g.values, t, std::move(here_text));
  g.values.erase(g.values.begin(),
                 std::lower_bound(g.values.begin(), g.values.end(),
                                  std::pair<Micros, std::string>(horizon(c), std::string())));
  cap(g.values, r.max_pending);
}

void CorrelationEngine::State::interleave_check(Corr& c, Group& g, Micros t,
                                                std::string workstation, const event::Event& e,
                                                const state::ReferenceData& ref,
                                                std::vector<Match>& out) {
  const CompiledCorrelation& r = *c.rule;
  // One workstation is logged as "ws-0412" by one system and "ws-0412.force.example" by
  // another: a name (not an address) is compared up to its first dot.
  if (!state::parse_ip(workstation))
    if (const auto dot = workstation.find('.'); dot != std::string::npos && dot > 0)
      workstation.resize(dot);
  add_run(g.values, t, std::move(workstation));
  g.values.erase(g.values.begin(),
                 std::lower_bound(g.values.begin(), g.values.end(),
                                  std::pair<Micros, std::string>(horizon(c), std::string())));
  cap(g.values, r.max_pending);
  // Runs within the window, and how many of them return to a workstation already used in it:
  // a move (A..A, B..B) returns 0 times, a trip back (A, B, A) once, shared use (A, B, A, B)
  // twice or more. A run's two entries (its first and last event) count once.
  std::vector<std::string_view> seen;
  std::size_t runs = 0;
  const std::string* previous = nullptr;
  for (const auto& [when, ws] : g.values) {
    if (gap(t, when) > r.within_us) continue;
    if (!previous || *previous != ws) ++runs;
    previous = &ws;
    if (std::find(seen.begin(), seen.end(), std::string_view(ws)) == seen.end()) seen.push_back(ws);
  }
  const std::size_t returns = runs - seen.size();
  if (returns < static_cast<std::size_t>(r.threshold)) return;
  std::string names;
  for (std::size_t i = 0; i < seen.size() && i < 4; ++i)
    names += fmt::format("{}{}", i ? ", " : "", seen[i]);
  if (seen.size() > 4) names += fmt::format(" and {} more", seen.size() - 4);
  fire(c, e, ref,
       {{"workstations", names},
        {"changes", fmt::format("{} in {}", runs - 1, duration_text(r.within_us))}},
       out);
}

}  // namespace probity::rules
