// The rule-file poll's view of the files: a fingerprint of names, sizes and modification
// times, compared between polls to decide whether to reload. Not for loading rules
// (rules/loader.h) or for scheduling the poll (app/daemon.cpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace probity::app {

/// Names, sizes and modification times of the files (directories: their *.yaml / *.yml),
/// so a poll can tell that one changed, appeared or went away. nullopt when they could not
/// be checked (EMFILE, EACCES, EIO, ...): the caller must treat that as "unchanged", since
/// a check that failed says nothing about the files. A missing file is a fact, not a failure.
std::optional<std::string> rule_files_fingerprint(const std::vector<std::filesystem::path>& paths);

}  // namespace probity::app
