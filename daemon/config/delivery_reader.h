// Internal to config/: alerts.recipients, alerts.routes, alerts.webhooks and alerts.siem,
// read and cross-checked (every route names destinations that exist).
#pragma once

#include <yaml-cpp/yaml.h>

#include "alerts/alerts.h"
#include "config/reader.h"

namespace probity::config {

/// Reads the delivery settings of the `alerts` mapping `n` into `a`, after alerts.email
/// (whose limits are each route's defaults). Throws ConfigError at the offending line.
void read_delivery(const Reader& r, const YAML::Node& n, alerts::AlertConfig& a);

}  // namespace probity::config
