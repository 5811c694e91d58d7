// `probity users add|passwd|role|disable|enable|list|token`: the accounts that log in to
// the page and API (access/), and their API tokens for scripts. Works on the store
// directly, or, while the daemon runs and holds it, through the daemon's control socket;
// either way every change is recorded in the consultation trail first. Passwords come
// from a file or the terminal (not echoed), never from the command line, where `ps` would
// show them.
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

// "tokens: 2 (nightly-export, soc-dashboard)"; never the tokens, which are not kept.
std::string token_summary(const access::Account& a) {
  std::string out = "tokens: " + std::to_string(a.tokens.size());
  for (std::size_t i = 0; i < a.tokens.size(); ++i)
    out += (i == 0 ? " (" : ", ") + a.tokens[i].label + (i + 1 == a.tokens.size() ? ")" : "");
  return out;
}

// The daemon's answer to account.change (control_ops.h) as the change's outcome.
ChangedAccount account_from_answer(const nlohmann::json& answer) {
  ChangedAccount out;
  out.account.name = answer.value("name", "");
  out.account.roles = answer.value("roles", access::Roles{0});
  out.account.disabled = answer.value("disabled", false);
  for (const auto& label : answer.value("tokens", std::vector<std::string>{}))
    out.account.tokens.push_back({label, "", {}});
  out.new_token = answer.value("new_token", "");
  out.tokens_revoked = answer.value("tokens_revoked", std::size_t{0});
  return out;
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
      std::printf("%-24s %-28s %-8s %s\n", a.name.c_str(), access::roles_text(a.roles).c_str(),
                  a.disabled ? "disabled" : "enabled", token_summary(a).c_str());
    std::fprintf(stderr, "%zu account(s)\n", all->size());
    return 0;
  }
  if (auto ok = access::check_account_name(o.name); !ok) return failed(ok.error(), 2);
  AccountChange change{o.action, o.name, o.roles, {}, o.label, o.revoke};
  if (o.action == "add" || o.action == "passwd") {
    auto password = new_password(o);
    if (!password) return failed(password.error(), 2);
    change.password = std::move(*password);
  }
  Result<ChangedAccount> changed = fail("access.unknown", "");
  auto store = open_state_dir(*config, StateAccess::write);
  if (store) {
    changed = change_account(**store, trail_file(*config), audit::current_actor(), change);
  } else if (store.error().code == "state.locked") {
    // The daemon holds the store: it makes the change, and ends the account's sessions.
    auto answer = call_daemon(control_socket_path(*config), {{"op", "account.change"},
                                                             {"action", change.action},
                                                             {"name", change.name},
                                                             {"roles", change.roles},
                                                             {"password", change.password},
                                                             {"label", change.label},
                                                             {"revoke", change.revoke}});
    if (!answer) return failed(answer.error());
    changed = account_from_answer(*answer);
  } else {
    return failed(store.error(), 2);
  }
  if (!changed) {
    // 2: the request itself is wrong (a usage error); 1: the accounts say no.
    const auto& code = changed.error().code;
    const bool usage = code == "access.weak_password" || code == "access.name" ||
                       code == "access.roles" || code.starts_with("access.token");
    return failed(changed.error(), usage ? 2 : 1);
  }
  const access::Account& account = changed->account;
  if (changed->tokens_revoked > 0 && o.action != "token")
    std::fprintf(stderr, "probity: %zu API token(s) of %s revoked\n", changed->tokens_revoked,
                 account.name.c_str());
  if (!changed->new_token.empty()) {
    // Standard output carries the token alone, for TOKEN=$(probity users token ...).
    std::printf("%s\n", changed->new_token.c_str());
    std::fprintf(stderr,
                 "API token %s for account %s: shown this once (only its hash is kept); send it "
                 "as Authorization: Bearer TOKEN\n",
                 account.tokens.empty() ? "" : account.tokens.back().label.c_str(),
                 account.name.c_str());
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
