// Internal to alerts/: the webhook channel, an HMAC-signed JSON POST of each alert's
// pseudonymised view to one HTTP(S) receiver (a case system, a chat bridge). Not for
// retries (outbox.h) or for which alerts go here (routing).
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/channel.h"

namespace probity::alerts {

/// POSTs `to_json` of the shown alert (Content-Type application/json), signed so the
/// receiver can tell it came from us and is fresh:
///   X-Probity-Timestamp: <unix seconds>
///   X-Probity-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
///   X-Probity-Alert-Id:  <alert id> (not on digests)
/// A 2xx answer is delivered; anything else (no connection, timeout, a redirect, 4xx, 5xx)
/// is an error naming the URL without its userinfo, never the secret. Redirects are not
/// followed: the receiver's address is the one configured. A fresh connection per request.
class WebhookChannel final : public Channel {
 public:
  /// Errors: alerts.webhook (not an http:// or https:// URL), alerts.password_file
  /// (unreadable secret file), alerts.webhook (empty secret). Warns when the secret file
  /// is world-readable.
  static Result<std::unique_ptr<WebhookChannel>> create(WebhookConfig config);

  std::string_view kind() const override { return "webhook"; }
  Result<void> send(const Alert& alert) override;
  /// One POST of {"digest":true,"alerts":[...]} holding each alert's shown view.
  Result<void> send_digest(const std::vector<Alert>& alerts, event::Timestamp now) override;

 private:
  WebhookChannel(WebhookConfig config, std::string secret, std::string shown_url);
  Result<void> post(const std::string& body, std::string_view alert_id);

  WebhookConfig config_;
  std::string secret_;
  std::string shown_url_;  ///< the URL without userinfo, for error messages
};

}  // namespace probity::alerts
