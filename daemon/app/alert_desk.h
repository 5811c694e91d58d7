// The AlertDesk (http/http.h) over the daemon's parts: alerts read from the store, worked
// through the alert pipeline, accounts checked with access/, every change, reveal and login
// recorded in the consultation trail first. What each role may do is asked of
// access::allows here, once per request, so the page and the API cannot differ.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "access/access.h"
#include "alerts/alerts.h"
#include "audit/audit.h"
#include "http/http.h"

namespace probity::app {

/// An alert as the list, the live stream and the page's rows show it: pseudonymised view,
/// status, owner, repeats, internal or not. One compact JSON object.
std::string alert_summary_json(const alerts::Alert& alert);

class DaemonAlertDesk final : public http::AlertDesk {
 public:
  struct Parts {
    state::Store& store;
    alerts::AlertPipeline& pipeline;
    std::filesystem::path trail;
    audit::ReasonPolicy reason_policy;
    /// The description of a loaded rule ("" when not loaded): why an alert matters.
    std::function<std::string(std::string_view rule_id)> rule_description;
  };
  explicit DaemonAlertDesk(Parts parts) : parts_(std::move(parts)), accounts_(parts_.store) {}

  std::optional<std::uint8_t> authenticate(std::string_view account,
                                           std::string_view password) override;
  std::optional<http::TokenHolder> authenticate_token(std::string_view token) override;
  void record_access(const http::Principal& who, std::string_view what) override;
  Result<std::string> list(const http::Principal& who, const http::Query& query) override;
  Result<std::string> detail(const http::Principal& who, std::string_view id) override;
  Result<std::string> act(const http::Principal& who, std::string_view id, std::string_view action,
                          std::string_view body) override;

 private:
  /// The trail's actor for a logged-in person: the account, not the daemon's Unix user.
  static audit::Actor actor_of(const http::Principal& who);
  Result<void> record(const http::Principal& who, const audit::Consultation& what);
  Result<std::string> reveal(const http::Principal& who, std::string_view id,
                             std::string_view reason);
  Parts parts_;
  access::Accounts accounts_;
};

}  // namespace probity::app
