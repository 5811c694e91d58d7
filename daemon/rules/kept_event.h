// An event a correlation keeps to show in the alert it may complete (correlation_evidence.cpp).
// Most kept events are replaced by later ones before an alert shows them or a checkpoint saves
// them, so an event is kept as a flat copy of its values (one allocation, about the size of its
// JSON) and written as JSON only when it is shown or saved. Not for events in the pipeline.
#pragma once

#include <memory>
#include <string>

#include "event/event.h"

namespace probity::rules {

class KeptEvent {
 public:
  /// The event's values, copied.
  static std::shared_ptr<const KeptEvent> copy_of(const event::Event& e);
  /// An event already written as JSON (the triggering event; evidence read from the store).
  static std::shared_ptr<const KeptEvent> from_json(std::shared_ptr<const std::string> json);

  /// event::to_json of the event; made on each call for a copied event (not kept: a shown or
  /// saved event is not shown or saved again often enough to pay for holding both).
  [[nodiscard]] std::shared_ptr<const std::string> json() const;
  /// What it holds, for the evidence budgets; fixed for its life.
  [[nodiscard]] std::size_t bytes() const { return json_ ? json_->size() : flat_.size(); }

  // Public for make_shared; use copy_of() and from_json().
  KeptEvent(std::string flat, std::shared_ptr<const std::string> json)
      : flat_(std::move(flat)), json_(std::move(json)) {}

 private:
  std::string flat_;                         // copied: kind, fields and raw fields, length-prefixed
  std::shared_ptr<const std::string> json_;  // from JSON
};

}  // namespace probity::rules
