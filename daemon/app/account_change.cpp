// change_account (account_change.h).
#include "app/account_change.h"

namespace probity::app {

namespace {

event::Timestamp now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

Result<std::string> hashed(const AccountChange& c) {
  if (auto ok = access::check_password(c.name, c.password); !ok) return tl::unexpected(ok.error());
  return access::hash_password(c.password);
}

}  // namespace

bool ends_sessions(const AccountChange& change) {
  return change.action == "passwd" || change.action == "role" || change.action == "disable";
}

Result<access::Account> change_account(state::Store& store, const std::filesystem::path& trail,
                                       const audit::Actor& actor, const AccountChange& change) {
  if (auto ok = access::check_account_name(change.name); !ok) return tl::unexpected(ok.error());
  access::Accounts accounts(store);
  auto existing = accounts.find(change.name);
  if (!existing) return tl::unexpected(existing.error());
  access::Account account;
  if (change.action == "add") {
    if (*existing) return fail("access.exists", "account " + change.name + " exists");
    auto roles = access::parse_roles(change.roles);
    if (!roles) return tl::unexpected(roles.error());
    auto hash = hashed(change);
    if (!hash) return tl::unexpected(hash.error());
    account = {change.name, *roles, *hash, false, now(), now()};
  } else {
    if (!*existing) return fail("access.unknown", "no account " + change.name);
    account = **existing;
    if (change.action == "passwd") {
      auto hash = hashed(change);
      if (!hash) return tl::unexpected(hash.error());
      account.password_hash = *hash;
      account.password_changed = now();
    } else if (change.action == "role") {
      auto roles = access::parse_roles(change.roles);
      if (!roles) return tl::unexpected(roles.error());
      account.roles = *roles;
    } else if (change.action == "disable" || change.action == "enable") {
      account.disabled = change.action == "disable";
    } else {
      return fail("access.action", "unknown account change \"" + change.action + "\"");
    }
  }
  // Recorded first: an account change nobody can trace is refused.
  if (auto recorded =
          audit::record_consultation(trail,
                                     {"users." + change.action, "account/" + account.name, "",
                                      "roles " + access::roles_text(account.roles)},
                                     actor);
      !recorded)
    return tl::unexpected(recorded.error());
  if (auto ok = accounts.put(account); !ok) return tl::unexpected(ok.error());
  return account;
}

}  // namespace probity::app
