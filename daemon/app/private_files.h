// The check that the files holding identities are private: no access for other local
// accounts, no writes by the service group. Not for creating them (the umask set in main
// and the explicit modes in state/ and alerts/ do that) nor for the pseudonym key.
#pragma once

#include <filesystem>

#include "base/result.h"

namespace probity::app {

/// Checks `path` and, for a directory, everything under it (symlinks are not followed and
/// not judged). A missing path passes: probity creates it private. Errors:
/// "files.not_private" naming the first offending path, its mode and the chmod that fixes
/// it; "files.unreadable" when the walk fails. Cost: one lstat per entry.
/// `group_appendable` is the consultation trail: its group may write (CLI users append
/// their consultations; its hash chain shows any other change), never other accounts.
/// `depth` top_only judges the path alone: for a reader beside a running daemon, whose
/// files come and go while a walk would list them.
enum class PrivateCheck { whole_tree, top_only };
Result<void> check_private(const std::filesystem::path& path,
                           const std::filesystem::path& group_appendable = {},
                           PrivateCheck depth = PrivateCheck::whole_tree);

}  // namespace probity::app
