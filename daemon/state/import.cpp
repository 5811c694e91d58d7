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

#include "state/codec.h"
#include "state/csv.h"

namespace probity::state {

namespace {

using nlohmann::json;

struct Row {
  std::size_t line = 0;
  std::vector<std::pair<std::string, std::string>> fields;  ///< column (lower-case) → trimmed

  std::string_view get(std::string_view column) const {
    for (const auto& [name, value] : fields)
      if (name == column) return value;
    return {};
  }
};

struct Column {
  std::string_view name;
  bool required;
};

constexpr Column kStaffColumns[] = {
    {"id", true},
    {"surname", true},
    {"forenames", false},
    {"emails", false},
    {"department", false},
    {"role", false},
    {"peer_group", false},
    {"address", false},
    {"hr_status", true},
    {"leaving_date", false},
    {"vetting_level", false},
    {"vetting_granted", false},
    {"vetting_expires", false},
    {"vetting_status", false},
};
constexpr Column kAssociationColumns[] = {
    {"staff_id", true}, {"party_id", true},     {"party_name", false},
    {"kind", true},     {"declared_on", false},
};
constexpr Column kSystemColumns[] = {{"system", true}, {"required_vetting", true}};
constexpr Column kListColumns[] = {{"value", true}};
constexpr Column kBusinessInterestColumns[] = {
    {"staff_id", true}, {"business", true},  {"domain", false},
    {"role", false},    {"approved", false}, {"declared_on", false},
};
constexpr Column kGiftColumns[] = {
    {"staff_id", true}, {"offeror", true}, {"offeror_domain", false},
    {"value", false},   {"date", true},    {"accepted", false},
};
constexpr Column kTenderColumns[] = {
    {"tender_id", true}, {"supplier", true}, {"supplier_domain", true}, {"status", true},
    {"panel", false},    {"opens", false},   {"closes", false},
};

std::span<const Column> columns_of(ImportKind kind) {
  switch (kind) {
    case ImportKind::staff:
      return kStaffColumns;
    case ImportKind::associations:
      return kAssociationColumns;
    case ImportKind::systems:
      return kSystemColumns;
    case ImportKind::list:
      return kListColumns;
    case ImportKind::business_interests:
      return kBusinessInterestColumns;
    case ImportKind::gifts:
      return kGiftColumns;
    case ImportKind::tenders:
      return kTenderColumns;
  }
  return kListColumns;
}

std::string known_columns(ImportKind kind) {
  std::string out;
  for (const auto& c : columns_of(kind)) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

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
    if (std::none_of(cols.begin(), cols.end(), [&](const Column& c) { return c.name == name; })) {
      problems.add(line, "unknown column '" + name + "' (expected " + known_columns(kind) + ")");
      ok = false;
    } else if (!seen.insert(name).second) {
      problems.add(line, "column '" + name + "' appears twice");
      ok = false;
    }
  }
  if (header) {
    // A missing required column would otherwise fail every row with the same message.
    for (const auto& c : columns_of(kind)) {
      if (c.required && !seen.count(c.name)) {
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
    } else if (v.is_number_float() && name == "value") {
      text = v.dump();  // a gift's value in pounds
    } else if (v.is_boolean()) {
      text = v.get<bool>() ? "yes" : "no";  // approved, accepted
    } else if (v.is_null()) {
    } else if (v.is_array() && (name == "emails" || name == "panel")) {
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

// --- Validation: rows → typed records ------------------------------------------------------

bool check_identifier(const Row& row, std::string_view column, Problems& problems) {
  const auto v = row.get(column);
  for (const char c : v) {
    if (static_cast<unsigned char>(c) < 0x20) {
      problems.add(row.line, std::string(column) + " contains a control character");
      return false;
    }
  }
  return true;
}

bool require(const Row& row, std::string_view column, Problems& problems) {
  if (!row.get(column).empty()) return check_identifier(row, column, problems);
  problems.add(row.line, std::string(column) + " is required");
  return false;
}

/// Empty → nullopt (ok stays true); bad text → nullopt with ok=false and a problem.
std::optional<Timestamp> date(const Row& row, std::string_view column, bool& ok,
                              Problems& problems) {
  const auto text = row.get(column);
  if (text.empty()) return std::nullopt;
  if (auto t = event::parse_time(text)) return t;
  problems.add(row.line, std::string(column) + " '" + std::string(text) +
                             "' is not a date (YYYY-MM-DD or RFC 3339)");
  ok = false;
  return std::nullopt;
}

/// Tracks ids already seen in this file, for "duplicate ... (also on line N)".
class SeenIds {
 public:
  bool first(const std::string& id, const Row& row, std::string_view what, Problems& problems) {
    const auto [it, inserted] = lines_.try_emplace(id, row.line);
    if (inserted) return true;
    problems.add(row.line, "duplicate " + std::string(what) + " '" + id + "' (also on line " +
                               std::to_string(it->second) + ")");
    return false;
  }

 private:
  std::map<std::string, std::size_t> lines_;
};

std::vector<StaffRecord> validate_staff(const std::vector<Row>& rows, Problems& problems) {
  std::vector<StaffRecord> out;
  SeenIds ids;
  SeenIds emails;
  for (const Row& row : rows) {
    bool ok = require(row, "id", problems);
    ok = require(row, "surname", problems) && ok;
    StaffRecord r;
    r.id = lower(row.get("id"));
    if (ok) ok = ids.first(r.id, row, "staff id", problems);
    r.surname = row.get("surname");
    r.forenames = row.get("forenames");
    r.department = row.get("department");
    r.role = row.get("role");
    r.peer_group = row.get("peer_group");
    r.address = row.get("address");

    std::string_view list = row.get("emails");
    while (!list.empty()) {
      const auto semi = list.find(';');
      const std::string email = lower(trim(list.substr(0, semi)));
      list.remove_prefix(semi == std::string_view::npos ? list.size() : semi + 1);
      if (email.empty()) continue;
      if (email.find('@') == std::string::npos ||
          email.find_first_of(" ,\t") != std::string::npos) {
        problems.add(row.line, "email '" + email + "' is not an address");
        ok = false;
        continue;
      }
      if (std::find(r.emails.begin(), r.emails.end(), email) != r.emails.end()) continue;
      if (!emails.first(email, row, "email", problems)) ok = false;
      r.emails.push_back(email);
    }

    const auto hr = row.get("hr_status");
    if (hr.empty()) {
      problems.add(row.line, "hr_status is required (active, suspended, leaving, left)");
      ok = false;
    } else if (const auto status = hr_status_from_string(hr)) {
      r.hr_status = *status;
    } else {
      problems.add(row.line, "hr_status '" + std::string(hr) +
                                 "' is not one of active, suspended, leaving, left");
      ok = false;
    }
    r.leaving_date = date(row, "leaving_date", ok, problems);
    if (r.hr_status == HrStatus::leaving && !r.leaving_date && row.get("leaving_date").empty()) {
      problems.add(row.line, "hr_status 'leaving' needs a leaving_date");
      ok = false;
    }

    const auto level = row.get("vetting_level");
    if (!level.empty()) {
      if (const auto v = vetting_level_from_string(level)) {
        r.vetting.level = *v;
      } else {
        problems.add(row.line, "vetting_level '" + std::string(level) +
                                   "' is not one of RV, MV, NPPV1, NPPV2, NPPV3, CTC, SC, DV");
        ok = false;
      }
    }
    r.vetting.granted = date(row, "vetting_granted", ok, problems);
    r.vetting.expires = date(row, "vetting_expires", ok, problems);
    const auto vstatus = lower(row.get("vetting_status"));
    if (!vstatus.empty() && vstatus != "granted" && vstatus != "lapsed" && vstatus != "withdrawn" &&
        vstatus != "pending") {
      problems.add(row.line, "vetting_status '" + vstatus +
                                 "' is not one of granted, lapsed, withdrawn, pending");
      ok = false;
    }
    r.vetting.status = vstatus;
    // Vetting details with no level usually mean shifted columns in the export.
    if (level.empty() && (!row.get("vetting_granted").empty() ||
                          !row.get("vetting_expires").empty() || !vstatus.empty())) {
      problems.add(row.line, "vetting details given without a vetting_level");
      ok = false;
    }
    if (r.vetting.granted && r.vetting.expires && *r.vetting.expires < *r.vetting.granted) {
      problems.add(row.line, "vetting_expires is before vetting_granted");
      ok = false;
    }
    if (ok) out.push_back(std::move(r));
  }
  return out;
}

std::vector<Association> validate_associations(const std::vector<Row>& rows, Problems& problems) {
  std::vector<Association> out;
  SeenIds seen;
  for (const Row& row : rows) {
    bool ok = require(row, "staff_id", problems);
    ok = require(row, "party_id", problems) && ok;
    Association a;
    a.staff_id = lower(row.get("staff_id"));
    a.party_id = lower(row.get("party_id"));
    a.party_name = row.get("party_name");
    const auto kind = row.get("kind");
    if (kind.empty()) {
      problems.add(row.line, "kind is required");
      ok = false;
    } else if (const auto k = association_kind_from_string(kind)) {
      a.kind = *k;
    } else {
      problems.add(row.line, "kind '" + std::string(kind) +
                                 "' is not one of media, private_investigator, criminal, "
                                 "family, other");
      ok = false;
    }
    a.declared_on = date(row, "declared_on", ok, problems);
    if (ok) {
      const std::string id =
          a.staff_id + " / " + a.party_id + " / " + std::string(to_string(a.kind));
      ok = seen.first(id, row, "association", problems);
    }
    if (ok) out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::pair<std::string, VettingLevel>> validate_systems(const std::vector<Row>& rows,
                                                                   Problems& problems) {
  std::vector<std::pair<std::string, VettingLevel>> out;
  SeenIds seen;
  for (const Row& row : rows) {
    bool ok = require(row, "system", problems);
    const std::string name = lower(row.get("system"));
    const auto text = row.get("required_vetting");
    std::optional<VettingLevel> level;
    if (text.empty()) {
      problems.add(row.line, "required_vetting is required (RV ... DV, or none)");
      ok = false;
    } else if (!(level = vetting_level_from_string(text))) {
      problems.add(row.line, "required_vetting '" + std::string(text) +
                                 "' is not one of none, RV, MV, NPPV1, NPPV2, NPPV3, CTC, SC, DV");
      ok = false;
    }
    if (ok) ok = seen.first(name, row, "system", problems);
    if (ok) out.emplace_back(name, *level);
  }
  return out;
}

std::vector<std::string> validate_list(const std::vector<Row>& rows, Problems& problems) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const Row& row : rows) {
    if (!require(row, "value", problems)) continue;
    std::string value = lower(row.get("value"));
    if (seen.insert(value).second) out.push_back(std::move(value));  // a list is a set
  }
  return out;
}

/// yes/no (also true/false, y/n, 1/0); empty is no. Bad text → false, ok=false, a problem.
bool yes_no(const Row& row, std::string_view column, bool& ok, Problems& problems) {
  const std::string text = lower(row.get(column));
  if (text.empty() || text == "no" || text == "n" || text == "false" || text == "0") return false;
  if (text == "yes" || text == "y" || text == "true" || text == "1") return true;
  problems.add(row.line, std::string(column) + " '" + text + "' is not yes or no");
  ok = false;
  return false;
}

/// An email domain, lower-cased: no '@', no spaces, at least one dot. Empty stays empty.
std::string domain(const Row& row, std::string_view column, bool& ok, Problems& problems) {
  std::string d = lower(row.get(column));
  if (d.empty()) return d;
  if (d.find_first_of("@ \t,;/") != std::string::npos || d.find('.') == std::string::npos ||
      d.front() == '.' || d.back() == '.') {
    problems.add(row.line, std::string(column) + " '" + d + "' is not an email domain");
    ok = false;
  }
  return d;
}

/// Decimal pounds ("45", "45.5", "£1250.00") → pence. Empty is 0.
std::int64_t pence(const Row& row, std::string_view column, bool& ok, Problems& problems) {
  std::string_view text = row.get(column);
  if (text.starts_with("\xC2\xA3")) text.remove_prefix(2);  // £
  if (text.empty()) return 0;
  std::int64_t pounds = 0, fraction = 0;
  std::size_t i = 0, digits = 0, decimals = 0;
  bool good = true;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (pounds > 1'000'000'000'000) good = false;  // past any real gift; keeps it in range
    pounds = pounds * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++decimals)
      fraction = fraction * 10 + (text[i] - '0');
    if (decimals == 0 || decimals > 2) good = false;
    if (decimals == 1) fraction *= 10;
  }
  if (!good || digits == 0 || i != text.size()) {
    problems.add(row.line, std::string(column) + " '" + std::string(row.get(column)) +
                               "' is not an amount in pounds (e.g. 45 or 45.50)");
    ok = false;
    return 0;
  }
  return pounds * 100 + fraction;
}

std::vector<BusinessInterest> validate_business_interests(const std::vector<Row>& rows,
                                                          Problems& problems) {
  std::vector<BusinessInterest> out;
  SeenIds seen;
  for (const Row& row : rows) {
    bool ok = require(row, "staff_id", problems);
    ok = require(row, "business", problems) && ok;
    BusinessInterest r;
    r.staff_id = lower(row.get("staff_id"));
    r.business = row.get("business");
    r.domain = domain(row, "domain", ok, problems);
    r.role = row.get("role");
    r.approved = yes_no(row, "approved", ok, problems);
    r.declared_on = date(row, "declared_on", ok, problems);
    if (ok)
      ok = seen.first(r.staff_id + " / " + lower(r.business), row, "business interest", problems);
    if (ok) out.push_back(std::move(r));
  }
  return out;
}

std::vector<Gift> validate_gifts(const std::vector<Row>& rows, Problems& problems) {
  std::vector<Gift> out;
  SeenIds seen;
  for (const Row& row : rows) {
    bool ok = require(row, "staff_id", problems);
    ok = require(row, "offeror", problems) && ok;
    Gift g;
    g.staff_id = lower(row.get("staff_id"));
    g.offeror = row.get("offeror");
    g.offeror_domain = domain(row, "offeror_domain", ok, problems);
    g.value_pence = pence(row, "value", ok, problems);
    if (row.get("date").empty()) {
      problems.add(row.line, "date is required");
      ok = false;
    } else if (const auto d = date(row, "date", ok, problems)) {
      g.date = *d;
    }
    g.accepted = yes_no(row, "accepted", ok, problems);
    if (ok)
      ok = seen.first(g.staff_id + " / " + lower(g.offeror) + " / " + std::string(row.get("date")),
                      row, "gift", problems);
    if (ok) out.push_back(std::move(g));
  }
  return out;
}

std::vector<TenderBid> validate_tenders(const std::vector<Row>& rows, Problems& problems) {
  std::vector<TenderBid> out;
  SeenIds seen;
  std::map<std::string, std::pair<TenderStatus, std::size_t>> status_of;  // tender → (status, line)
  for (const Row& row : rows) {
    bool ok = require(row, "tender_id", problems);
    ok = require(row, "supplier", problems) && ok;
    ok = require(row, "supplier_domain", problems) && ok;
    TenderBid b;
    b.tender_id = lower(row.get("tender_id"));
    b.supplier = row.get("supplier");
    b.supplier_domain = domain(row, "supplier_domain", ok, problems);
    const auto status = row.get("status");
    if (status.empty()) {
      problems.add(row.line, "status is required (open, awarded, closed)");
      ok = false;
    } else if (const auto st = tender_status_from_string(status)) {
      b.status = *st;
    } else {
      problems.add(row.line,
                   "status '" + std::string(status) + "' is not one of open, awarded, closed");
      ok = false;
    }
    std::string_view list = row.get("panel");
    while (!list.empty()) {
      const auto semi = list.find(';');
      std::string id = lower(trim(list.substr(0, semi)));
      list.remove_prefix(semi == std::string_view::npos ? list.size() : semi + 1);
      if (!id.empty() && std::find(b.panel.begin(), b.panel.end(), id) == b.panel.end())
        b.panel.push_back(std::move(id));
    }
    b.opens = date(row, "opens", ok, problems);
    b.closes = date(row, "closes", ok, problems);
    if (b.opens && b.closes && *b.closes < *b.opens) {
      problems.add(row.line, "closes is before opens");
      ok = false;
    }
    if (ok) {
      const auto [it, inserted] = status_of.try_emplace(b.tender_id, b.status, row.line);
      if (!inserted && it->second.first != b.status) {
        problems.add(row.line, "tender '" + b.tender_id + "' is " +
                                   std::string(to_string(it->second.first)) + " on line " +
                                   std::to_string(it->second.second) + " but " +
                                   std::string(to_string(b.status)) + " here");
        ok = false;
      }
    }
    if (ok)
      ok = seen.first(b.tender_id + " / " + lower(b.supplier), row, "tender supplier", problems);
    if (ok) out.push_back(std::move(b));
  }
  return out;
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

Result<ImportKind> import_kind_from_string(std::string_view s) {
  const std::string k = lower(trim(s));
  if (k == "staff") return ImportKind::staff;
  if (k == "associations" || k == "association") return ImportKind::associations;
  if (k == "systems" || k == "system") return ImportKind::systems;
  if (k == "list" || k == "lists") return ImportKind::list;
  if (k == "business_interests" || k == "business_interest" || k == "business-interests")
    return ImportKind::business_interests;
  if (k == "gifts" || k == "gift" || k == "hospitality") return ImportKind::gifts;
  if (k == "tenders" || k == "tender") return ImportKind::tenders;
  return fail("state.import_kind",
              "unknown import kind '" + std::string(s) +
                  "' (expected staff, associations, systems, list, business_interests, gifts "
                  "or tenders)");
}

std::string_view to_string(ImportKind k) {
  switch (k) {
    case ImportKind::staff:
      return "staff";
    case ImportKind::associations:
      return "associations";
    case ImportKind::systems:
      return "systems";
    case ImportKind::list:
      return "list";
    case ImportKind::business_interests:
      return "business_interests";
    case ImportKind::gifts:
      return "gifts";
    case ImportKind::tenders:
      return "tenders";
  }
  return "?";
}

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
  switch (kind) {
    case ImportKind::staff: {
      auto records = validate_staff(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = records.size();
      written = store.put_staff(records, replace);
      break;
    }
    case ImportKind::associations: {
      auto records = validate_associations(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = records.size();
      written = store.put_associations(records, replace);
      break;
    }
    case ImportKind::systems: {
      auto records = validate_systems(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = records.size();
      written = store.put_systems(records, replace);
      break;
    }
    case ImportKind::list: {
      auto values = validate_list(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = values.size();
      written = store.put_list(trim(list_name), values, replace);
      break;
    }
    case ImportKind::business_interests: {
      auto records = validate_business_interests(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = records.size();
      written = store.put_business_interests(records, replace);
      break;
    }
    case ImportKind::gifts: {
      auto records = validate_gifts(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = records.size();
      written = store.put_gifts(records, replace);
      break;
    }
    case ImportKind::tenders: {
      auto records = validate_tenders(rows, problems);
      if (!problems.empty()) break;
      report.rows_loaded = records.size();
      written = store.put_tenders(records, replace);
      break;
    }
  }
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
