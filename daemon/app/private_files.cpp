// check_private: refuse rather than repair. A state directory that others could read may
// already have leaked, and an administrator should learn that from a clear refusal with
// the fix, not from a silent chmod.
#include "app/private_files.h"

#include <fmt/format.h>

namespace probity::app {
namespace {

namespace fs = std::filesystem;

/// Group-writable lets a CLI user rewrite alerts; any "other" bit lets every account in.
constexpr fs::perms kForbidden = fs::perms::group_write | fs::perms::others_all;

Result<void> check_one(const fs::path& p, const fs::file_status& status, const fs::path& top,
                       bool top_is_dir, const fs::path& group_appendable) {
  if (fs::is_symlink(status)) return {};
  const auto perms = status.permissions();
  const auto forbidden =
      !group_appendable.empty() && p == group_appendable ? fs::perms::others_all : kForbidden;
  if ((perms & forbidden) == fs::perms::none) return {};
  const std::string what = (perms & fs::perms::others_all) != fs::perms::none
                               ? "open to other local accounts"
                               : "writable by its group";
  return fail("files.not_private",
              fmt::format("{} is {} (mode {:04o}); probity keeps the files beside its alerts "
                          "and identities private. "
                          "Fix it with: chmod {}g-w,o-rwx {}",
                          p.string(), what, static_cast<unsigned>(perms & fs::perms::mask),
                          top_is_dir ? "-R " : "", top.string()));
}

}  // namespace

Result<void> check_private(const fs::path& path, const fs::path& group_appendable,
                           PrivateCheck depth) {
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status)) return {};
  const bool is_dir = fs::is_directory(status);
  if (auto ok = check_one(path, status, path, is_dir, group_appendable); !ok) return ok;
  if (!is_dir || depth == PrivateCheck::top_only) return {};
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const auto entry_status = it->symlink_status(ec);
    if (ec) break;
    if (auto ok = check_one(it->path(), entry_status, path, true, group_appendable); !ok) return ok;
  }
  if (ec)
    return fail("files.unreadable",
                "cannot check the modes under " + path.string() + ": " + ec.message());
  return {};
}

}  // namespace probity::app
