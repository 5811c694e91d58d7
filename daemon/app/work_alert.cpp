// work_alert (work_alert.h).
#include "app/work_alert.h"

#include "access/access.h"

namespace probity::app {

namespace {

// What the trail says of the change: "to ben: yours", "benign: FLO visit", "CO/00123/26".
std::string why_of(const alerts::TriageRequest& r) {
  std::string why = r.text;
  for (const std::string* part : {&r.reference, &r.dismissal})
    if (!part->empty()) why = *part + (why.empty() ? "" : ": " + why);
  if (!r.owner.empty()) why = "to " + r.owner + (why.empty() ? "" : ": " + why);
  return why;
}

}  // namespace

Result<alerts::Alert> work_alert(state::Store& store, alerts::AlertPipeline& pipeline,
                                 const std::filesystem::path& trail, const audit::Actor& actor,
                                 const std::string& id, const alerts::TriageRequest& request) {
  if (request.action == alerts::TriageAction::assign) {
    auto owner = access::Accounts(store).find(request.owner);
    if (!owner) return tl::unexpected(owner.error());
    if (!*owner || (*owner)->disabled ||
        !access::allows((*owner)->roles, access::Permission::work_alerts))
      return fail("api.bad_request",
                  "no enabled analyst or investigator account \"" + request.owner + "\"");
  }
  auto current = alerts::stored_alert(store, id);
  if (!current) return tl::unexpected(current.error());
  if (auto check = alerts::apply_triage(*current, request); !check)
    return tl::unexpected(check.error());
  const audit::Consultation what{"alert." + std::string(alerts::to_string(request.action)), id, "",
                                 why_of(request)};
  if (auto ok = audit::record_consultation(trail, what, actor); !ok)
    return fail("api.trail",
                "the change could not be recorded, so it is refused: " + ok.error().message);
  return pipeline.triage(id, request);
}

}  // namespace probity::app
