// Internal to rules/: which identity type a checked value expression yields, so that
// alert templates and shown fields carry, beside their text, where a person is named.
// The pseudonymised channels (alerts/identity_mask.h) act on that, never on guesses
// from the text itself.
#pragma once

#include "event/event.h"
#include "rules/ast.h"

namespace probity::rules {

/// The field vocabulary's identity for a field; a staff member's name, address, mail
/// addresses, department, role and peer group are personal, the id names the person,
/// vetting and HR status name nobody. Raw source fields and anything computed from an
/// identity (lower(user.id), a list of addresses) are personal: withheld, not guessed.
/// Booleans, numbers, times and durations name nobody.
event::Identity identity_of(const Expr& e);

}  // namespace probity::rules
