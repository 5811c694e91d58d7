// raise_fd_limit and fit_connection_caps (fd_budget.h).
#include "app/fd_budget.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace probity::app {

FdLimit raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    spdlog::warn("fd limit: cannot read RLIMIT_NOFILE: {}", std::strerror(errno));
    return {};
  }
  // Linux refuses more than fs.nr_open (1,048,576 by default) even when the hard is unlimited.
  constexpr rlim_t kUnlimitedTarget = 1 << 20;
  FdLimit out{limit.rlim_cur, limit.rlim_cur, limit.rlim_max};
  const rlim_t target = limit.rlim_max == RLIM_INFINITY ? kUnlimitedTarget : limit.rlim_max;
  if (limit.rlim_cur < target) {
    rlimit raised{target, limit.rlim_max};
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
      out.soft = target;
    else
      spdlog::warn("fd limit: cannot raise the soft limit from {} to {}: {}", limit.rlim_cur,
                   target, std::strerror(errno));
  }
  spdlog::info(
      "fd limit: soft {} (was {}), hard {}", out.soft, out.soft_before,
      limit.rlim_max == RLIM_INFINITY ? std::string("unlimited") : std::to_string(limit.rlim_max));
  return out;
}

namespace {
void lower(std::size_t& cap, std::size_t fit, const std::string& what,
           std::vector<std::string>& changes) {
  fit = std::max<std::size_t>(fit, 1);
  if (cap <= fit) return;
  changes.push_back(fmt::format("{} lowered from {} to {}", what, cap, fit));
  cap = fit;
}
}  // namespace

std::vector<std::string> fit_connection_caps(config::Config& config, std::uint64_t fd_limit) {
  std::vector<std::string> changes;
  if (fd_limit == 0) return changes;  // unknown: leave the configured caps
  const std::size_t per_listener =
      config.listeners.empty() ? 0 : fd_limit / 2 / config.listeners.size();
  for (auto& l : config.listeners) {
    lower(l.max_connections, per_listener, "listener " + l.name + " max_connections", changes);
    lower(l.max_connections_per_address, l.max_connections,
          "listener " + l.name + " max_connections_per_address", changes);
    lower(l.max_handshakes, l.max_connections, "listener " + l.name + " max_handshakes", changes);
  }
  lower(config.http.max_connections, fd_limit / 8, "http.max_connections", changes);
  lower(config.http.max_event_streams, config.http.max_connections, "http.max_event_streams",
        changes);
  return changes;
}

}  // namespace probity::app
