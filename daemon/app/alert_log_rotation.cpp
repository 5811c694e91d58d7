// rotate_alert_log and rotated_alert_logs_before: a rename and a directory listing, with
// the file's modification time as the time of its newest line.
#include "app/alert_log_rotation.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace probity::app {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kStampLength = 16;  // 20261203T221500Z

std::string stamp(event::Timestamp t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y%m%dT%H%M%SZ", &tm);
  return out;
}

bool is_stamp(std::string_view s) {
  if (s.size() != kStampLength || s[8] != 'T' || s[15] != 'Z') return false;
  for (std::size_t i = 0; i < 15; ++i)
    if (i != 8 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

}  // namespace

Result<bool> rotate_alert_log(const fs::path& log, std::uint64_t max_bytes, event::Timestamp now) {
  if (max_bytes == 0 || log.empty()) return false;
  struct stat st {};
  if (::stat(log.c_str(), &st) != 0) {
    if (errno == ENOENT) return false;
    return fail("alerts.rotate", "cannot stat " + log.string() + ": " + std::strerror(errno));
  }
  if (static_cast<std::uint64_t>(st.st_size) < max_bytes) return false;
  fs::path target = log;
  target += "." + stamp(now);
  std::error_code ec;
  if (fs::exists(target, ec)) return false;
  if (::rename(log.c_str(), target.c_str()) != 0)
    return fail("alerts.rotate", "cannot rename " + log.string() + " to " + target.string() + ": " +
                                     std::strerror(errno));
  return true;
}

std::vector<fs::path> rotated_alert_logs_before(const fs::path& log, event::Timestamp cutoff) {
  std::vector<fs::path> out;
  if (log.empty()) return out;
  const std::string prefix = log.filename().string() + ".";
  const fs::path dir = log.has_parent_path() ? log.parent_path() : fs::path(".");
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix) || !is_stamp(std::string_view(name).substr(prefix.size())))
      continue;
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const auto written = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec) +
                         std::chrono::nanoseconds(st.st_mtim.tv_nsec);
    if (written < cutoff) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace probity::app
