// Internal to alerts/: a channel is one transport to one destination named in
// alerts.routes (a recipient group's email, a webhook, a SIEM collector). The pipeline
// owns one delivery thread per destination (destination.h) and calls the channel from it.
// Not for retries (outbox.h) or for which alerts go where (routing.h).
#pragma once

#include <string_view>
#include <vector>

#include "alerts/alerts.h"

namespace probity::alerts {

class Channel {
 public:
  virtual ~Channel() = default;

  /// "email", "webhook" or "siem": for log lines and metrics.
  virtual std::string_view kind() const = 0;

  /// Delivers one stored alert (real identities included: the channel decides what it
  /// may show, normally as_shown()). Called from the destination's thread only. An error
  /// means "not delivered, try again later"; its message is safe to log (no secret).
  virtual Result<void> send(const Alert& alert) = 0;

  /// Delivers alerts held for a digest (a digest route, or past a rate limit) together,
  /// oldest first, at most a few hundred at a time. Same threads and errors as send().
  virtual Result<void> send_digest(const std::vector<Alert>& alerts, event::Timestamp now) = 0;
};

}  // namespace probity::alerts
