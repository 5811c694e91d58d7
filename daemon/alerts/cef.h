// Internal to alerts/: an alert as one ArcSight CEF:0 record, for SIEM collectors
// (siem_channel.h). Pure formatting, no I/O. Not for reading CEF (decode/ does that).
#pragma once

#include <string>
#include <string_view>

#include "alerts/alerts.h"

namespace probity::alerts {

/// "CEF:0|Probity|Probity|<version>|<rule id>|<title>|<0-10>|<extensions>" for an alert
/// as the pseudonymised channels show it: pass as_shown(alert), whose user_id is the
/// pseudonym (suser) and whose message has identities replaced (msg). The real identity in
/// a stored alert never appears unless the caller passes the stored alert itself.
/// Severity: low 3, medium 5, high 8, critical 10, anything else 1.
std::string to_cef(const Alert& shown_alert, std::string_view product_version);

}  // namespace probity::alerts
