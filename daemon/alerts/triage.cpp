// apply_triage (triage.h): the lifecycle's transitions and what each one requires.
#include "alerts/triage.h"

#include <algorithm>
#include <array>

#include "alerts/alerts.h"

namespace probity::alerts {

namespace {

constexpr std::array<std::pair<TriageAction, std::string_view>, 7> kActionNames = {{
    {TriageAction::acknowledge, "acknowledge"},
    {TriageAction::assign, "assign"},
    {TriageAction::note, "note"},
    {TriageAction::dismiss, "dismiss"},
    {TriageAction::resolve, "resolve"},
    {TriageAction::escalate, "escalate"},
    {TriageAction::reopen, "reopen"},
}};

tl::unexpected<Error> refuse(std::string message) {
  return fail("triage.refused", std::move(message));
}

tl::unexpected<Error> invalid(std::string message) {
  return fail("triage.invalid", std::move(message));
}

// Text is shown on the page and mailed: no terminal escapes, no NULs, a bounded size.
Result<void> check_text(std::string_view what, std::string_view text, bool required) {
  if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return invalid(std::string(what) + " is required");
  if (text.size() > kMaxTriageText)
    return invalid(std::string(what) + " is over " + std::to_string(kMaxTriageText) + " bytes");
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f;
  });
  if (control) return invalid(std::string(what) + " holds control characters");
  return {};
}

Result<void> check_requirements(const TriageRequest& r) {
  const bool text_required = r.action == TriageAction::note || r.action == TriageAction::resolve ||
                             r.action == TriageAction::reopen ||
                             (r.action == TriageAction::dismiss && r.dismissal != "false_positive");
  if (auto ok = check_text("the text", r.text, text_required); !ok) return ok;
  if (r.action == TriageAction::assign) {
    if (r.owner.empty()) return invalid("assign needs the account that will own the alert");
    if (auto ok = check_text("the owner", r.owner, true); !ok) return ok;
    if (r.owner.size() > 64) return invalid("the owner is not an account name");
  }
  if (r.action == TriageAction::dismiss && std::find(std::begin(kDismissals), std::end(kDismissals),
                                                     r.dismissal) == std::end(kDismissals))
    return invalid("dismiss needs the outcome: false_positive, benign or duplicate");
  if (r.action == TriageAction::escalate) {
    if (auto ok = check_text("the reference", r.reference, true); !ok) return ok;
    if (r.reference.size() > 64 || std::none_of(r.reference.begin(), r.reference.end(),
                                                [](char c) { return c >= '0' && c <= '9'; }))
      return invalid("escalate needs the case or complaint reference (e.g. CO/00123/26)");
  }
  return {};
}

}  // namespace

std::optional<TriageAction> triage_action_from(std::string_view name) {
  if (name == "ack") return TriageAction::acknowledge;
  for (const auto& [action, text] : kActionNames)
    if (text == name) return action;
  return std::nullopt;
}

std::string_view to_string(TriageAction action) {
  for (const auto& [a, text] : kActionNames)
    if (a == action) return text;
  return "note";
}

bool is_open_status(std::string_view status) { return status == "new" || status == "acknowledged"; }

Result<TriageEntry> apply_triage(Alert& alert, const TriageRequest& r) {
  if (auto ok = check_requirements(r); !ok) return tl::unexpected(ok.error());
  if (alert.history.size() >= kMaxHistory)
    return refuse("alert " + alert.id + " has " + std::to_string(kMaxHistory) +
                  " changes already; record further work in the case file");
  const bool open = is_open_status(alert.status);
  std::string to = alert.status;
  std::string owner = alert.owner;
  switch (r.action) {
    case TriageAction::note:
      break;
    case TriageAction::acknowledge:
      if (alert.status != "new")
        return refuse("alert " + alert.id + " is " + alert.status + ", not new");
      to = "acknowledged";
      if (owner.empty()) owner = r.actor;
      break;
    case TriageAction::assign:
      if (!open) return refuse("alert " + alert.id + " is " + alert.status + ": reopen it first");
      to = "acknowledged";
      owner = r.owner;
      break;
    case TriageAction::dismiss:
    case TriageAction::resolve:
    case TriageAction::escalate:
      if (!open) return refuse("alert " + alert.id + " is " + alert.status + " already");
      to = r.action == TriageAction::dismiss   ? "dismissed"
           : r.action == TriageAction::resolve ? "resolved"
                                               : "escalated";
      if (owner.empty()) owner = r.actor;
      break;
    case TriageAction::reopen:
      if (open) return refuse("alert " + alert.id + " is " + alert.status + ", not closed");
      to = owner.empty() ? "new" : "acknowledged";
      break;
  }
  TriageEntry entry{r.at,
                    r.actor,
                    std::string(to_string(r.action)),
                    alert.status,
                    to,
                    r.text,
                    r.action == TriageAction::assign ? r.owner : std::string(),
                    r.action == TriageAction::dismiss ? r.dismissal : std::string(),
                    r.action == TriageAction::escalate ? r.reference : std::string()};
  alert.status = std::move(to);
  alert.owner = std::move(owner);
  alert.history.push_back(entry);
  return entry;
}

}  // namespace probity::alerts
