// effective_config, logging set-up and rule load options.
#include "app/setup.h"

#include <cstdio>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/log_format.h"

namespace probity::app {

Result<config::Config> load_effective_config(const CommonOptions& options) {
  config::Config config;
  if (options.config_file) {
    auto loaded = config::load_config(*options.config_file);
    if (!loaded) return tl::unexpected(loaded.error());
    config = std::move(*loaded);
  } else {
    config = config::default_config();
  }
  if (options.state_dir) config.state_dir = *options.state_dir;
  if (!options.rule_paths.empty()) config.rule_paths = options.rule_paths;
  if (options.site_file) config.site_file = std::filesystem::absolute(*options.site_file);
  if (!options.override_paths.empty()) config.override_paths = options.override_paths;
  if (!options.log_level.empty()) config.log_level = options.log_level;
  config::resolve_paths(config);
  return config;
}

std::optional<config::Config> effective_config(const CommonOptions& options) {
  auto config = load_effective_config(options);
  if (!config) {
    std::fprintf(stderr, "probity: %s\n", describe(config.error()).c_str());
    return std::nullopt;
  }
  return std::move(*config);
}

void set_up_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("probity");
  spdlog::set_default_logger(logger);
  use_safe_log_pattern();
  spdlog::set_level(spdlog::level::from_str(level));
}

rules::LoadOptions rule_load_options(const config::Config& config,
                                     const state::ReferenceData* reference) {
  rules::LoadOptions o;
  o.reference = reference;
  o.disabled_ids = config.disabled_rule_ids;
  o.disabled_tags = config.disabled_rule_tags;
  o.time_zone = config.time_zone;
  o.site_file = config.site_file.string();
  o.override_paths = config.override_paths;
  return o;
}

}  // namespace probity::app
