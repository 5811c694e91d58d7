// Appending to the trail: create (0660, owned like its directory), lock, read the last
// record for its seq and hash, append one line, fsync. The lock is flock on the trail
// itself, so every writer (CLIs of several users, the daemon) takes the same one.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "audit/record.h"
#include "base/unique_fd.h"
#include "event/event.h"

namespace probity::audit {
namespace {

namespace fs = std::filesystem;

std::string account_of_this_process() {
  const auto uid = ::geteuid();
  return account_name(uid).value_or(std::to_string(uid));
}

/// Mode 0660 whatever the umask (the unit's UMask=0027 would leave 0640, which a group
/// member cannot append to), and as root the directory's owner and group, so the daemon's
/// user and its group can append to a trail an administrator's first `alerts show` made.
Result<void> settle_new_trail(int fd, const fs::path& file) {
  struct stat dir {};
  const auto parent = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  if (::stat(parent.c_str(), &dir) == 0) {
    const uid_t owner = ::geteuid() == 0 ? dir.st_uid : static_cast<uid_t>(-1);
    // Not being in the directory's group is fine: the trail keeps ours.
    if (::fchown(fd, owner, dir.st_gid) != 0 && ::geteuid() == 0)
      return fail("audit.create", "cannot give the consultation trail " + file.string() +
                                      " its directory's owner: " + std::strerror(errno));
  }
  if (::fchmod(fd, 0660) != 0)
    return fail("audit.create", "cannot set mode 0660 on the consultation trail " + file.string() +
                                    ": " + std::strerror(errno));
  return {};
}

/// Opens the trail for appending, creating it when missing. The messages say who lacks
/// what, since the usual cause is a caller outside the state directory's group.
Result<int> open_trail(const fs::path& file) {
  int fd = ::open(file.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd >= 0) return fd;
  if (errno == ENOENT) {
    fd = ::open(file.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
    if (fd >= 0) {
      if (auto ok = settle_new_trail(fd, file); !ok) return ::close(fd), tl::unexpected(ok.error());
      const auto parent = file.parent_path().empty() ? fs::path(".") : file.parent_path();
      UniqueFd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (dir.get() >= 0) ::fsync(dir.get());  // the new name survives a crash too
      return fd;
    }
    if (errno == EEXIST) return open_trail(file);  // another process just made it
    return fail("audit.create",
                "cannot create the consultation trail " + file.string() + " as " +
                    account_of_this_process() + " (" + std::strerror(errno) +
                    "): start the daemon once (it creates the trail writable by its group) "
                    "or ask an administrator; nothing was shown");
  }
  return fail("audit.open",
              "cannot open the consultation trail " + file.string() + " for appending as " +
                  account_of_this_process() + " (" + std::strerror(errno) +
                  "): it must be mode 0660 and you a member of its group; nothing was shown");
}

/// The last line of the file without its newline; "" when empty. Reads backwards in
/// blocks, so the cost does not grow with the trail.
Result<std::string> last_line(int fd, const fs::path& file) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    return fail("audit.read", "cannot stat " + file.string() + ": " + std::strerror(errno));
  const off_t size = st.st_size;
  if (size == 0) return std::string();
  std::string tail;
  off_t end = size;
  constexpr off_t kBlock = 4096;
  while (end > 0) {
    const off_t start = end > kBlock ? end - kBlock : 0;
    std::string block(static_cast<std::size_t>(end - start), '\0');
    if (::pread(fd, block.data(), block.size(), start) != static_cast<ssize_t>(block.size()))
      return fail("audit.read", "cannot read " + file.string() + ": " + std::strerror(errno));
    tail.insert(0, block);
    end = start;
    if (tail.back() != '\n')
      return fail("audit.chain", "the last line of the consultation trail " + file.string() +
                                     " is cut short; run `probity audit verify`");
    const auto nl = tail.size() < 2 ? std::string::npos : tail.rfind('\n', tail.size() - 2);
    if (nl != std::string::npos || end == 0) {
      const std::size_t from = nl == std::string::npos ? 0 : nl + 1;
      std::string line = tail.substr(from, tail.size() - from - 1);
      if (line.empty())
        return fail("audit.chain", "the consultation trail " + file.string() +
                                       " ends with a blank line; run `probity audit verify`");
      return line;
    }
  }
  return std::string();  // unreachable: the loop returns once it reaches offset 0
}

}  // namespace

Result<void> create_trail(const fs::path& file) {
  std::error_code ec;
  if (fs::exists(file, ec)) return {};
  auto fd = open_trail(file);
  if (!fd) return tl::unexpected(fd.error());
  ::close(*fd);
  return {};
}

Result<Record> record_consultation(const fs::path& file, const Consultation& consultation,
                                   const Actor& actor) {
  auto opened = open_trail(file);
  if (!opened) return tl::unexpected(opened.error());
  UniqueFd fd(*opened);
  // Held until fd closes: reading the last record and appending after it is one step.
  if (::flock(fd.get(), LOCK_EX) != 0)
    return fail("audit.open", "cannot lock the consultation trail " + file.string() + ": " +
                                  std::strerror(errno));
  auto last = last_line(fd.get(), file);
  if (!last) return tl::unexpected(last.error());

  Record r;
  r.seq = 1;
  r.prev = std::string(kGenesisHash);
  if (!last->empty()) {
    auto before = detail::read_line(*last);
    if (!before)
      return fail("audit.chain", "the last line of the consultation trail " + file.string() +
                                     " is not a chained record (" + before.error().message +
                                     "); run `probity audit verify`. A trail from before the "
                                     "chain: move it aside and keep it; a new one is started");
    r.seq = before->record.seq + 1;
    r.prev = before->record.hash;
  }
  r.time = event::format_time(
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
  r.actor = actor;
  r.consultation = consultation;
  const std::string line = detail::to_line(r) + "\n";
  const auto written = ::write(fd.get(), line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size()) || ::fsync(fd.get()) != 0)
    return fail("audit.write", "cannot write the consultation trail " + file.string() + ": " +
                                   std::strerror(errno) + "; nothing was shown");
  return r;
}

}  // namespace probity::audit
