// One change to a page/API account (add, passwd, role, disable, enable, token), made the
// same way whether `probity users` works on the store itself or asks the running daemon to.
#pragma once

#include <filesystem>
#include <string>

#include "access/access.h"
#include "audit/audit.h"

namespace probity::app {

struct AccountChange {
  std::string action;  ///< add, passwd, role, disable, enable, token
  std::string name;
  std::string roles;     ///< add, role: "analyst,investigator"
  std::string password;  ///< add, passwd: already read from the person (never argv)
  std::string label;     ///< token: the new token's label, or the one to revoke ("" = all)
  bool revoke = false;   ///< token: revoke instead of issue
};

struct ChangedAccount {
  access::Account account;  ///< as now stored
  std::string new_token;    ///< token: the token issued, shown once; never stored
  std::size_t tokens_revoked = 0;
};

/// Checks the change (access.name, access.roles, access.weak_password, access.exists,
/// access.unknown, access.disabled, access.no_token), records it in the consultation trail
/// (refused when it cannot be recorded) and stores it. A new password or a disabled account
/// revokes every API token: a script must not outlive the password behind it.
Result<ChangedAccount> change_account(state::Store& store, const std::filesystem::path& trail,
                                      const audit::Actor& actor, const AccountChange& change);

/// Whether the change must end the account's open sessions (its roles or password, or
/// whether it may log in at all, changed).
bool ends_sessions(const AccountChange& change);

}  // namespace probity::app
