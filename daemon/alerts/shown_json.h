// Internal to alerts/: the JSON object that channels outside the audited reveal send (the
// webhook body, a SIEM's JSON record). Not for the stored alert (to_json of the alert).
#pragma once

#include <string>

#include "alerts/alerts.h"

namespace probity::alerts {

/// to_json of as_shown(alert) without the `shown` member, whose contents as_shown has
/// already put in place: no real identity, and nothing twice.
inline std::string shown_json(const Alert& alert) {
  Alert shown = as_shown(alert);
  shown.shown.reset();
  return to_json(shown);
}

}  // namespace probity::alerts
