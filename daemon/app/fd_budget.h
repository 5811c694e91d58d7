// Start-up's file-descriptor budget: the soft RLIMIT_NOFILE is raised to the hard limit,
// then the connection caps are fitted under it, so a flood of connections cannot take the
// descriptors the store, the alert log and the rule poll need. Not for per-connection
// accounting (ingest/ and http/ enforce the caps).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"

namespace probity::app {

struct FdLimit {
  std::uint64_t soft_before = 0;  ///< the soft limit the daemon was started with
  std::uint64_t soft = 0;         ///< after raising it (equal if it could not be raised)
  std::uint64_t hard = 0;
};

/// Raises the soft limit to the hard one (capped at 1,048,576 when the hard is unlimited)
/// and logs both. Never fails start-up: on error the old limit stays and is logged.
FdLimit raise_fd_limit();

/// Lowers caps that do not fit `fd_limit`: syslog listeners share half of it, HTTP gets an
/// eighth, the rest is left for the store, logs and files. Per-address, handshake and
/// event-stream caps never exceed their listener's total. Returns one line per lowered cap.
std::vector<std::string> fit_connection_caps(config::Config& config, std::uint64_t fd_limit);

}  // namespace probity::app
