// The administrators' vocabulary for reference data: one column list and one validator per
// table, turning rows of column → text into typed records. Import files (import.h) and rule
// inline tests (rules/test_reference.cpp) both read rows through here, so a column name, an
// enum spelling or a date format is accepted in one place or in neither. Not a file reader:
// callers bring the rows (CSV, JSON, YAML) and report problems at their own positions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "state/reference_tables.h"

namespace probity::state {

/// "staff", "associations", "systems", "list", "business_interests", "gifts" (or
/// "hospitality"), "tenders" (singular/plural both accepted).
Result<ImportKind> import_kind_from_string(std::string_view s);
std::string_view to_string(ImportKind k);
/// Every kind, in the order documentation lists them.
std::span<const ImportKind> import_kinds();

/// How much a row must say. Import files describe the real thing, so they give every
/// `required` column; an inline rule test sketches only what its rule reads, so it must give
/// the `key` columns only (the others take their defaults).
enum class Need : std::uint8_t { key, required, optional };
struct RowColumn {
  std::string_view name;
  Need need;
};
std::span<const RowColumn> columns_of(ImportKind kind);
/// "id, surname, ..." for error messages.
std::string column_names(ImportKind kind);

/// Whether a column holds several values (emails, panel, party_aliases, party_ids): ';'
/// separated in CSV, or an array in JSON and in inline tests.
bool is_list_column(std::string_view column);

enum class RowSource : std::uint8_t { import_file, inline_test };

/// One row: column (lower-case) → trimmed text. Multi-valued columns (emails, panel) are
/// ';'-separated. `line` is the caller's position tag, handed back in problems.
struct ReferenceRow {
  std::size_t line = 0;
  std::vector<std::pair<std::string, std::string>> fields;

  std::string_view get(std::string_view column) const;
};

struct RowProblem {
  std::size_t line = 0;
  std::string column;  ///< the column at fault; empty when the row as a whole is
  std::string message;
};

/// Validates every row of one table and appends the good ones to `out` (a list's values to
/// out.lists[list_name]). Ids come out lower-cased. Duplicates within `rows` are problems.
/// Unknown columns are the caller's to check (against columns_of). Returns false when any
/// row had a problem; `problems` then says which, in row order.
bool validate_rows(ImportKind kind, const std::vector<ReferenceRow>& rows, RowSource source,
                   ReferenceTables& out, std::vector<RowProblem>& problems,
                   std::string_view list_name = {});

}  // namespace probity::state
