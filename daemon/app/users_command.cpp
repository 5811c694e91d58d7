// `probity users add|passwd|disable|enable|list`: the accounts that log in to the page and
// API (access/). Works on the store directly, so the daemon must be stopped (its lock);
// every change is recorded in the consultation trail. Passwords come from a file or the
// terminal (not echoed), never from the command line, where `ps` would show them.
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
      std::printf("%-24s %-28s %s\n", a.name.c_str(), access::roles_text(a.roles).c_str(),
                  a.disabled ? "disabled" : "enabled");
    std::fprintf(stderr, "%zu account(s)\n", all->size());
    return 0;
  }

  auto existing = accounts.find(o.name);
  if (!existing) return failed(existing.error());
  access::Account account;
  std::string what;
  if (o.action == "add") {
    if (*existing) return std::fprintf(stderr, "probity: account %s exists\n", o.name.c_str()), 1;
    auto roles = access::parse_roles(o.roles);
    if (!roles) return failed(roles.error(), 2);
    auto password = new_password(o);
    if (!password) return failed(password.error(), 2);
    auto hash = access::hash_password(*password);
    if (!hash) return failed(hash.error());
    account = {o.name, *roles, *hash, false, now(), now()};
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
    } else if (o.action == "role") {
      auto roles = access::parse_roles(o.roles);
      if (!roles) return failed(roles.error(), 2);
      account.roles = *roles;
    } else {
      account.disabled = o.action == "disable";
    }
    what = "users." + o.action;
  }
  // Recorded first: an account change nobody can trace is refused.
  if (auto recorded = audit::record_consultation(
          trail_file(*config),
          {what, "account/" + account.name, "", "roles " + access::roles_text(account.roles)});
      !recorded)
    return failed(recorded.error());
  if (auto ok = accounts.put(account); !ok) return failed(ok.error());
  std::printf("account %s: %s (%s)\n", account.name.c_str(),
              account.disabled ? "disabled" : "enabled", access::roles_text(account.roles).c_str());
  return 0;
}

}  // namespace probity::app
