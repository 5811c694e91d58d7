// `probity users add|passwd|role|disable|enable|list|token`: the accounts that log in to
// the page and API (access/), and their API tokens for scripts. Works on the store directly, so the
// daemon must be stopped (its lock); every change is recorded in the consultation trail. Passwords
// come from a file or the terminal (not echoed), never from the command line, where `ps` would show
// them.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "access/access.h"
#include "app/commands.h"
#include "app/consult.h"
#include "app/setup.h"
#include "app/state_dir.h"

namespace probity::app {

namespace {

int failed(const Error& e, int status = 1) {
  std::fprintf(stderr, "probity: %s\n", describe(e).c_str());
  return status;
}

std::optional<std::string> read_line_quietly(const char* prompt) {
  termios saved{};
  const bool tty = ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    std::fprintf(stderr, "%s", prompt);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!got) return std::nullopt;
  return line;
}

// The password from --password-file's first line, or typed twice on a terminal, or one
// line of standard input (a script's pipe).
Result<std::string> new_password(const UsersOptions& o) {
  std::string password;
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file);
    if (!in || !std::getline(in, password))
      return fail("access.password_file", "cannot read a password from " + o.password_file);
  } else {
    auto first = read_line_quietly("new password: ");
    if (!first) return fail("access.password_file", "no password on standard input");
    password = *first;
    if (::isatty(STDIN_FILENO)) {
      auto again = read_line_quietly("again: ");
      if (!again || *again != password)
        return fail("access.weak_password", "the two passwords differ");
    }
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (auto ok = access::check_password(o.name, password); !ok) return tl::unexpected(ok.error());
  return password;
}

// "tokens: 2 (nightly-export, soc-dashboard)"; never the tokens, which are not kept.
std::string token_summary(const access::Account& a) {
  std::string out = "tokens: " + std::to_string(a.tokens.size());
  for (std::size_t i = 0; i < a.tokens.size(); ++i)
    out += (i == 0 ? " (" : ", ") + a.tokens[i].label + (i + 1 == a.tokens.size() ? ")" : "");
  return out;
}

// Tokens end with the password that stood behind them: a password change or a disabled
// account must not leave a script able to act.
void revoke_all_tokens(access::Account& account) {
  if (account.tokens.empty()) return;
  std::fprintf(stderr, "probity: %zu API token(s) of %s revoked\n", account.tokens.size(),
               account.name.c_str());
  account.tokens.clear();
}

// `users token NAME --revoke [--label L]`: false when nothing matched.
bool revoke_tokens(access::Account& account, const std::string& label) {
  const auto before = account.tokens.size();
  std::erase_if(account.tokens,
                [&](const access::ApiToken& t) { return label.empty() || t.label == label; });
  return account.tokens.size() != before;
}

event::Timestamp now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

int users_command(const CommonOptions& options, const UsersOptions& o) {
  auto config = effective_config(options);
  if (!config) return 2;
  if (o.action != "list") {
    if (auto ok = access::check_account_name(o.name); !ok) return failed(ok.error(), 2);
  }
  auto store = open_state_dir(*config, o.action == "list" ? StateAccess::read : StateAccess::write);
  if (!store) {
    if (store.error().code == "state.locked")
      std::fprintf(stderr,
                   "probity: the daemon is running; stop it to manage accounts (its sessions "
                   "end with it)\n");
    return failed(store.error(), 2);
  }
  access::Accounts accounts(**store);
  if (o.action == "list") {
    auto all = accounts.list();
    if (!all) return failed(all.error());
    for (const auto& a : *all)
      std::printf("%-24s %-28s %-8s %s\n", a.name.c_str(), access::roles_text(a.roles).c_str(),
                  a.disabled ? "disabled" : "enabled", token_summary(a).c_str());
    std::fprintf(stderr, "%zu account(s)\n", all->size());
    return 0;
  }

  auto existing = accounts.find(o.name);
  if (!existing) return failed(existing.error());
  access::Account account;
  std::string what;
  std::string new_token;  // token: printed once, after the change is stored
  if (o.action == "add") {
    if (*existing) return std::fprintf(stderr, "probity: account %s exists\n", o.name.c_str()), 1;
    auto roles = access::parse_roles(o.roles);
    if (!roles) return failed(roles.error(), 2);
    auto password = new_password(o);
    if (!password) return failed(password.error(), 2);
    auto hash = access::hash_password(*password);
    if (!hash) return failed(hash.error());
    account = {o.name, *roles, *hash, false, now(), now(), {}};
    what = "users.add";
  } else {
    if (!*existing) return std::fprintf(stderr, "probity: no account %s\n", o.name.c_str()), 1;
    account = **existing;
    if (o.action == "passwd") {
      auto password = new_password(o);
      if (!password) return failed(password.error(), 2);
      auto hash = access::hash_password(*password);
      if (!hash) return failed(hash.error());
      account.password_hash = *hash;
      account.password_changed = now();
      revoke_all_tokens(account);
    } else if (o.action == "token" && o.revoke) {
      if (!revoke_tokens(account, o.label))
        return std::fprintf(stderr, "probity: account %s has no %s\n", o.name.c_str(),
                            o.label.empty() ? "API tokens" : ("token labelled " + o.label).c_str()),
               1;
    } else if (o.action == "token") {
      if (account.disabled)
        return std::fprintf(stderr, "probity: account %s is disabled; enable it first\n",
                            o.name.c_str()),
               1;
      auto token = access::issue_token(account, o.label, now());
      if (!token) return failed(token.error(), 2);
      new_token = std::move(*token);
    } else if (o.action == "role") {
      auto roles = access::parse_roles(o.roles);
      if (!roles) return failed(roles.error(), 2);
      account.roles = *roles;
    } else {
      account.disabled = o.action == "disable";
      if (account.disabled) revoke_all_tokens(account);
    }
    what = "users." + o.action;
    if (o.action == "token" && o.revoke) what = "users.token.revoke";
  }
  std::string detail = "roles " + access::roles_text(account.roles);
  if (o.action == "token")
    detail += o.revoke ? (o.label.empty() ? "; all tokens" : "; token " + o.label)
                       : "; token " + account.tokens.back().label;
  // Recorded first: an account change nobody can trace is refused.
  if (auto recorded = audit::record_consultation(trail_file(*config),
                                                 {what, "account/" + account.name, "", detail});
      !recorded)
    return failed(recorded.error());
  if (auto ok = accounts.put(account); !ok) return failed(ok.error());
  if (!new_token.empty()) {
    // Standard output carries the token alone, for TOKEN=$(probity users token ...).
    std::printf("%s\n", new_token.c_str());
    std::fprintf(stderr,
                 "API token %s for account %s: shown this once (only its hash is kept); send it "
                 "as Authorization: Bearer TOKEN\n",
                 account.tokens.back().label.c_str(), account.name.c_str());
    return 0;
  }
  if (o.action == "token") {
    std::fprintf(stderr, "account %s: %s\n", account.name.c_str(), token_summary(account).c_str());
    return 0;
  }
  std::printf("account %s: %s (%s)\n", account.name.c_str(),
              account.disabled ? "disabled" : "enabled", access::roles_text(account.roles).c_str());
  return 0;
}

}  // namespace probity::app
