// DaemonAlertDesk (alert_desk.h): the API's alert list, detail, triage, reveal and logins.
#include "app/alert_desk.h"

#include <unistd.h>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "alerts/triage.h"
#include "app/alert_filter.h"
#include "app/work_alert.h"
#include "state/store.h"

namespace probity::app {

namespace {

using Json = nlohmann::ordered_json;

// The list reads at most this many stored alerts, newest first, per request: it bounds the
// time one page load takes (the counts say when they are over this window only).
constexpr std::size_t kListScanLimit = 50'000;

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json summary(const alerts::Alert& alert) {
  const auto a = alerts::as_shown(alert);
  Json j;
  j["id"] = a.id;
  j["event_time"] = event::format_time(a.event_time);
  j["raised_at"] = event::format_time(a.raised_at);
  j["severity"] = a.severity;
  j["rule_id"] = a.rule_id;
  j["title"] = a.title;
  j["message"] = a.message;
  j["user"] = a.user_id;
  j["status"] = a.status;
  j["owner"] = a.owner;
  j["count"] = a.count;
  j["last_seen"] =
      event::format_time(a.last_seen == event::Timestamp{} ? a.event_time : a.last_seen);
  j["internal"] = alerts::is_internal(a);
  return j;
}

access::Permission permission_for(alerts::TriageAction action) {
  switch (action) {
    case alerts::TriageAction::acknowledge:
    case alerts::TriageAction::assign:
    case alerts::TriageAction::note:
      return access::Permission::work_alerts;
    default:
      return access::Permission::close_alerts;
  }
}

// What the viewer may do with this alert now: the page shows these buttons and no others.
Json actions_for(const http::Principal& who, const alerts::Alert& a) {
  Json out = Json::array();
  const bool open = alerts::is_open_status(a.status);
  auto offer = [&](std::string_view name, access::Permission p, bool applies) {
    if (applies && access::allows(who.roles, p)) out.push_back(name);
  };
  offer("acknowledge", access::Permission::work_alerts, a.status == "new");
  offer("assign", access::Permission::work_alerts, open);
  offer("note", access::Permission::work_alerts, true);
  offer("dismiss", access::Permission::close_alerts, open);
  offer("resolve", access::Permission::close_alerts, open);
  offer("escalate", access::Permission::close_alerts, open);
  offer("reopen", access::Permission::close_alerts, !open);
  offer("reveal", access::Permission::reveal, !alerts::is_internal(a));
  return out;
}

tl::unexpected<Error> forbidden(const http::Principal& who, std::string_view what) {
  return fail("api.forbidden", "account " + who.account + " (" + access::roles_text(who.roles) +
                                   ") may not " + std::string(what));
}

std::string body_string(const Json& body, const char* name) {
  const auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string alert_summary_json(const alerts::Alert& alert) { return dump(summary(alert)); }

std::optional<std::uint8_t> DaemonAlertDesk::authenticate(std::string_view account,
                                                          std::string_view password) {
  auto found = accounts_.find(account);
  if (!found) spdlog::error("login: accounts cannot be read: {}", found.error().message);
  const access::Account* a = found && *found ? &**found : nullptr;
  // The same Argon2id work whether or not the account exists: timing tells nothing.
  const bool ok = access::verify_password(a ? a->password_hash : access::decoy_hash(), password);
  if (!ok || !a || a->disabled || a->roles == 0) return std::nullopt;
  return a->roles;
}

std::optional<http::TokenHolder> DaemonAlertDesk::authenticate_token(std::string_view token) {
  auto found = accounts_.find_by_token(token);
  if (!found) spdlog::error("token: accounts cannot be read: {}", found.error().message);
  if (!found || !*found) return std::nullopt;
  const access::Account& a = **found;
  if (a.disabled || a.roles == 0) return std::nullopt;
  return http::TokenHolder{a.name, a.roles, access::token_label(a, token).value_or("")};
}

audit::Actor DaemonAlertDesk::actor_of(const http::Principal& who) {
  audit::Actor actor;
  actor.person = who.account;
  // A script's changes are told apart from a person's at the page.
  actor.source = who.token.empty() ? "probity-login" : "probity-token:" + who.token;
  actor.uid = static_cast<std::uint32_t>(::geteuid());
  actor.account = audit::account_name(actor.uid).value_or(std::to_string(actor.uid));
  return actor;
}

Result<void> DaemonAlertDesk::record(const http::Principal& who, const audit::Consultation& what) {
  auto recorded = audit::record_consultation(parts_.trail, what, actor_of(who));
  if (!recorded) return tl::unexpected(recorded.error());
  return {};
}

void DaemonAlertDesk::record_access(const http::Principal& given, std::string_view what) {
  // A failed login's name is whatever was typed: only a possible account name is kept.
  http::Principal who = given;
  if (!access::check_account_name(who.account))
    who.account = what.starts_with("token.") ? "(unknown token)" : "(not an account name)";
  std::string detail = who.address;
  if (!who.token.empty()) detail += " token " + who.token;
  if (what == "login")
    spdlog::info("http: {} logged in from {}", who.account, who.address);
  else if (what == "token.used")
    spdlog::info("http: {} used API token {} from {}", who.account, who.token, who.address);
  else
    spdlog::warn("http: {} for account \"{}\" from {}", what, who.account, who.address);
  if (auto ok = record(who, {std::string(what), "account/" + who.account, "", detail}); !ok)
    spdlog::error("http: {} not recorded in the trail: {}", what, ok.error().message);
}

Result<std::string> DaemonAlertDesk::list(const http::Principal& who, const http::Query& query) {
  if (!access::allows(who.roles, access::Permission::view_alerts))
    return forbidden(who, "view alerts");
  auto filter = parse_alert_filter(query);
  if (!filter) return tl::unexpected(filter.error());
  Json rows = Json::array();
  Json counts = Json::object();
  for (const char* s : {"new", "acknowledged", "dismissed", "resolved", "escalated"}) counts[s] = 0;
  std::size_t scanned = 0;
  bool more = false;
  std::string last_id;
  auto ok = parts_.store.scan_backwards(
      state::RuntimeTable::alerts, "", [&](std::string_view id, std::string_view value) {
        if (++scanned > kListScanLimit) return false;
        auto alert = alerts::alert_from_json(value);
        if (!alert) return true;  // counted by `probity alerts list`; the page skips it
        const auto shown = alerts::as_shown(*alert);
        if (!matches_except_status(*filter, shown)) return true;
        counts[alert->status] = counts.value(alert->status, 0) + 1;
        if (!matches_status(*filter, *alert)) return true;
        if (!filter->before.empty() && id >= filter->before) return true;
        if (rows.size() < filter->limit) {
          rows.push_back(summary(*alert));
          last_id = std::string(id);
        } else {
          more = true;
        }
        return true;
      });
  if (!ok) return tl::unexpected(ok.error());
  Json out;
  out["alerts"] = std::move(rows);
  out["next"] = more ? Json(last_id) : Json(nullptr);
  out["counts"] = std::move(counts);
  out["counts_complete"] = scanned <= kListScanLimit;
  return dump(out);
}

Result<std::string> DaemonAlertDesk::detail(const http::Principal& who, std::string_view id) {
  if (!access::allows(who.roles, access::Permission::view_alerts))
    return forbidden(who, "view alerts");
  auto alert = alerts::stored_alert(parts_.store, id);
  if (!alert) return tl::unexpected(alert.error());
  const auto shown = alerts::as_shown(*alert);
  Json j = summary(*alert);
  j["rule_version"] = shown.rule_version;
  j["description"] = parts_.rule_description ? parts_.rule_description(shown.rule_id) : "";
  Json fields = Json::object();
  for (const auto& [name, value] : shown.fields) fields[name] = value;
  j["fields"] = std::move(fields);
  Json events = Json::array();
  for (const auto& e : shown.events_json) {
    Json parsed = Json::parse(e, nullptr, false);
    events.push_back(parsed.is_discarded() ? Json(e) : std::move(parsed));
  }
  j["events"] = std::move(events);
  j["history"] = Json::parse(alerts::history_to_json(alert->history));
  j["actions"] = actions_for(who, *alert);
  return dump(j);
}

Result<std::string> DaemonAlertDesk::reveal(const http::Principal& who, std::string_view id,
                                            std::string_view reason) {
  if (!access::allows(who.roles, access::Permission::reveal))
    return forbidden(who, "reveal identities (investigators only)");
  if (auto ok = audit::check_reason(parts_.reason_policy, reason); !ok)
    return fail("api.bad_request", ok.error().message);
  auto document = alerts::stored_alert_document(parts_.store, id);
  if (!document) return tl::unexpected(document.error());
  if (!*document) return fail("alerts.unknown", "no alert " + std::string(id));
  // Recorded before anything is shown: a reveal that cannot be audited is refused.
  if (auto ok =
          record(who, {"alert.reveal", std::string(id), "alert evidence", std::string(reason)});
      !ok)
    return fail("api.trail",
                "the reveal could not be recorded, so it is refused: " + ok.error().message);
  spdlog::info("http: {} revealed alert {}", who.account, id);
  return **document;
}

Result<std::string> DaemonAlertDesk::act(const http::Principal& who, std::string_view id,
                                         std::string_view action, std::string_view body) {
  const Json j = body.empty() ? Json::object() : Json::parse(body, nullptr, false);
  if (!j.is_object()) return fail("api.bad_request", "the body is not a JSON object");
  for (const auto& [name, value] : j.items())
    if (!value.is_string()) return fail("api.bad_request", "\"" + name + "\" must be a string");
  if (action == "reveal") return reveal(who, id, body_string(j, "reason"));
  const auto triage_action = alerts::triage_action_from(action);
  if (!triage_action) return fail("api.bad_request", "no action " + std::string(action));
  if (!access::allows(who.roles, permission_for(*triage_action)))
    return forbidden(who, std::string(action) + " alerts");

  alerts::TriageRequest request;
  request.action = *triage_action;
  request.actor = who.account;
  request.text = body_string(j, "text");
  request.owner = body_string(j, "owner");
  request.dismissal = body_string(j, "dismissal");
  request.reference = body_string(j, "reference");
  request.at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto changed = work_alert(parts_.store, parts_.pipeline, parts_.trail, actor_of(who),
                            std::string(id), request);
  if (!changed) return tl::unexpected(changed.error());
  spdlog::info("http: {} {} alert {} (now {})", who.account, to_string(request.action), id,
               changed->status);
  return detail(who, id);
}

}  // namespace probity::app
