// Reference-data import: staff directory, declared associations, systems, named lists and
// the registers (business interests, gifts and hospitality, suppliers and tenders),
// from CSV, JSON (array), JSON lines or (lists only) plain text. Every row is validated
// first; one bad row means nothing is loaded and every bad row is reported as file:line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "state/reference_rows.h"
#include "state/store.h"

namespace probity::state {

enum class ImportFormat : std::uint8_t { csv, json, jsonl, txt };
/// By extension: .csv, .json, .jsonl (or .ndjson), .txt. Error state.import_format otherwise.
Result<ImportFormat> import_format_for(const std::filesystem::path& file);

struct ImportRowError {
  std::string file;
  std::size_t line = 0;  ///< physical line; for a JSON array, the line its element starts on
  std::string message;
};
/// "file:line: message"
std::string describe(const ImportRowError& e);

struct ImportReport {
  std::size_t rows_loaded = 0;         ///< 0 whenever errors is non-empty
  std::vector<ImportRowError> errors;  ///< in file order; non-empty ⇒ nothing was written
  bool ok() const { return errors.empty(); }
};

/// Columns (CSV header names or JSON keys, case-insensitive; an unknown one is an error):
///   staff:        id*, surname*, forenames, emails (';'-separated, or a JSON array),
///                 department, role, peer_group, address, hr_status* (active|suspended|
///                 leaving|left; leaving needs leaving_date), leaving_date, absence (sick|
///                 maternity|paternity|adoption|parental|career_break|secondment|
///                 phased_return; "Sick Leave", "career-break" read too; needs absent_from),
///                 absent_from, absent_to (empty: open-ended), vetting_level
///                 (RV, MV, NPPV1-3, CTC, SC, DV, none or empty), vetting_granted,
///                 vetting_expires, vetting_status (granted|lapsed|withdrawn|pending)
///   associations: staff_id*, party_id, party_name, kind* (media|private_investigator|
///                 criminal|family|other|ex_partner|partner|friend|business; "Ex Partner",
///                 "ex-wife", "spouse", "close friend" read too), declared_on, party_dob (any
///                 written form), party_aliases (';'-separated names), party_ids
///                 (';'-separated, each optionally "SYSTEM:id", e.g. PNC:12/345678X),
///                 party_address. No party_id: the first of party_ids, else party_name with
///                 party_dob (one of the three is required)
///   systems:      system*, required_vetting*
///   business_interests: staff_id*, business* (name), domain (its email domain), role,
///                 approved (yes|no, default no), declared_on
///   gifts:        staff_id*, offeror* (organisation), offeror_domain, value (decimal pounds,
///                 "45" or "45.50", optional "£"; stored as pence), date*, accepted (yes|no,
///                 default no = offered only)
///   tenders:      tender_id*, supplier* (name), supplier_domain*, status* (open|awarded|
///                 closed; every row of one tender must agree), panel (staff ids,
///                 ';'-separated or a JSON array), opens, closes
///   sites:        site_id*, match* (an address range, 10.20.0.0/16 or 2001:db8::/48, or a
///                 workstation name, EXW-WS-0042, or prefix, EXW-WS-*), building, town* (not
///                 needed when remote),
///                 latitude and longitude (decimal degrees, both or neither), remote (yes|no:
///                 VPN or home working, default no); one match per file and site
///   list:         value* (CSV/JSON; a JSON array may hold plain strings); .txt: one value a
///                 line, blank lines and lines starting with '#' skipped
/// (* = required value). Values are trimmed; identifiers lower-cased; dates are YYYY-MM-DD
/// or RFC 3339 (event::parse_time). Duplicate ids (staff id, email, staff+party+kind, system,
/// staff+business, staff+offeror+date, tender+supplier, site match) in one file are errors; yes/no
/// columns also take true/false (JSON booleans too); domains may not hold '@' or spaces;
/// duplicate list values are folded. An association's (or register row's) staff_id need not
/// be in the staff table (the register may be loaded before the directory).
///
/// replace=true swaps the whole table (for list: that one list) for the file's rows in the
/// same batch; otherwise rows are upserted. `list_name` is required for list imports and
/// ignored otherwise; import_file defaults it to the file's stem ("media_domains.txt").
///
/// Result error (nothing written): unreadable file, unknown extension, .txt for a non-list
/// kind, missing list name, or a store write failure. Row problems are in the report.
/// Not for the hot path: reads the whole file, then one synced WriteBatch.
Result<ImportReport> import_file(Store& store, ImportKind kind, const std::filesystem::path& file,
                                 std::string_view list_name = {}, bool replace = false);

/// As import_file, on text already in memory (the HTTP API); source_name is used in errors.
Result<ImportReport> import_text(Store& store, ImportKind kind, ImportFormat format,
                                 std::string_view text, std::string_view source_name,
                                 std::string_view list_name = {}, bool replace = false);

}  // namespace probity::state
