// Rotation of the JSONL alert log and removal of rotated files past retention. The sink
// (alerts/) opens the log per append, so a rename here needs no signal to it: the next
// line starts a fresh file. Not for the alerts table (app/retention.h purges that).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "base/result.h"
#include "event/event.h"

namespace probity::app {

/// Renames `log` to "<log>.<UTC time, e.g. 20261203T221500Z>" when it holds at least
/// max_bytes; true when it did. A missing log, max_bytes 0 or an existing target name
/// (two rotations in one second) rotate nothing. Errors: alerts.rotate naming the file.
Result<bool> rotate_alert_log(const std::filesystem::path& log, std::uint64_t max_bytes,
                              event::Timestamp now);

/// Rotated files of `log` (the names rotate_alert_log gives) last written before `cutoff`:
/// every line in them is older. Sorted by name (oldest first). A missing directory is none.
std::vector<std::filesystem::path> rotated_alert_logs_before(const std::filesystem::path& log,
                                                             event::Timestamp cutoff);

}  // namespace probity::app
