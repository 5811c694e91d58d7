// for_each_stored_alert, stored_alert and stored_alert_document (alerts.h): the alerts table read
// back for the CLI, so no caller outside alerts/ decodes the stored JSON itself.
#include <nlohmann/json.hpp>

#include "alerts/alerts.h"
#include "state/store.h"

namespace probity::alerts {

Result<void> for_each_stored_alert(
    const state::Store& store, const std::function<void(const Alert&)>& on_alert,
    const std::function<void(std::string_view id, const Error&)>& on_unreadable) {
  return store.scan(state::RuntimeTable::alerts, "", [&](std::string_view id, std::string_view v) {
    if (auto alert = alert_from_json(v))
      on_alert(*alert);
    else
      on_unreadable(id, alert.error());
    return true;
  });
}

Result<Alert> stored_alert(const state::Store& store, std::string_view id) {
  auto stored = store.get(state::RuntimeTable::alerts, id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail("alerts.unknown", "no alert " + std::string(id));
  return alert_from_json(**stored);
}

Result<std::optional<std::string>> stored_alert_document(const state::Store& store,
                                                         std::string_view id) {
  auto stored = store.get(state::RuntimeTable::alerts, id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return std::nullopt;
  // Re-indented, not re-encoded: members an older or newer build wrote are shown too.
  const auto j = nlohmann::json::parse(**stored, nullptr, false);
  if (j.is_discarded()) return *stored;
  return j.dump(2);
}

}  // namespace probity::alerts
