// open_state_dir (state_dir.h): the directory's own checks, then state::Store::open.
#include "app/state_dir.h"

#include <dirent.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "app/consult.h"
#include "app/private_files.h"

namespace probity::app {
namespace {

namespace fs = std::filesystem;

tl::unexpected<Error> unreadable(const fs::path& dir, const std::string& why) {
  return fail("state.unreadable",
              "state directory " + dir.string() + " cannot be read: " + why +
                  " (run as the service account or a member of its group, or give "
                  "--state-dir)");
}

/// Whether `dir` exists, or why it cannot be used. Checked here rather than left to
/// RocksDB, which reads an unlistable directory as "no database here".
Result<bool> check_listable(const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (status.type() == fs::file_type::not_found) return false;
  if (ec) return unreadable(dir, ec.message());
  if (!fs::is_directory(status))
    return fail("state.unreadable", "state directory " + dir.string() +
                                        " is not a directory (give --state-dir a directory)");
  DIR* d = ::opendir(dir.c_str());
  if (!d) return unreadable(dir, std::strerror(errno));
  ::closedir(d);
  return true;
}

Result<std::unique_ptr<state::Store>> open_checked(const config::Config& config, StateAccess access,
                                                   bool exists) {
  // A directory others can read may already have leaked: refused for reading too, so the
  // administrator hears of it from whichever command runs first. A reader judges the
  // directory alone (its mode is what keeps others out): beside a running daemon the
  // files in it come and go while a walk would list them.
  if (exists)
    if (auto ok = check_private(
            config.state_dir, trail_file(config),
            access == StateAccess::read ? PrivateCheck::top_only : PrivateCheck::whole_tree);
        !ok)
      return tl::unexpected(ok.error());
  return state::Store::open({config.state_dir, access == StateAccess::read});
}

}  // namespace

Result<std::unique_ptr<state::Store>> open_state_dir(const config::Config& config,
                                                     StateAccess access) {
  auto exists = check_listable(config.state_dir);
  if (!exists) return tl::unexpected(exists.error());
  return open_checked(config, access, *exists);
}

Result<std::unique_ptr<state::Store>> open_correlation_dir(const config::Config& config,
                                                           StateAccess access) {
  state::StoreOptions options;
  options.dir = config.state_dir / "correlation";
  options.read_only = access == StateAccess::read;
  options.block_cache_bytes = 8u << 20;  // read once, at start-up
  options.transient = true;
  return state::Store::open(options);
}

Result<std::unique_ptr<state::Store>> open_state_dir_if_present(const config::Config& config) {
  auto exists = check_listable(config.state_dir);
  if (!exists) return tl::unexpected(exists.error());
  if (!*exists) return std::unique_ptr<state::Store>();
  return open_checked(config, StateAccess::read, true);
}

}  // namespace probity::app
