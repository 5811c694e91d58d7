// Inline-test reference data (test_reference.h): YAML rows → state::ReferenceRow, renamed
// from the old test vocabulary where needed, then validated by state/ exactly as an import
// file's rows are. Problems come back at the YAML node of the row or value at fault.
#include "rules/test_reference.h"

#include <algorithm>
#include <map>

#include "state/reference_rows.h"

namespace probity::rules {
namespace {

using state::ImportKind;
using Level = Diagnostic::Level;

/// Test keys from before tests shared the import vocabulary: still read, with a warning.
struct OldKey {
  ImportKind kind;
  std::string_view old_name;
  std::string_view column;
};
constexpr OldKey kOldKeys[] = {
    {ImportKind::associations, "staff", "staff_id"},
    {ImportKind::associations, "party", "party_id"},
    {ImportKind::associations, "name", "party_name"},
    {ImportKind::business_interests, "staff", "staff_id"},
    {ImportKind::gifts, "staff", "staff_id"},
    {ImportKind::gifts, "domain", "offeror_domain"},
    {ImportKind::tenders, "tender", "tender_id"},
    {ImportKind::tenders, "domain", "supplier_domain"},
};

class TestReferenceReader {
 public:
  TestReferenceReader(const SourceFile& file, Reporter& report) : file_(file), report_(report) {}

  bool read(const YAML::Node& test, state::ReferenceTables& out) {
    bool ok = true;
    // Row tables go by their import name (staff, associations, gifts, ...); systems and
    // lists have shorter map forms of their own.
    for (const auto kind : state::import_kinds()) {
      if (kind == ImportKind::systems || kind == ImportKind::list) continue;
      const std::string key(state::to_string(kind));
      if (const YAML::Node rows = test[key]) ok = read_rows(rows, key, kind, out) && ok;
    }
    if (const YAML::Node systems = test["systems"]) ok = read_systems(systems, out) && ok;
    if (const YAML::Node lists = test["lists"]) ok = read_lists(lists, out) && ok;
    return ok;
  }

 private:
  /// One row being built, with the YAML node behind each column for problem positions.
  struct PendingRow {
    YAML::Node node;
    std::map<std::string, YAML::Node> cells;
  };

  void add(Level level, const YAML::Node& n, Code code, std::string message,
           std::string hint = {}) {
    const auto offset = n.Mark().pos >= 0 ? static_cast<std::size_t>(n.Mark().pos) : 0;
    const auto length =
        n.IsScalar() ? static_cast<std::uint32_t>(std::max<std::size_t>(n.Scalar().size(), 1)) : 1u;
    report_.add(level, code, &file_, offset, length, std::move(message), std::move(hint));
  }
  void error(const YAML::Node& n, Code code, std::string message, std::string hint = {}) {
    add(Level::error, n, code, std::move(message), std::move(hint));
  }

  static std::size_t line_of(const YAML::Node& n) {
    return n.Mark().line >= 0 ? static_cast<std::size_t>(n.Mark().line) + 1 : 0;
  }

  /// The column `key` names in a row of `kind`, after old names; empty when unknown.
  std::string column_for(ImportKind kind, const std::string& key, const YAML::Node& at) {
    for (const auto& old : kOldKeys) {
      if (old.kind != kind || old.old_name != key) continue;
      add(Level::warning, at, Code::deprecated_key,
          "'" + key + "' is the old name of '" + std::string(old.column) + "' in test " +
              std::string(state::to_string(kind)),
          "write '" + std::string(old.column) + "', as import files do");
      return std::string(old.column);
    }
    const auto columns = state::columns_of(kind);
    if (std::any_of(columns.begin(), columns.end(),
                    [&](const state::RowColumn& c) { return c.name == key; }))
      return key;
    std::vector<std::string_view> names;
    for (const auto& c : columns) names.push_back(c.name);
    const std::string near = closest(key, names);
    error(at, Code::unknown_key,
          "unknown key '" + key + "' in a test " + std::string(state::to_string(kind)) + " row",
          near.empty() ? "columns: " + state::column_names(kind) : "did you mean '" + near + "'?");
    return {};
  }

  /// A cell's text: a scalar, or for a list column (emails, panel, party_ids, ...) a list
  /// joined with ';' (as import does).
  bool cell_text(const YAML::Node& v, const std::string& column, std::string& text) {
    if (v.IsNull()) return true;
    if (v.IsScalar()) {
      text = v.Scalar();
      return true;
    }
    if (v.IsSequence() && state::is_list_column(column)) {
      for (const auto& item : v) {
        if (!item.IsScalar()) {
          error(item, Code::bad_value, "items of '" + column + "' must be strings");
          return false;
        }
        if (!text.empty()) text += ';';
        text += item.Scalar();
      }
      return true;
    }
    error(v, Code::bad_value, "'" + column + "' takes one value");
    return false;
  }

  bool add_cell(state::ReferenceRow& row, PendingRow& pending, const std::string& column,
                const YAML::Node& value) {
    std::string text;
    if (!cell_text(value, column, text)) return false;
    row.fields.emplace_back(column, std::move(text));
    pending.cells[column] = value;
    return true;
  }

  bool read_rows(const YAML::Node& seq, std::string_view key, ImportKind kind,
                 state::ReferenceTables& out) {
    if (!seq.IsSequence()) {
      error(seq, Code::bad_value, "'" + std::string(key) + "' must be a list of rows",
            "columns: " + state::column_names(kind));
      return false;
    }
    bool ok = true;
    std::vector<state::ReferenceRow> rows;
    std::vector<PendingRow> pending;
    for (const auto& r : seq) {
      if (!r.IsMap()) {
        error(r, Code::bad_value, "each of '" + std::string(key) + "' is a map");
        ok = false;
        continue;
      }
      state::ReferenceRow row{line_of(r), {}};
      PendingRow p{r, {}};
      for (const auto& kv : r) {
        const std::string name = kv.first.as<std::string>();
        if (kind == ImportKind::staff && name == "vetting" && kv.second.IsMap()) {
          // Old nested form: vetting: {level, granted, expires, status}.
          add(Level::warning, kv.first, Code::deprecated_key,
              "'vetting: {...}' is the old form of vetting_level, vetting_granted, "
              "vetting_expires and vetting_status",
              "write the vetting_* columns on the staff row, as import files do");
          for (const auto& v : kv.second) {
            const std::string column =
                column_for(kind, "vetting_" + v.first.as<std::string>(), v.first);
            if (column.empty() || !add_cell(row, p, column, v.second)) ok = false;
          }
          continue;
        }
        const std::string column = column_for(kind, name, kv.first);
        if (column.empty() || !add_cell(row, p, column, kv.second)) ok = false;
      }
      rows.push_back(std::move(row));
      pending.push_back(std::move(p));
    }
    return validate(kind, rows, pending, out) && ok;
  }

  bool read_systems(const YAML::Node& systems, state::ReferenceTables& out) {
    if (!systems.IsMap()) {
      error(systems, Code::bad_value, "'systems' is a map of system: vetting level");
      return false;
    }
    bool ok = true;
    std::vector<state::ReferenceRow> rows;
    std::vector<PendingRow> pending;
    for (const auto& kv : systems) {
      state::ReferenceRow row{line_of(kv.first), {}};
      PendingRow p{kv.second, {}};
      ok = add_cell(row, p, "system", kv.first) &&
           add_cell(row, p, "required_vetting", kv.second) && ok;
      rows.push_back(std::move(row));
      pending.push_back(std::move(p));
    }
    return validate(ImportKind::systems, rows, pending, out) && ok;
  }

  bool read_lists(const YAML::Node& lists, state::ReferenceTables& out) {
    if (!lists.IsMap()) {
      error(lists, Code::bad_value, "'lists' is a map of list name: [items]");
      return false;
    }
    bool ok = true;
    for (const auto& kv : lists) {
      const std::string name = kv.first.as<std::string>();
      if (!kv.second.IsSequence() && !kv.second.IsNull()) {
        error(kv.second, Code::bad_value, "'" + name + "' must be a list",
              "write [a, b] or one '- item' per line");
        ok = false;
        continue;
      }
      std::vector<state::ReferenceRow> rows;
      std::vector<PendingRow> pending;
      for (const auto& item : kv.second) {
        state::ReferenceRow row{line_of(item), {}};
        PendingRow p{item, {}};
        if (!item.IsScalar()) {
          error(item, Code::bad_value, "items of '" + name + "' must be strings");
          ok = false;
          continue;
        }
        add_cell(row, p, "value", item);
        rows.push_back(std::move(row));
        pending.push_back(std::move(p));
      }
      ok = validate(ImportKind::list, rows, pending, out, name) && ok;
    }
    return ok;
  }

  /// Runs state's validator and reports its problems at the row or cell they concern.
  bool validate(ImportKind kind, const std::vector<state::ReferenceRow>& rows,
                const std::vector<PendingRow>& pending, state::ReferenceTables& out,
                std::string_view list_name = {}) {
    std::vector<state::RowProblem> problems;
    if (state::validate_rows(kind, rows, state::RowSource::inline_test, out, problems, list_name))
      return true;
    for (const auto& problem : problems) {
      // Rows of a flow list share a line; the first row on it is near enough.
      std::size_t i = 0;
      while (i + 1 < rows.size() && rows[i].line != problem.line) ++i;
      YAML::Node at = pending[i].node;
      if (const auto cell = pending[i].cells.find(problem.column); cell != pending[i].cells.end())
        at = cell->second;
      const bool missing = problem.message.ends_with(" is required");
      error(at, missing ? Code::missing_key : Code::bad_value,
            problem.message + " (test " + std::string(state::to_string(kind)) + ")",
            "columns: " + state::column_names(kind));
    }
    return false;
  }

  const SourceFile& file_;
  Reporter& report_;
};

}  // namespace

bool is_test_reference_key(std::string_view key) {
  if (key == "systems" || key == "lists") return true;
  for (const auto kind : state::import_kinds())
    if (kind != ImportKind::list && kind != ImportKind::systems && state::to_string(kind) == key)
      return true;
  return false;
}

bool read_test_reference(const YAML::Node& test, const SourceFile& file, Reporter& report,
                         state::ReferenceTables& out) {
  return TestReferenceReader(file, report).read(test, out);
}

}  // namespace probity::rules
