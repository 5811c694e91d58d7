// The CLI's one audited door: every command that shows a real identity or a personal
// field passes here first. The trail itself (format, chain, actor) is audit/'s business.
#pragma once

#include <filesystem>

#include "audit/audit.h"
#include "config/config.h"

namespace probity::app {

/// <state_dir>/consultations.jsonl
std::filesystem::path trail_file(const config::Config& config);

/// Checks the reason against the config's audit: policy, then appends the consultation to
/// the trail. True when the caller may show; otherwise one line on stderr says why not
/// (reason refused, trail not writable by this account) and nothing may be shown.
bool record_before_showing(const config::Config& config, const audit::Consultation& what);

}  // namespace probity::app
