// ReferenceTally (reference_tally.h).
#include "app/reference_tally.h"

#include <algorithm>
#include <functional>

#include "base/ascii.h"

namespace probity::app {
namespace {

constexpr std::size_t kExamplesPerShape = kUnmatchedExamples;

/// As InvalidReferenceNode trims (rules/evaluator.cpp), so the shapes are of what it matches.
std::string_view trimmed(std::string_view v) { return trim(v, " \t"); }

}  // namespace

void ReferenceTally::add(std::string_view system, std::string_view reference,
                         std::optional<event::Timestamp> time) {
  reference = trimmed(reference);
  if (reference.empty()) return;
  if (since_ && !time) {
    ++skipped_untimed_;
    return;
  }
  auto [sys, new_system] = system_index_.try_emplace(to_lower(system), system_names_.size());
  if (new_system) system_names_.emplace_back(system);

  auto key = std::make_pair(sys->second, shape_of(reference));
  auto [it, new_entry] = entry_index_.try_emplace(key, static_cast<std::uint32_t>(entries_.size()));
  if (new_entry) entries_.push_back({sys->second, std::move(key.second), 0, {}});
  Entry& entry = entries_[it->second];
  ++entry.references;

  // Keep the latest distinct examples, so that with `since` the newest reference of a shape
  // (inside the window whenever the shape has any there) is always among them.
  const event::Timestamp at = time.value_or(event::Timestamp::min());
  auto& examples = entry.examples;
  if (auto same = std::find_if(examples.begin(), examples.end(),
                               [&](const auto& e) { return e.second == reference; });
      same != examples.end()) {
    same->first = std::max(same->first, at);
  } else if (examples.size() < kExamplesPerShape) {
    examples.emplace_back(at, reference);
  } else if (auto oldest = std::min_element(examples.begin(), examples.end());
             at >= oldest->first) {
    *oldest = {at, std::string(reference)};
  }

  if (time) {
    oldest_ = oldest_ ? std::min(*oldest_, *time) : *time;
    newest_ = newest_ ? std::max(*newest_, *time) : *time;
  }
  if (since_) {
    quotes_.push_back({*time, it->second});
    if (quotes_.size() >= compact_at_) {
      drop_quotes_before_window();
      compact_at_ = std::max(kFirstCompaction, 2 * quotes_.size());
    }
  }
}

std::optional<event::Timestamp> ReferenceTally::cutoff() const {
  if (!since_ || !newest_) return std::nullopt;
  return *newest_ - *since_;
}

// The newest time only grows, so a reference outside the window now stays outside it.
void ReferenceTally::drop_quotes_before_window() {
  const auto from = cutoff();
  if (!from) return;
  std::erase_if(quotes_, [&](const Quote& q) { return q.time < *from; });
}

std::vector<ReferenceTally::System> ReferenceTally::systems() const {
  const auto from = cutoff();
  std::vector<std::uint64_t> counts(entries_.size());
  if (from) {
    for (const Quote& q : quotes_)
      if (q.time >= *from) ++counts[q.entry];
  } else {
    for (std::size_t i = 0; i < entries_.size(); ++i) counts[i] = entries_[i].references;
  }

  std::vector<System> by_index(system_names_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (counts[i] == 0) continue;
    auto examples = entries_[i].examples;
    if (from) std::erase_if(examples, [&](const auto& e) { return e.first < *from; });
    std::sort(examples.begin(), examples.end(), std::greater<>());
    ShapeCount shape{entries_[i].shape, counts[i], {}};
    for (auto& e : examples) shape.examples.push_back(std::move(e.second));
    System& s = by_index[entries_[i].system];
    s.references += counts[i];
    s.shapes.push_back(std::move(shape));
  }
  std::vector<System> out;
  for (const auto& [lowered, index] : system_index_) {
    if (by_index[index].references == 0) continue;
    by_index[index].name = system_names_[index];
    out.push_back(std::move(by_index[index]));
  }
  return out;
}

std::optional<std::pair<event::Timestamp, event::Timestamp>> ReferenceTally::span() const {
  if (!newest_) return std::nullopt;
  const auto from = cutoff();
  if (!from) return std::make_pair(*oldest_, *newest_);
  event::Timestamp first = *newest_;
  for (const Quote& q : quotes_)
    if (q.time >= *from) first = std::min(first, q.time);
  return std::make_pair(first, *newest_);
}

}  // namespace probity::app
