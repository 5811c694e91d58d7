// control_ops (control_ops.h).
#include "app/control_ops.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/account_change.h"
#include "app/reference_import.h"
#include "app/work_alert.h"

namespace probity::app {

namespace {

using Json = nlohmann::json;

std::string member(const Json& request, const char* name) {
  return request.value(name, std::string());
}

Result<Json> triage(ControlParts& parts, const Json& request, const audit::Actor& actor) {
  const auto action = alerts::triage_action_from(member(request, "action"));
  if (!action)
    return fail("triage.invalid", "unknown action \"" + member(request, "action") + "\"");
  alerts::TriageRequest change;
  change.action = *action;
  change.actor = actor.person;
  change.text = member(request, "text");
  change.owner = member(request, "owner");
  change.dismissal = member(request, "dismissal");
  change.reference = member(request, "reference");
  change.at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto changed =
      work_alert(parts.store, parts.pipeline, parts.trail, actor, member(request, "id"), change);
  if (!changed) return tl::unexpected(changed.error());
  return Json{{"id", changed->id}, {"status", changed->status}, {"owner", changed->owner}};
}

Result<Json> account(ControlParts& parts, const Json& request, const audit::Actor& actor) {
  const AccountChange change{member(request, "action"), member(request, "name"),
                             member(request, "roles"),  member(request, "password"),
                             member(request, "label"),  request.value("revoke", false)};
  auto changed = change_account(parts.store, parts.trail, actor, change);
  if (!changed) return tl::unexpected(changed.error());
  const auto& account = changed->account;
  if (ends_sessions(change)) parts.end_sessions(account.name);
  Json labels = Json::array();
  for (const auto& t : account.tokens) labels.push_back(t.label);
  return Json{{"name", account.name},
              {"roles", account.roles},
              {"disabled", account.disabled},
              {"tokens", std::move(labels)},
              {"new_token", changed->new_token},
              {"tokens_revoked", changed->tokens_revoked}};
}

Result<Json> import(ControlParts& parts, const Json& request, const audit::Actor& actor) {
  const std::filesystem::path file = member(request, "file");
  // The daemon reads the file as its own user; a relative path would be its working
  // directory's, not the caller's.
  if (!file.is_absolute())
    return fail("control.bad_request", "state.import needs the file's absolute path");
  const ReferenceImport import{member(request, "kind"), file, member(request, "list"),
                               request.value("replace", false)};
  auto report = import_reference(parts.store, parts.trail, actor, import);
  if (!report) return tl::unexpected(report.error());
  Json errors = Json::array();
  for (const auto& e : report->errors) errors.push_back(state::describe(e));
  return Json{{"rows_loaded", report->rows_loaded}, {"errors", std::move(errors)}};
}

Result<Json> reload(ControlParts& parts, const audit::Actor& actor) {
  // Recorded first, as every change made through this door.
  if (auto recorded = audit::record_consultation(
          parts.trail, {"config.reload", "config", "", "requested from the command line"}, actor);
      !recorded)
    return tl::unexpected(recorded.error());
  const ReloadOutcome outcome = parts.reload();
  return Json{{"ok", outcome.ok()},
              {"config_error", outcome.config_error},
              {"restart", outcome.restart},
              {"rules_loaded", outcome.rules_loaded},
              {"rules", outcome.rules},
              {"problems", outcome.rule_problems},
              {"tls_problems", outcome.tls_problems}};
}

}  // namespace

ControlHandler control_ops(ControlParts parts) {
  return [parts = std::move(parts)](const Json& request,
                                    const audit::Actor& actor) mutable -> Result<Json> {
    const auto op = request["op"].get<std::string>();
    if (op == "ping") return Json{{"pid", ::getpid()}};
    if (op == "alert.triage") return triage(parts, request, actor);
    if (op == "account.change") return account(parts, request, actor);
    if (op == "state.import") return import(parts, request, actor);
    if (op == "config.reload" && parts.reload) return reload(parts, actor);
    return fail("control.bad_request", "unknown op \"" + op + "\"");
  };
}

}  // namespace probity::app
