// record_consultation: a plain append-only JSON-lines file beside the database, so a
// consultation is recorded even while the daemon holds the RocksDB lock.
#include "app/consult.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include "event/event.h"

namespace probity::app {

Result<void> record_consultation(const std::filesystem::path& file, const std::string& action,
                                 const std::string& target, const std::string& reason) {
  const passwd* pw = ::getpwuid(::getuid());
  nlohmann::ordered_json line;
  line["time"] = event::format_time(
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
  line["user"] = pw ? pw->pw_name : std::to_string(::getuid());
  line["action"] = action;
  line["target"] = target;
  line["reason"] = reason;
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (fd < 0) return fail("audit.open", "cannot open the consultation trail " + file.string());
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return fail("audit.write", "cannot write the consultation trail " + file.string());
  return {};
}

}  // namespace probity::app
