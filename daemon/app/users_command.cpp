// `probity users add|passwd|disable|enable|list`: the accounts that log in to the page and
// API (access/). Works on the store directly, or, while the daemon runs and holds it,
// through the daemon's control socket; either way every change is recorded in the
// consultation trail first. Passwords come from a file or the
// terminal (not echoed), never from the command line, where `ps` would show them.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "access/access.h"
#include "app/account_change.h"
#include "app/commands.h"
#include "app/consult.h"
#include "app/control_socket.h"
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

}  // namespace

int users_command(const CommonOptions& options, const UsersOptions& o) {
  auto config = effective_config(options);
  if (!config) return 2;
  if (o.action == "list") {
    auto store = open_state_dir(*config, StateAccess::read);
    if (!store) return failed(store.error(), 2);
    auto all = access::Accounts(**store).list();
    if (!all) return failed(all.error());
    for (const auto& a : *all)
      std::printf("%-24s %-28s %s\n", a.name.c_str(), access::roles_text(a.roles).c_str(),
                  a.disabled ? "disabled" : "enabled");
    std::fprintf(stderr, "%zu account(s)\n", all->size());
    return 0;
  }
  if (auto ok = access::check_account_name(o.name); !ok) return failed(ok.error(), 2);
  AccountChange change{o.action, o.name, o.roles, {}};
  if (o.action == "add" || o.action == "passwd") {
    auto password = new_password(o);
    if (!password) return failed(password.error(), 2);
    change.password = std::move(*password);
  }
  Result<access::Account> account = fail("access.unknown", "");
  auto store = open_state_dir(*config, StateAccess::write);
  if (store) {
    account = change_account(**store, trail_file(*config), audit::current_actor(), change);
  } else if (store.error().code == "state.locked") {
    // The daemon holds the store: it makes the change, and ends the account's sessions.
    auto answer = call_daemon(control_socket_path(*config), {{"op", "account.change"},
                                                             {"action", change.action},
                                                             {"name", change.name},
                                                             {"roles", change.roles},
                                                             {"password", change.password}});
    if (!answer) return failed(answer.error());
    account = access::Account{answer->value("name", ""), 0, "", answer->value("disabled", false)};
    account->roles = answer->value("roles", access::Roles{0});
  } else {
    return failed(store.error(), 2);
  }
  if (!account) return failed(account.error(), account.error().code == "access.exists" ? 1 : 2);
  std::printf("account %s: %s (%s)\n", account->name.c_str(),
              account->disabled ? "disabled" : "enabled",
              access::roles_text(account->roles).c_str());
  return 0;
}

}  // namespace probity::app
