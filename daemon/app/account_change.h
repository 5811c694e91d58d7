// One change to a page/API account (add, passwd, role, disable, enable), made the same way
// whether `probity users` works on the store itself or asks the running daemon to.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "access/access.h"
#include "audit/audit.h"

namespace probity::app {

struct AccountChange {
  std::string action;  ///< add, passwd, role, disable, enable
  std::string name;
  std::string roles;     ///< add, role: "analyst,investigator"
  std::string password;  ///< add, passwd: already read from the person (never argv)
};

/// Checks the change (access.name, access.roles, access.weak_password, access.exists,
/// access.unknown), records it in the consultation trail (refused when it cannot be
/// recorded) and stores it. Returns the account as now stored.
Result<access::Account> change_account(state::Store& store, const std::filesystem::path& trail,
                                       const audit::Actor& actor, const AccountChange& change);

/// Whether the change must end the account's open sessions (its roles or password, or
/// whether it may log in at all, changed).
bool ends_sessions(const AccountChange& change);

}  // namespace probity::app
