// One triage change made the same way whichever door it comes through (the page and API,
// or `probity alerts ack|...`): the checks that need more than the alert itself, the trail
// record before the change, then the change under the pipeline's lock.
#pragma once

#include <filesystem>
#include <string>

#include "alerts/alerts.h"
#include "audit/audit.h"

namespace probity::app {

/// An assign's owner must be an enabled analyst or investigator account (api.bad_request
/// otherwise). The request is then checked against the stored alert, so the trail records
/// only a change that will be made; recorded (api.trail when it cannot be: refused); applied
/// with AlertPipeline::triage. Returns the alert as now stored. Errors also: alerts.unknown,
/// triage.invalid, triage.refused, store errors.
Result<alerts::Alert> work_alert(state::Store& store, alerts::AlertPipeline& pipeline,
                                 const std::filesystem::path& trail, const audit::Actor& actor,
                                 const std::string& id, const alerts::TriageRequest& request);

}  // namespace probity::app
