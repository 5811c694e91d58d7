// The shown view of an alert (alerts.h ShownAlert): what email, the live page, the API and
// the log may carry. Works from what the rule compiler marked as identities (the field
// vocabulary, event::Identity), never from guessing in the text:
//   staff    → the person's pseudonym; a login or a staff mail address resolves to the
//              staff id first, so one person has one pseudonym whichever field names them
//   mailbox  → a staff member's address: their pseudonym; another address of the force's
//              own domains: its own pseudonym; an outside address stays (the PSD needs to
//              see who staff write to), its local part withheld when it carries the
//              user's own name (ann.lee77@gmail.com)
//   subject  → withheld when the looked-up person is a colleague (subject.id in the list
//              `staff_nominals`) or the user themselves (their forenames and surname)
//   personal → withheld
//   look-ups → a value the rule read from reference data is shown only when it cannot name
//              anyone: a flag, a number, a time, a vetting level, or a staff attribute
//              such as vetting or HR status; names, addresses and posts are withheld
// Evidence keeps canonical fields only (masked the same way); every source (raw) field is
// withheld and counted. Not for the pseudonym key (pseudonymiser.h).
#pragma once

#include <string>
#include <vector>

#include "alerts/alerts.h"
#include "alerts/pseudonymiser.h"
#include "event/event.h"
#include "state/reference.h"

namespace probity::alerts {

/// Text standing for a withheld value.
inline constexpr std::string_view kWithheld = "[withheld]";

class IdentityMask {
 public:
  /// `internal_domains`: the force's own mail domains (subdomains included).
  IdentityMask(const PseudonymKey& key, const state::ReferenceData& reference,
               std::vector<std::string> internal_domains);

  /// The shown view of `alert`. `message_identities` are spans of alert.message;
  /// `field_identities` line up with alert.fields (missing entries: judged by the field's
  /// name, and anything not canonical is withheld). `evidence`, when the caller has it: the
  /// event alert.events_json holds alone (as event::to_json wrote it), masked straight from
  /// the event rather than parsed back, with the same result.
  ShownAlert shown(const Alert& alert, const std::vector<event::IdentitySpan>& message_identities,
                   const std::vector<event::Identity>& field_identities,
                   const event::Event* evidence = nullptr) const;

 private:
  const PseudonymKey& key_;
  const state::ReferenceData& reference_;
  std::vector<std::string> internal_domains_;
};

/// A reference-data value as the shown view carries it (see the look-ups rule above).
std::string shown_lookup_value(std::string_view expression, std::string_view value);

/// The shown view when the force has turned pseudonymisation off: everything as stored.
ShownAlert unmasked(const Alert& alert);

}  // namespace probity::alerts
