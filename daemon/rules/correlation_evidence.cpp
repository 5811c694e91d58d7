// Alert evidence of correlations: the events that fed a group, kept (bounded) so that the alert a
// later event completes shows every step, not only the last. Bounds: 5 events per step (the first
// and the latest), 16 KiB per group, max_evidence_bytes for all; an alert shows at most 20 and
// says how many matches it does not show. Not for correlation state itself (correlation_feed.cpp).
#include "rules/correlation_state.h"

namespace probity::rules {
namespace {

constexpr std::size_t kPerStep = 5;
constexpr std::size_t kPerGroupBytes = std::size_t{16} << 10;
constexpr std::size_t kPerAlert = 20;
// An event is text its sender controls: past this its long values are cut, so that one padded
// field cannot crowd the other steps out of a group's 16 KiB.
constexpr std::size_t kEventBytes = std::size_t{4} << 10;
constexpr std::size_t kValueBytes = 200;
constexpr std::size_t kListItems = 10;
constexpr std::size_t kRawFields = 16;
// Groups whose evidence the budget may take per kept event: bounded work on the hot path.
constexpr std::size_t kBudgetScan = 16;

void cut(std::string& s) {
  if (s.size() <= kValueBytes) return;
  std::size_t n = kValueBytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // UTF-8 boundary
  s.resize(n);
  s += "...";
}

// The event as kept: a long one with its text values cut, lists shortened and at most
// kRawFields source fields.
std::shared_ptr<const KeptEvent> evidence_copy(const event::Event& e) {
  auto kept = KeptEvent::copy_of(e);
  if (kept->bytes() <= kEventBytes) return kept;
  event::Event short_event(e.kind());
  for (const auto& f : event::all_fields()) {
    event::Value v = e.get(f.id);
    if (auto* text = std::get_if<std::string>(&v)) cut(*text);
    if (auto* list = std::get_if<std::vector<std::string>>(&v)) {
      if (list->size() > kListItems) list->resize(kListItems);
      for (auto& item : *list) cut(item);
    }
    short_event.set(f.id, std::move(v));
  }
  for (std::size_t i = 0; i < e.raw().size() && i < kRawFields; ++i) {
    auto [name, value] = e.raw()[i];
    cut(name);
    cut(value);
    short_event.add_raw(std::move(name), std::move(value));
  }
  return KeptEvent::copy_of(short_event);
}

}  // namespace

void CorrelationEngine::State::keep_evidence(Corr& c, Group& g, std::uint32_t step, Micros t,
                                             const event::Event& e) {
  if (evidence_of != &e) {
    evidence_kept = evidence_copy(e);
    evidence_of = &e;
  }
  Evidence ev{t, step, evidence_kept, {}};
  const std::size_t size = evidence_size(ev);
  if (size > kPerGroupBytes) return;  // cannot happen with the cuts above; never keep one
  auto erase_at = [&](std::size_t i) {
    evidence_gone(c, g, g.evidence[i]);
    g.evidence.erase(g.evidence.begin() + static_cast<std::ptrdiff_t>(i));
  };
  // Per step: the first (where a chain starts) and the latest; the second-oldest goes.
  std::size_t same_step = 0, second = g.evidence.size();
  for (std::size_t i = 0; i < g.evidence.size(); ++i)
    if (g.evidence[i].step == step && ++same_step == 2) second = i;
  if (same_step >= kPerStep) erase_at(second);
  while (!g.evidence.empty() && group_evidence_bytes(g) + size > kPerGroupBytes)
    erase_at(g.evidence.size() > 1 ? 1 : 0);
  // All groups: the least recently used groups of this correlation give theirs up first.
  std::size_t scanned = 0;
  for (Group* other = c.oldest;
       evidence_bytes + size > options.max_evidence_bytes && other && scanned < kBudgetScan;
       other = other->newer, ++scanned) {
    if (other == &g || other->evidence.empty()) continue;
    before_change(c, *other);
    counters.evidence_dropped += other->evidence.size();
    forget_evidence(c, *other);
    changed(c, *other);
  }
  if (evidence_bytes + size > options.max_evidence_bytes) {
    ++counters.evidence_dropped;
    return;
  }
  auto at = std::upper_bound(g.evidence.begin(), g.evidence.end(), t,
                             [](Micros x, const Evidence& k) { return x < k.t; });
  g.evidence.insert(at, std::move(ev));
  evidence_bytes += size;
}

void CorrelationEngine::State::trim_evidence(const Corr& c, Group& g, Micros horizon) {
  if (g.evidence.empty() || g.evidence.front().t >= horizon) return;
  release_evidence(
      c, g, [](const Evidence&) { return false; },
      [&](const Evidence& ev) { return ev.t < horizon; });
}

void CorrelationEngine::State::forget_evidence(const Corr& c, Group& g) {
  group_evidence_gone(c, g);
  g.evidence.clear();
  g.evidence.shrink_to_fit();
}

// The match's evidence: the kept events and the triggering one in time order, at most kPerAlert
// (the first and the latest), and a shown field counting the matches it leaves out.
void attach_evidence(Match& m, const event::Event& trigger, Micros t, AlertEvidence evidence) {
  auto& kept = evidence.kept;
  auto at = std::upper_bound(kept.begin(), kept.end(), t,
                             [](Micros x, const Evidence& k) { return x < k.t; });
  kept.insert(
      at,
      Evidence{t,
               0,
               KeptEvent::from_json(std::make_shared<const std::string>(event::to_json(trigger))),
               {}});
  if (kept.size() > kPerAlert)
    kept.erase(kept.begin() + 1,
               kept.begin() + static_cast<std::ptrdiff_t>(kept.size() - kPerAlert + 1));
  for (auto& ev : kept) m.evidence_events.push_back(*ev.event->json());
  const std::size_t shown = m.evidence_events.size();
  m.evidence_omitted = evidence.contributing > shown ? evidence.contributing - shown : 0;
  if (m.evidence_omitted > 0) {
    m.shown_fields.emplace_back("evidence",
                                fmt::format("{} more matching {} not kept", m.evidence_omitted,
                                            m.evidence_omitted == 1 ? "event" : "events"));
    m.field_identities.push_back(event::Identity::none);
  }
}

}  // namespace probity::rules
