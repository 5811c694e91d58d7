// take_live_settings (app/config_reload.h): what SIGHUP takes from a re-read config. The
// overrides files are a rule-set setting, so they change live, never "after a restart".
#include "app/config_reload.h"

#include <gtest/gtest.h>

using namespace probity;
using namespace probity::app;

TEST(ConfigReload, OverridesFilesAreTakenLive) {
  config::Config running = config::default_config();
  config::Config fresh = running;
  fresh.override_paths = {"/etc/probity/overrides.yaml"};
  fresh.http.port = 1;  // not taken: a restart-only section
  ConfigSections taken{{"rules_overrides", "[/etc/probity/a.yaml]"}, {"http", "{port: 9095}"}};
  const ConfigSections now{{"rules_overrides", "[/etc/probity/overrides.yaml]"},
                           {"http", "{port: 1}"}};
  const auto restart = take_live_settings(running, fresh, taken, now);
  EXPECT_EQ(running.override_paths, fresh.override_paths);
  EXPECT_EQ(running.http.port, config::default_config().http.port);
  EXPECT_EQ(restart, std::vector<std::string>{"http"});
  EXPECT_EQ(taken["rules_overrides"], "[/etc/probity/overrides.yaml]");
}
