// What the running daemon does for its command line over the control socket
// (control_socket.h): the ops, each the same function the command line runs on a stopped
// daemon's store, so both doors check, record and change alike.
//   ping            -> {"pid": N}
//   alert.triage    {id, action, text?, owner?, dismissal?, reference?} -> {id, status, owner}
//   account.change  {action, name, roles?, password?, label?, revoke?}
//                   -> {name, roles, disabled, tokens (labels), new_token, tokens_revoked}
//   state.import    {kind, file (absolute), list?, replace?} -> {rows_loaded, errors}
//   config.reload   {} -> {ok, config_error, restart (sections), rules_loaded, rules, problems}
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include "alerts/alerts.h"
#include "app/config_reload.h"
#include "app/control_socket.h"

namespace probity::app {

struct ControlParts {
  state::Store& store;
  alerts::AlertPipeline& pipeline;
  std::filesystem::path trail;
  /// Ends every page/API session of an account (its password, roles or state changed).
  std::function<void(std::string_view account)> end_sessions;
  /// Re-reads the config file and rules as SIGHUP does, and says what it did.
  std::function<ReloadOutcome()> reload;
};

ControlHandler control_ops(ControlParts parts);

}  // namespace probity::app
