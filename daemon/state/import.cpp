// Import of reference data (import.h): read the file into generic rows (column → text, with
// the line each came from), validate every row into typed records, and only if all are good
// hand them to the Store in one batch. Parse exceptions from nlohmann stop here.
#include "state/import.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>
#include <utility>

#include "state/csv.h"

namespace probity::state {

namespace {

using nlohmann::json;

using Row = ReferenceRow;

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Collects row errors for one source.
class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  void add(std::size_t line, std::string message) {
    errors_.push_back({file_, line, std::move(message)});
  }
  bool empty() const { return errors_.empty(); }
  std::vector<ImportRowError> take() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    return std::move(errors_);
  }

 private:
  std::string file_;
  std::vector<ImportRowError> errors_;
};

/// Unknown and repeated columns; for CSV checked once on the header, for JSON per object.
bool check_columns(ImportKind kind, const std::vector<std::string>& names, std::size_t line,
                   bool header, Problems& problems) {
  bool ok = true;
  std::set<std::string_view> seen;
  for (const auto& name : names) {
    const auto& cols = columns_of(kind);
    if (std::none_of(cols.begin(), cols.end(),
                     [&](const RowColumn& c) { return c.name == name; })) {
      problems.add(line, "unknown column '" + name + "' (expected " + column_names(kind) + ")");
      ok = false;
    } else if (!seen.insert(name).second) {
      problems.add(line, "column '" + name + "' appears twice");
      ok = false;
    }
  }
  if (header) {
    // A missing required column would otherwise fail every row with the same message.
    for (const auto& c : columns_of(kind)) {
      if (c.need != Need::optional && !seen.count(c.name)) {
        problems.add(line, "missing required column '" + std::string(c.name) + "'");
        ok = false;
      }
    }
  }
  return ok;
}

// --- Readers: text → rows ------------------------------------------------------------------

std::vector<Row> rows_from_csv(ImportKind kind, std::string_view text, Problems& problems) {
  CsvParse csv = read_csv(text);
  for (auto& e : csv.errors) problems.add(e.line, std::move(e.message));
  std::vector<Row> rows;
  if (csv.records.empty()) {
    if (csv.errors.empty()) problems.add(1, "no header row");
    return rows;
  }
  const CsvRecord& header = csv.records.front();
  std::vector<std::string> names;
  for (const auto& h : header.fields) names.push_back(lower(trim(h)));
  if (!check_columns(kind, names, header.line, /*header=*/true, problems)) return rows;
  for (std::size_t i = 1; i < csv.records.size(); ++i) {
    const CsvRecord& rec = csv.records[i];
    if (rec.fields.size() != names.size()) {
      problems.add(rec.line, "expected " + std::to_string(names.size()) + " fields, found " +
                                 std::to_string(rec.fields.size()));
      continue;
    }
    Row row{rec.line, {}};
    for (std::size_t c = 0; c < names.size(); ++c)
      row.fields.emplace_back(names[c], std::string(trim(rec.fields[c])));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::size_t line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

/// Lines where each element of the top-level JSON array starts. nlohmann does not report
/// positions of values, so this walks the (already valid) text tracking depth and strings.
std::vector<std::size_t> element_lines(std::string_view text) {
  std::vector<std::size_t> lines;
  std::size_t line = 1;
  int depth = 0;
  bool in_string = false;
  bool expect_element = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (in_string) {
      if (c == '\\') {
        ++i;  // escapes never hide a newline: raw newlines are invalid inside JSON strings
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (expect_element && depth == 1 && c != ']') {
      lines.push_back(line);
      expect_element = false;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      if (depth == 1 && c == '[') expect_element = true;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_element = true;
    }
  }
  return lines;
}

/// One JSON value (an object, or a bare string for lists) → row; false with problems added.
bool row_from_json(ImportKind kind, const json& value, std::size_t line, std::size_t index,
                   std::vector<Row>& rows, Problems& problems) {
  const std::string where = index ? "element " + std::to_string(index) + ": " : "";
  if (kind == ImportKind::list && value.is_string()) {
    rows.push_back({line, {{"value", std::string(trim(value.get<std::string>()))}}});
    return true;
  }
  if (!value.is_object()) {
    problems.add(line, where + "expected an object, found " + std::string(value.type_name()));
    return false;
  }
  Row row{line, {}};
  std::vector<std::string> names;
  bool ok = true;
  for (const auto& [key, v] : value.items()) {
    const std::string name = lower(trim(key));
    names.push_back(name);
    std::string text;
    if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_number_integer()) {
      text = v.dump();  // collar numbers exported as numbers
    } else if (v.is_number_float() &&
               (name == "value" || name == "latitude" || name == "longitude")) {
      text = v.dump();  // a gift's value in pounds, a site's coordinates
    } else if (v.is_boolean()) {
      text = v.get<bool>() ? "yes" : "no";  // approved, accepted
    } else if (v.is_null()) {
    } else if (v.is_array() && is_list_column(name)) {
      for (const auto& e : v) {
        if (!e.is_string()) {
          problems.add(line, where + name + ": expected an array of strings");
          ok = false;
          break;
        }
        if (!text.empty()) text += ';';
        text += e.get<std::string>();
      }
    } else {
      problems.add(line, where + "column '" + name + "': expected text, found " +
                             std::string(v.type_name()));
      ok = false;
    }
    row.fields.emplace_back(name, std::string(trim(text)));
  }
  if (!check_columns(kind, names, line, /*header=*/false, problems)) ok = false;
  if (ok) rows.push_back(std::move(row));
  return ok;
}

std::string json_error_text(const json::exception& e) {
  // "[json.exception.parse_error.101] parse error at line 2, column 3: ..." → after "] ".
  std::string_view what = e.what();
  if (const auto p = what.find("] "); p != std::string_view::npos) what.remove_prefix(p + 2);
  return "invalid JSON: " + std::string(what);
}

std::vector<Row> rows_from_json(ImportKind kind, std::string_view text, Problems& problems) {
  std::vector<Row> rows;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    problems.add(line_at(text, e.byte ? e.byte - 1 : 0), json_error_text(e));
    return rows;
  } catch (const json::exception& e) {
    problems.add(1, json_error_text(e));
    return rows;
  }
  if (!doc.is_array()) {
    problems.add(1, "expected a JSON array of objects (or use .jsonl, one object a line)");
    return rows;
  }
  const auto lines = element_lines(text);
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const std::size_t line = i < lines.size() ? lines[i] : 1;
    row_from_json(kind, doc[i], line, i + 1, rows, problems);
  }
  return rows;
}

std::vector<Row> rows_from_jsonl(ImportKind kind, std::string_view text, Problems& problems) {
  std::vector<Row> rows;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const auto nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    const std::string_view content = trim(raw);
    if (content.empty()) continue;
    try {
      row_from_json(kind, json::parse(content), line, 0, rows, problems);
    } catch (const json::exception& e) {
      problems.add(line, json_error_text(e));
    }
  }
  return rows;
}

std::vector<Row> rows_from_txt(std::string_view text, Problems& problems) {
  std::vector<Row> rows;
  std::size_t line = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty()) {
    ++line;
    const auto nl = text.find('\n');
    const std::string_view content = trim(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (content.empty() || content.front() == '#') continue;
    rows.push_back({line, {{"value", std::string(content)}}});
  }
  (void)problems;  // plain text has no syntax to get wrong
  return rows;
}

/// Hands one kind's validated rows to the store in one batch.
Result<void> write_rows(Store& store, ImportKind kind, const ReferenceTables& rows,
                        ImportReport& report, bool replace) {
  switch (kind) {
    case ImportKind::staff:
      report.rows_loaded = rows.staff.size();
      return store.put_staff(rows.staff, replace);
    case ImportKind::associations:
      report.rows_loaded = rows.associations.size();
      return store.put_associations(rows.associations, replace);
    case ImportKind::systems:
      report.rows_loaded = rows.systems.size();
      return store.put_systems(rows.systems, replace);
    case ImportKind::list: {
      const auto& [name, values] = *rows.lists.begin();
      report.rows_loaded = values.size();
      return store.put_list(name, values, replace);
    }
    default:
      break;  // the registers, below
  }
  // Every register (kRegisters) goes through the one generic write.
  report.rows_loaded = register_size(rows, kind);
  return store.put_register(kind, rows, replace);
}

Result<std::string> read_whole_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail("state.import_read", "cannot open " + file.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return fail("state.import_read", "cannot read " + file.string());
  return std::move(buf).str();
}

}  // namespace

Result<ImportFormat> import_format_for(const std::filesystem::path& file) {
  const std::string ext = lower(file.extension().string());
  if (ext == ".csv") return ImportFormat::csv;
  if (ext == ".json") return ImportFormat::json;
  if (ext == ".jsonl" || ext == ".ndjson") return ImportFormat::jsonl;
  if (ext == ".txt") return ImportFormat::txt;
  return fail("state.import_format", file.string() +
                                         ": unknown file type (expected .csv, .json, .jsonl "
                                         "or, for lists, .txt)");
}

std::string describe(const ImportRowError& e) {
  return e.file + ":" + std::to_string(e.line) + ": " + e.message;
}

Result<ImportReport> import_text(Store& store, ImportKind kind, ImportFormat format,
                                 std::string_view text, std::string_view source_name,
                                 std::string_view list_name, bool replace) {
  if (format == ImportFormat::txt && kind != ImportKind::list)
    return fail("state.import_format",
                std::string(source_name) + ": plain text (.txt) is for lists only");
  if (kind == ImportKind::list && trim(list_name).empty())
    return fail("state.import_list_name", std::string(source_name) +
                                              ": a list import needs a "
                                              "list name");
  Problems problems{std::string(source_name)};
  std::vector<Row> rows;
  switch (format) {
    case ImportFormat::csv:
      rows = rows_from_csv(kind, text, problems);
      break;
    case ImportFormat::json:
      rows = rows_from_json(kind, text, problems);
      break;
    case ImportFormat::jsonl:
      rows = rows_from_jsonl(kind, text, problems);
      break;
    case ImportFormat::txt:
      rows = rows_from_txt(text, problems);
      break;
  }

  ImportReport report;
  Result<void> written;
  ReferenceTables valid;
  std::vector<RowProblem> row_problems;
  validate_rows(kind, rows, RowSource::import_file, valid, row_problems, trim(list_name));
  for (auto& p : row_problems) problems.add(p.line, std::move(p.message));
  if (problems.empty()) written = write_rows(store, kind, valid, report, replace);
  if (!problems.empty()) {
    report.rows_loaded = 0;
    report.errors = problems.take();
    return report;
  }
  if (!written) return tl::unexpected(written.error());
  return report;
}

Result<ImportReport> import_file(Store& store, ImportKind kind, const std::filesystem::path& file,
                                 std::string_view list_name, bool replace) {
  auto format = import_format_for(file);
  if (!format) return tl::unexpected(format.error());
  auto text = read_whole_file(file);
  if (!text) return tl::unexpected(text.error());
  std::string name(list_name);
  if (kind == ImportKind::list && trim(name).empty()) name = file.stem().string();
  return import_text(store, kind, *format, *text, file.string(), name, replace);
}

}  // namespace probity::state
