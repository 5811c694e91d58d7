// What SIGHUP does with the config file besides the rules: the rule-set settings (rule
// paths, site file, overrides files, disabled rules and tags) and the log level are taken by the
// running daemon; a change to any other section needs a restart and is reported, never silently
// ignored. Not for loading rules (setup.h) or the signal itself (daemon.cpp).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace probity::app {

/// What one reload did, for the log, the internal alerts and `probity reload`.
struct ReloadOutcome {
  std::string config_error;          ///< the config did not load: nothing was applied
  std::vector<std::string> restart;  ///< changed sections that wait for a restart
  std::string rule_problems;         ///< errors (rules_loaded false) or warnings
  std::string tls_problems;          ///< listener certificates that did not load (old ones kept)
  bool rules_loaded = false;
  std::size_t rules = 0;  ///< enabled rules now running
  bool ok() const { return config_error.empty() && rules_loaded; }
};

/// The config file's top-level sections, each as YAML text, to tell which changed between
/// two readings. Empty without a file (the embedded defaults) or when it does not parse.
using ConfigSections = std::map<std::string, std::string>;
ConfigSections config_sections(const std::optional<std::filesystem::path>& file);

/// Takes the live settings of `fresh` into `running`, and the live sections' text from
/// `now` into `taken`; returns the other top-level sections whose text differs between
/// `taken` (what runs) and `now`, in name order: they wait for a restart.
std::vector<std::string> take_live_settings(config::Config& running, const config::Config& fresh,
                                            ConfigSections& taken, const ConfigSections& now);

}  // namespace probity::app
