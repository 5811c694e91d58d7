// An event a correlation keeps to show in the alert it may complete (correlation_evidence.cpp).
// Most kept events are replaced by later ones before an alert shows them or a checkpoint saves
// them, so an event is kept as a flat copy of its values (one allocation) and written as JSON
// only when it is first shown or saved; the JSON then replaces the copy. Used by one thread at
// a time (the correlation engine's), but the copy is shared and never changed, so a
// checkpoint's writer can write it as JSON on its own thread (flat()). Not for events in the
// pipeline.
#pragma once

#include <memory>
#include <string>

#include "event/event.h"

namespace probity::rules {

/// A kept event's flat copy, shared: readable on any thread for as long as it is held.
struct FlatEvent {
  std::shared_ptr<const char[]> bytes;
  std::size_t size = 0;
  /// Appends event::to_json of the event it holds ("{}" should it not read back).
  void append_json(std::string& out) const;
};

class KeptEvent {
 public:
  /// The event's values, copied.
  static std::shared_ptr<const KeptEvent> copy_of(const event::Event& e);
  /// An event already written as JSON (the triggering event; evidence read from the store).
  static std::shared_ptr<const KeptEvent> from_json(std::shared_ptr<const std::string> json);

  /// event::to_json of the event, made on the first call and kept (unless it would hold more
  /// than bytes(): text that escaping swells is written again each time instead).
  [[nodiscard]] std::shared_ptr<const std::string> json() const;
  /// The flat copy json() is made from, while it holds one (not once json() has replaced it,
  /// nor for an event made from JSON).
  [[nodiscard]] FlatEvent flat() const { return flat_; }
  /// The most it holds, as a copy or as JSON, for the evidence budgets; fixed for its life.
  [[nodiscard]] std::size_t bytes() const { return bytes_; }

  // Public for make_shared; use copy_of() and from_json().
  KeptEvent(FlatEvent flat, std::shared_ptr<const std::string> json, std::size_t bytes)
      : flat_(std::move(flat)), json_(std::move(json)), bytes_(bytes) {}

 private:
  mutable FlatEvent flat_;  // kind, fields and raw fields, length-prefixed; none once written
  mutable std::shared_ptr<const std::string> json_;
  std::size_t bytes_;
};

}  // namespace probity::rules
