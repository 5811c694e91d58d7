// The JSONL alert log and the append-to-file primitive the mailbox sink shares.
// Not the source of truth: the alerts table is; this log is for tailing and shipping.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "alerts/sinks.h"

namespace probity::alerts {

Result<void> append_to_file(const std::filesystem::path& path, std::string_view data,
                            bool fsync_after) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return fail("alerts.file",
                  "cannot create directory " + path.parent_path().string() + ": " + ec.message());
  }
  // 0640: alerts name staff and subjects; readable by the service group, nobody else.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0)
    return fail("alerts.file", "cannot open " + path.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return fail("alerts.file", "cannot write " + path.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (fsync_after && ::fdatasync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("alerts.file", "cannot sync " + path.string() + ": " + std::strerror(err));
  }
  if (::close(fd) != 0)
    return fail("alerts.file", "cannot close " + path.string() + ": " + std::strerror(errno));
  return {};
}

JsonlSink::JsonlSink(std::filesystem::path path) : path_(std::move(path)) {}

Result<void> JsonlSink::append(std::string_view json_line) {
  std::string line(json_line);
  line += '\n';
  return append_lines(line);
}

Result<void> JsonlSink::append_lines(std::string_view lines) {
  // One write() under the lock, so lines from concurrent writers never interleave.
  std::lock_guard lock(mutex_);
  return append_to_file(path_, lines, /*fsync_after=*/false);
}

}  // namespace probity::alerts
