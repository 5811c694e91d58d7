// The consultation trail: every time someone reads an alert's evidence or reveals a
// pseudonym through the CLI, who, when, what and why is appended to an audit file that
// the daemon never rewrites. Not for the daemon's own log (spdlog).
#pragma once

#include <filesystem>
#include <string>

#include "base/result.h"

namespace probity::app {

/// Appends one JSON line {time, user, action, target, reason} to `file` (created 0600,
/// O_APPEND, fsync'ed before returning). The OS account is the actor.
Result<void> record_consultation(const std::filesystem::path& file, const std::string& action,
                                 const std::string& target, const std::string& reason);

}  // namespace probity::app
