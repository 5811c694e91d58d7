// Suppression windows: a rule with `suppress: {by, for}` folds repeats of a match for the same
// key into the first alert while its window is open. Windows are swept in correlation_groups.cpp
// and persisted in correlation_persist.cpp.
#include "base/ascii.h"
#include "rules/correlation_state.h"

namespace probity::rules {

void CorrelationEngine::State::suppress_all(const event::Event& e, Micros t,
                                            std::vector<Match>& matches, std::size_t from) {
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

}  // namespace probity::rules
