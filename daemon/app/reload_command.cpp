// `probity reload`: asks the running daemon to re-read its config file and rules (what
// SIGHUP does, listener certificates included) through the control socket, and prints
// what was applied, what waits for a restart and what failed, so the administrator need
// not read the daemon's log.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/control_socket.h"
#include "app/setup.h"

namespace probity::app {

int reload_command(const CommonOptions& options) {
  // A file that does not load is not sent for: the daemon would refuse it the same way.
  auto config = load_effective_config(options);
  if (!config) {
    std::fprintf(stderr,
                 "probity: %s\nprobity: the config did not load; nothing was reloaded and the "
                 "running one is kept\n",
                 describe(config.error()).c_str());
    return 1;
  }
  auto answer = call_daemon(control_socket_path(*config), {{"op", "config.reload"}});
  if (!answer) {
    std::fprintf(stderr, "probity: %s\n", describe(answer.error()).c_str());
    return answer.error().code == "control.unreachable" ? 2 : 1;
  }
  const auto& a = *answer;
  if (const auto error = a.value("config_error", std::string()); !error.empty()) {
    std::fprintf(stderr, "probity: the config did not load; the running one is kept:\n%s\n",
                 error.c_str());
    return 1;
  }
  const auto problems = a.value("problems", std::string());
  if (!a.value("rules_loaded", false)) {
    std::fprintf(stderr, "probity: the rules did not load; the running rules are kept:\n%s\n",
                 problems.c_str());
    return 1;
  }
  std::printf("reloaded: %zu rules enabled\n", a.value("rules", std::size_t{0}));
  if (!problems.empty()) std::printf("warnings:\n%s\n", problems.c_str());
  if (const auto tls = a.value("tls_problems", std::string()); !tls.empty())
    std::printf("TLS files that did not load (the running ones stay):\n%s", tls.c_str());
  if (const auto& restart = a["restart"]; restart.is_array() && !restart.empty()) {
    std::string sections;
    for (const auto& s : restart) sections += (sections.empty() ? "" : ", ") + s.get<std::string>();
    std::printf("changed sections that take effect only after a restart: %s\n", sections.c_str());
  }
  return 0;
}

}  // namespace probity::app
