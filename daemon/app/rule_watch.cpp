// rule_files_fingerprint (rule_watch.h).
#include "app/rule_watch.h"

#include <algorithm>
#include <system_error>

namespace probity::app {

namespace fs = std::filesystem;

namespace {
bool absent(const std::error_code& ec) {
  return ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory;
}
}  // namespace

std::optional<std::string> rule_files_fingerprint(const std::vector<fs::path>& paths) {
  std::string out;
  // false: the file could not be checked (as opposed to: it is not there).
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    if (!ec) {
      const auto mtime = fs::last_write_time(p, ec);
      if (!ec) {
        out += p.string() + '\0' + std::to_string(size) + '\0' +
               std::to_string(mtime.time_since_epoch().count()) + '\n';
        return true;
      }
    }
    if (!absent(ec)) return false;
    out += p.string() + '\0' + "absent\n";
    return true;
  };
  for (const auto& p : paths) {
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (ec && !absent(ec)) return std::nullopt;
    if (!fs::is_directory(status)) {
      if (!add(p)) return std::nullopt;
      continue;
    }
    std::vector<fs::path> files;
    // opendir needs a descriptor: with the fd table full this fails, which must not read
    // as "every rule file went away".
    fs::directory_iterator it(p, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const auto ext = it->path().extension();
      if (ext == ".yaml" || ext == ".yml") files.push_back(it->path());
    }
    if (ec) return std::nullopt;
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      if (!add(f)) return std::nullopt;
  }
  return out;
}

}  // namespace probity::app
