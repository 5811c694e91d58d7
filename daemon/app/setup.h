// Start-up pieces every subcommand shares: the effective config (file or embedded
// defaults, then command-line overrides), logging, and rule loading with its report.
#pragma once

#include <memory>

#include "app/commands.h"
#include "config/config.h"
#include "rules/rules.h"

namespace probity::app {

/// Loads the config (or the defaults), applies overrides, resolves paths. Errors: the
/// loader's (config.invalid with the file's line).
Result<config::Config> load_effective_config(const CommonOptions& options);
/// As load_effective_config; on error prints one line to stderr and returns nullopt.
std::optional<config::Config> effective_config(const CommonOptions& options);

/// spdlog to stderr at the given level, with a format fit for journald and terminals.
void set_up_logging(const std::string& level);

rules::LoadOptions rule_load_options(const config::Config& config,
                                     const state::ReferenceData* reference);

}  // namespace probity::app
