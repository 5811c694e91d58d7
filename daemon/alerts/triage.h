// Working an alert from raise to closure: its status, owner, notes and the history of every
// change. The rules of the lifecycle live here, in one place, so the page, the API and the
// CLI cannot disagree on them. Who may do what is access/'s business; recording the change
// in the consultation trail is the caller's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "event/event.h"

namespace probity::alerts {

struct Alert;

/// new → acknowledged → dismissed | resolved | escalated; reopen takes a closed alert back
/// to acknowledged (new when it has no owner). Notes change nothing but the history.
enum class TriageAction { acknowledge, assign, note, dismiss, resolve, escalate, reopen };

/// "acknowledge" (or "ack"), "assign", "note", "dismiss", "resolve", "escalate", "reopen".
std::optional<TriageAction> triage_action_from(std::string_view name);
std::string_view to_string(TriageAction action);

/// Why an alert was dismissed: the three outcomes the per-rule precision counts.
inline constexpr std::string_view kDismissals[] = {"false_positive", "benign", "duplicate"};

/// The statuses an alert can be in; "new" and "acknowledged" are open, the rest closed.
bool is_open_status(std::string_view status);

struct TriageRequest {
  TriageAction action = TriageAction::note;
  std::string actor;      ///< the Probity account doing it
  std::string text;       ///< note, resolution, dismissal explanation or reopen reason
  std::string owner;      ///< assign: the account that will own the alert
  std::string dismissal;  ///< dismiss: one of kDismissals
  std::string reference;  ///< escalate: the case or complaint reference
  event::Timestamp at{};
};

/// One change, as kept in the alert's history (oldest first).
struct TriageEntry {
  event::Timestamp at{};
  std::string actor;
  std::string action;  ///< to_string(TriageAction)
  std::string from, to;
  std::string text, owner, dismissal, reference;
};

/// Upper bound on one note or explanation, in bytes: a paragraph, not a file.
inline constexpr std::size_t kMaxTriageText = 4000;
/// Upper bound on the history an alert keeps; past it a change is refused (an alert worked
/// that long belongs in a case file, and the bound keeps every stored alert small).
inline constexpr std::size_t kMaxHistory = 200;

/// Checks `request` against the alert's current status and, when allowed, applies it:
/// status, owner and one history entry. Errors (nothing changed): triage.refused, the
/// action does not apply in this status ("alert is dismissed: reopen it first") or the
/// history is full; triage.invalid, a required part is missing or malformed (text for
/// note, dismiss benign|duplicate, resolve and reopen; owner for assign; dismissal kind; a
/// reference with a digit for escalate; text over kMaxTriageText or holding control
/// characters other than newline and tab).
Result<TriageEntry> apply_triage(Alert& alert, const TriageRequest& request);

}  // namespace probity::alerts
