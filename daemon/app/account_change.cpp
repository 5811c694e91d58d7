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

// What the trail says besides the action: the roles, and which token.
std::string trail_detail(const AccountChange& c, const access::Account& a) {
  std::string detail = "roles " + access::roles_text(a.roles);
  if (c.action == "token")
    detail += c.revoke ? (c.label.empty() ? "; all tokens" : "; token " + c.label)
                       : "; token " + a.tokens.back().label;
  return detail;
}

Result<void> apply(const AccountChange& c, ChangedAccount& out) {
  access::Account& account = out.account;
  const auto revoke_where = [&](auto&& which) {
    const auto before = account.tokens.size();
    std::erase_if(account.tokens, which);
    out.tokens_revoked = before - account.tokens.size();
  };
  if (c.action == "passwd") {
    auto hash = hashed(c);
    if (!hash) return tl::unexpected(hash.error());
    account.password_hash = *hash;
    account.password_changed = now();
    revoke_where([](const auto&) { return true; });
  } else if (c.action == "role") {
    auto roles = access::parse_roles(c.roles);
    if (!roles) return tl::unexpected(roles.error());
    account.roles = *roles;
  } else if (c.action == "disable" || c.action == "enable") {
    account.disabled = c.action == "disable";
    if (account.disabled) revoke_where([](const auto&) { return true; });
  } else if (c.action == "token" && c.revoke) {
    revoke_where([&](const access::ApiToken& t) { return c.label.empty() || t.label == c.label; });
    if (out.tokens_revoked == 0)
      return fail("access.no_token",
                  "account " + c.name + " has no " +
                      (c.label.empty() ? "API tokens" : "token labelled " + c.label));
  } else if (c.action == "token") {
    if (account.disabled)
      return fail("access.disabled", "account " + c.name + " is disabled; enable it first");
    auto token = access::issue_token(account, c.label, now());
    if (!token) return tl::unexpected(token.error());
    out.new_token = std::move(*token);
  } else {
    return fail("access.action", "unknown account change \"" + c.action + "\"");
  }
  return {};
}

}  // namespace

bool ends_sessions(const AccountChange& change) {
  return change.action == "passwd" || change.action == "role" || change.action == "disable";
}

Result<ChangedAccount> change_account(state::Store& store, const std::filesystem::path& trail,
                                      const audit::Actor& actor, const AccountChange& change) {
  if (auto ok = access::check_account_name(change.name); !ok) return tl::unexpected(ok.error());
  access::Accounts accounts(store);
  auto existing = accounts.find(change.name);
  if (!existing) return tl::unexpected(existing.error());
  ChangedAccount out;
  if (change.action == "add") {
    if (*existing) return fail("access.exists", "account " + change.name + " exists");
    auto roles = access::parse_roles(change.roles);
    if (!roles) return tl::unexpected(roles.error());
    auto hash = hashed(change);
    if (!hash) return tl::unexpected(hash.error());
    out.account = {change.name, *roles, *hash, false, now(), now(), {}};
  } else {
    if (!*existing) return fail("access.unknown", "no account " + change.name);
    out.account = **existing;
    if (auto ok = apply(change, out); !ok) return tl::unexpected(ok.error());
  }
  const std::string what =
      change.action == "token" && change.revoke ? "users.token.revoke" : "users." + change.action;
  // Recorded first: an account change nobody can trace is refused.
  if (auto recorded = audit::record_consultation(
          trail, {what, "account/" + out.account.name, "", trail_detail(change, out.account)},
          actor);
      !recorded)
    return tl::unexpected(recorded.error());
  if (auto ok = accounts.put(out.account); !ok) return tl::unexpected(ok.error());
  return out;
}

}  // namespace probity::app
