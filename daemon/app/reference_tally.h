// The references a log quotes, per system and shape, for `probity learn references`: each
// reason.ref counted under its source.system, optionally only those of the last DURATION
// before the newest one. Bookkeeping only, no I/O. Not for proposing patterns
// (reference_shapes.h) nor for reading the logs (learn_references.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/reference_shapes.h"
#include "event/event.h"

namespace probity::app {

class ReferenceTally {
 public:
  /// With `since`, only references within that duration before the newest reference's time
  /// count; references without a time are then left out (skipped_untimed()).
  explicit ReferenceTally(std::optional<std::chrono::microseconds> since = std::nullopt)
      : since_(since) {}

  /// Counts `reference` for `system`. The reference is trimmed of spaces and tabs first, as
  /// invalid_reference() trims it before matching; an empty one is not counted. Systems are
  /// told apart ignoring case, as the site file's keys are.
  void add(std::string_view system, std::string_view reference,
           std::optional<event::Timestamp> time);

  struct System {
    std::string name;  ///< as first seen
    std::vector<ShapeCount> shapes;
    std::uint64_t references = 0;
  };
  /// Every system with counted references, by name ignoring case; examples newest first.
  std::vector<System> systems() const;

  /// The times of the oldest and newest references counted; nullopt without times.
  std::optional<std::pair<event::Timestamp, event::Timestamp>> span() const;
  std::uint64_t skipped_untimed() const { return skipped_untimed_; }

 private:
  struct Entry {  // one system's references of one shape
    std::size_t system = 0;
    Shape shape;
    std::uint64_t references = 0;
    std::vector<std::pair<event::Timestamp, std::string>> examples;  // distinct, latest seen
  };
  struct Quote {  // one reference, kept only with `since`, to count once the window is known
    event::Timestamp time;
    std::uint32_t entry;
  };

  std::optional<event::Timestamp> cutoff() const;
  void drop_quotes_before_window();

  std::optional<std::chrono::microseconds> since_;
  std::vector<std::string> system_names_;
  std::map<std::string, std::size_t, std::less<>> system_index_;  // lower-cased name
  std::map<std::pair<std::size_t, Shape>, std::uint32_t> entry_index_;
  std::vector<Entry> entries_;
  std::vector<Quote> quotes_;
  std::size_t compact_at_ = kFirstCompaction;
  std::optional<event::Timestamp> oldest_, newest_;
  std::uint64_t skipped_untimed_ = 0;

  static constexpr std::size_t kFirstCompaction = 1 << 16;
};

}  // namespace probity::app
