// record_before_showing: reason policy, then the trail, then (only then) the caller shows.
#include "app/consult.h"

#include <cstdio>

namespace probity::app {

std::filesystem::path trail_file(const config::Config& config) {
  return config.state_dir / audit::kTrailFileName;
}

bool record_before_showing(const config::Config& config, const audit::Consultation& what) {
  if (auto ok = audit::check_reason(config.reason_policy, what.reason); !ok) {
    std::fprintf(stderr, "probity: %s\n", ok.error().message.c_str());
    return false;
  }
  auto recorded = audit::record_consultation(trail_file(config), what);
  if (!recorded) {
    std::fprintf(stderr, "probity: %s\n", recorded.error().message.c_str());
    return false;
  }
  return true;
}

}  // namespace probity::app
