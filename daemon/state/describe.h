// Reference and runtime entries rendered as JSON text, for `probity state show <table> <key>`
// and the HTTP API. Reads only; not for the hot path (each call scans or decodes afresh).
#pragma once

#include <string>
#include <string_view>

#include "base/result.h"
#include "state/store.h"

namespace probity::state {

/// Pretty-printed (2-space) JSON; dates as RFC 3339 UTC, absent dates as null.
std::string to_json(const StaffRecord& r);
std::string to_json(const Association& a);

/// The tables describe_entry knows, for help and errors: "staff|email|...|audit (singular or
/// plural)", the registers among them taken from kRegisters.
std::string show_tables();

/// JSON text for one entry. Tables and keys:
///   staff <id> · email <address> (the staff record it resolves to) · associations <staff id>
///   (an array, possibly empty) · systems [<name>] · lists [<name>] (no key: all names)
///   alerts | outbox | rule_state | audit <key> (the stored value; JSON shown as JSON,
///   other bytes as a JSON string).
/// Table names are case-insensitive and accepted singular or plural ("list" or "lists").
/// Errors: state.show_table (unknown table, listing the known ones), state.not_found
/// (missing key, naming table, key and database), state.read.
Result<std::string> describe_entry(const Store& store, std::string_view table,
                                   std::string_view key);

/// What showing this entry reveals about people, for the consultation trail ("staff
/// record", "declared associations", ...), or "" when nothing personal: systems, outbox
/// delivery records, list names, and lists whose every value is a domain name. Anything
/// else about staff, their associates, registers, alerts and correlation state is
/// personal, and so is a list of anything but domains (watch-listed subjects). Unknown
/// tables give "" (describe_entry rejects them). Reads one list when the table is lists.
std::string personal_data_shown(const Store& store, std::string_view table, std::string_view key);

}  // namespace probity::state
