// take_live_settings and config_sections (config_reload.h).
#include "app/config_reload.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace probity::app {

namespace {
// The sections the running daemon takes: the rule set's (the rule reload that follows
// applies them), the log level, and the sources (the I/O thread rebuilds its decoder).
constexpr std::array<std::string_view, 7> kLive{"rules",         "site_file",    "rules_overrides",
                                                "disable_rules", "disable_tags", "log_level",
                                                "sources"};

bool is_live(const std::string& section) {
  return std::find(kLive.begin(), kLive.end(), section) != kLive.end();
}
}  // namespace

ConfigSections config_sections(const std::optional<std::filesystem::path>& file) {
  ConfigSections out;
  if (!file) return out;
  try {
    const YAML::Node root = YAML::LoadFile(file->string());
    if (!root.IsMap()) return out;
    for (const auto& kv : root) {
      YAML::Emitter text;
      text << kv.second;
      out[kv.first.as<std::string>()] = text.c_str();
    }
  } catch (const YAML::Exception&) {
    out.clear();  // the loader has already said what is wrong with it
  }
  return out;
}

std::vector<std::string> take_live_settings(config::Config& running, const config::Config& fresh,
                                            ConfigSections& taken, const ConfigSections& now) {
  running.rule_paths = fresh.rule_paths;
  running.site_file = fresh.site_file;
  running.override_paths = fresh.override_paths;
  running.disabled_rule_ids = fresh.disabled_rule_ids;
  running.disabled_rule_tags = fresh.disabled_rule_tags;
  running.log_level = fresh.log_level;
  running.sources = fresh.sources;
  std::vector<std::string> restart;
  auto names = taken;
  for (const auto& [name, text] : now) names.emplace(name, "");
  for (const auto& [name, unused] : names) {
    const auto was = taken.find(name);
    const auto is = now.find(name);
    const bool same = was != taken.end() && is != now.end() && was->second == is->second;
    const bool both_absent = was == taken.end() && is == now.end();
    if (is_live(name)) {
      if (is != now.end())
        taken[name] = is->second;
      else
        taken.erase(name);
    } else if (!same && !both_absent) {
      restart.push_back(name);
    }
  }
  return restart;
}

}  // namespace probity::app
