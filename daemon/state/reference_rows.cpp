// Row validators for every reference table (reference_rows.h): the column lists, the
// checks and the messages import files and rule inline tests share.
#include "state/reference_rows.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/ascii.h"
#include "base/boolean.h"
#include "state/keys.h"
#include "state/site_index.h"

namespace probity::state {

namespace {

constexpr RowColumn kStaffColumns[] = {
    {"id", Need::key},
    {"surname", Need::required},
    {"forenames", Need::optional},
    {"emails", Need::optional},
    {"department", Need::optional},
    {"role", Need::optional},
    {"peer_group", Need::optional},
    {"address", Need::optional},
    {"hr_status", Need::required},
    {"leaving_date", Need::optional},
    {"absence", Need::optional},
    {"absent_from", Need::optional},
    {"absent_to", Need::optional},
    {"vetting_level", Need::optional},
    {"vetting_granted", Need::optional},
    {"vetting_expires", Need::optional},
    {"vetting_status", Need::optional},
};
// party_id may be empty when the row says who the party is another way (validate_associations).
constexpr RowColumn kAssociationColumns[] = {
    {"staff_id", Need::key},           {"party_id", Need::optional},
    {"party_name", Need::optional},    {"kind", Need::required},
    {"declared_on", Need::optional},   {"party_dob", Need::optional},
    {"party_aliases", Need::optional}, {"party_ids", Need::optional},
    {"party_address", Need::optional},
};
constexpr RowColumn kSystemColumns[] = {{"system", Need::key}, {"required_vetting", Need::key}};
constexpr RowColumn kListColumns[] = {{"value", Need::key}};
constexpr RowColumn kBusinessInterestColumns[] = {
    {"staff_id", Need::key},  {"business", Need::required}, {"domain", Need::optional},
    {"role", Need::optional}, {"approved", Need::optional}, {"declared_on", Need::optional},
};
constexpr RowColumn kGiftColumns[] = {
    {"staff_id", Need::key},   {"offeror", Need::required}, {"offeror_domain", Need::optional},
    {"value", Need::optional}, {"date", Need::key},         {"accepted", Need::optional},
};
constexpr RowColumn kTenderColumns[] = {
    {"tender_id", Need::key},   {"supplier", Need::required}, {"supplier_domain", Need::key},
    {"status", Need::required}, {"panel", Need::optional},    {"opens", Need::optional},
    {"closes", Need::optional},
};

constexpr RowColumn kHighProfileColumns[] = {
    {"ref", Need::key},           {"category", Need::optional},
    {"surname", Need::required},  {"forenames", Need::optional},
    {"aliases", Need::optional},  {"dob", Need::optional},
    {"ids", Need::optional},      {"address", Need::optional},
    {"added_on", Need::optional}, {"until", Need::optional},
};

constexpr RowColumn kSiteColumns[] = {
    {"site_id", Need::key},     {"match", Need::key},         {"building", Need::optional},
    {"town", Need::required},   {"latitude", Need::optional}, {"longitude", Need::optional},
    {"remote", Need::optional},
};

// An address is what a row is for, so inline tests must give it too (Need::key).
constexpr RowColumn kSubjectAddressColumns[] = {
    {"subject_id", Need::key}, {"address", Need::key}, {"system", Need::optional}};

constexpr ImportKind kKinds[] = {ImportKind::staff,
                                 ImportKind::associations,
                                 ImportKind::systems,
                                 ImportKind::list,
                                 ImportKind::business_interests,
                                 ImportKind::gifts,
                                 ImportKind::tenders,
                                 ImportKind::high_profile,
                                 ImportKind::sites,
                                 ImportKind::subject_addresses};

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Collects the problems of one validate_rows call.
struct Problems {
  RowSource source;
  std::vector<RowProblem>& out;
  bool any = false;

  void add(const ReferenceRow& row, std::string_view column, std::string message) {
    out.push_back({row.line, std::string(column), std::move(message)});
    any = true;
  }
};

bool check_identifier(const ReferenceRow& row, std::string_view column, Problems& problems) {
  const auto v = row.get(column);
  for (const char c : v) {
    if (static_cast<unsigned char>(c) < 0x20) {
      problems.add(row, column, std::string(column) + " contains a control character");
      return false;
    }
  }
  return true;
}

bool require(const ReferenceRow& row, std::string_view column, Problems& problems) {
  if (!row.get(column).empty()) return check_identifier(row, column, problems);
  problems.add(row, column, std::string(column) + " is required");
  return false;
}

/// A column import files must give and inline tests may leave out (Need::required).
bool require_in_files(const ReferenceRow& row, std::string_view column, Problems& problems) {
  if (problems.source == RowSource::inline_test && row.get(column).empty()) return true;
  return require(row, column, problems);
}

/// An empty Need::required column with its own message: a problem in an import file, the
/// default in an inline test. Returns whether the row is still good.
bool missing_in_files(const ReferenceRow& row, std::string_view column, std::string message,
                      Problems& problems) {
  if (problems.source == RowSource::inline_test) return true;
  problems.add(row, column, std::move(message));
  return false;
}

/// Empty → nullopt (ok stays true); bad text → nullopt with ok=false and a problem.
std::optional<Timestamp> date(const ReferenceRow& row, std::string_view column, bool& ok,
                              Problems& problems) {
  const auto text = row.get(column);
  if (text.empty()) return std::nullopt;
  if (auto t = event::parse_time(text)) return t;
  problems.add(
      row, column,
      std::string(column) + " '" + std::string(text) + "' is not a date (YYYY-MM-DD or RFC 3339)");
  ok = false;
  return std::nullopt;
}

/// Tracks ids already seen in this file, for "duplicate ... (also on line N)".
class SeenIds {
 public:
  bool first(const std::string& id, const ReferenceRow& row, std::string_view what,
             Problems& problems) {
    const auto [it, inserted] = lines_.try_emplace(id, row.line);
    if (inserted) return true;
    problems.add(row, {},
                 "duplicate " + std::string(what) + " '" + id + "' (also on line " +
                     std::to_string(it->second) + ")");
    return false;
  }

 private:
  std::map<std::string, std::size_t> lines_;
};

/// The optional absence columns of a staff row: a kind, a first day and an optional last.
std::optional<Absence> absence(const ReferenceRow& row, bool& ok, Problems& problems) {
  const auto kind_text = row.get("absence");
  const auto from = date(row, "absent_from", ok, problems);
  const auto to = date(row, "absent_to", ok, problems);
  if (kind_text.empty()) {
    // Dates with no kind usually mean shifted columns in the export.
    if (!row.get("absent_from").empty() || !row.get("absent_to").empty()) {
      problems.add(row, "absence", "absence dates given without an absence kind");
      ok = false;
    }
    return std::nullopt;
  }
  const auto kind = absence_kind_from_string(kind_text);
  if (!kind) {
    problems.add(row, "absence",
                 "absence '" + std::string(kind_text) +
                     "' is not one of sick, maternity, paternity, adoption, parental, "
                     "career_break, secondment, phased_return");
    ok = false;
    return std::nullopt;
  }
  if (row.get("absent_from").empty() &&
      !missing_in_files(row, "absent_from",
                        "absence '" + std::string(kind_text) + "' needs an absent_from date",
                        problems)) {
    ok = false;
    return std::nullopt;
  }
  if (from && to && *to < *from) {
    problems.add(row, "absent_to", "absent_to is before absent_from");
    ok = false;
    return std::nullopt;
  }
  return Absence{*kind, from, to};
}

std::vector<StaffRecord> validate_staff(const std::vector<ReferenceRow>& rows, Problems& problems) {
  std::vector<StaffRecord> out;
  SeenIds ids;
  SeenIds emails;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "id", problems);
    ok = require_in_files(row, "surname", problems) && ok;
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
        problems.add(row, "emails", "email '" + email + "' is not an address");
        ok = false;
        continue;
      }
      if (std::find(r.emails.begin(), r.emails.end(), email) != r.emails.end()) continue;
      if (!emails.first(email, row, "email", problems)) ok = false;
      r.emails.push_back(email);
    }

    const auto hr = row.get("hr_status");
    if (hr.empty()) {
      ok = missing_in_files(row, "hr_status",
                            "hr_status is required (active, suspended, leaving, left)", problems) &&
           ok;
    } else if (const auto status = hr_status_from_string(hr)) {
      r.hr_status = *status;
    } else {
      problems.add(
          row, "hr_status",
          "hr_status '" + std::string(hr) + "' is not one of active, suspended, leaving, left");
      ok = false;
    }
    r.leaving_date = date(row, "leaving_date", ok, problems);
    if (r.hr_status == HrStatus::leaving && !r.leaving_date && row.get("leaving_date").empty()) {
      problems.add(row, "hr_status", "hr_status 'leaving' needs a leaving_date");
      ok = false;
    }

    r.absence = absence(row, ok, problems);

    const auto level = row.get("vetting_level");
    if (!level.empty()) {
      if (const auto v = vetting_level_from_string(level)) {
        r.vetting.level = *v;
      } else {
        problems.add(row, "vetting_level",
                     "vetting_level '" + std::string(level) +
                         "' is not one of RV, MV, NPPV1, NPPV2, NPPV3, CTC, SC, DV");
        ok = false;
      }
    }
    r.vetting.granted = date(row, "vetting_granted", ok, problems);
    r.vetting.expires = date(row, "vetting_expires", ok, problems);
    const auto vstatus = lower(row.get("vetting_status"));
    if (!vstatus.empty() && vstatus != "granted" && vstatus != "lapsed" && vstatus != "withdrawn" &&
        vstatus != "pending") {
      problems.add(
          row, "vetting_status",
          "vetting_status '" + vstatus + "' is not one of granted, lapsed, withdrawn, pending");
      ok = false;
    }
    r.vetting.status = vstatus;
    // Vetting details with no level usually mean shifted columns in the export.
    if (level.empty() && (!row.get("vetting_granted").empty() ||
                          !row.get("vetting_expires").empty() || !vstatus.empty())) {
      problems.add(row, {}, "vetting details given without a vetting_level");
      ok = false;
    }
    if (r.vetting.granted && r.vetting.expires && *r.vetting.expires < *r.vetting.granted) {
      problems.add(row, "vetting_expires", "vetting_expires is before vetting_granted");
      ok = false;
    }
    if (ok) out.push_back(std::move(r));
  }
  return out;
}

/// The ';'-separated values of a list column, trimmed, empty ones and repeats dropped.
std::vector<std::string> list_values(const ReferenceRow& row, std::string_view column) {
  std::vector<std::string> out;
  std::string_view list = row.get(column);
  while (!list.empty()) {
    const auto semi = list.find(';');
    const std::string value(trim(list.substr(0, semi)));
    list.remove_prefix(semi == std::string_view::npos ? list.size() : semi + 1);
    if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end())
      out.push_back(value);
  }
  return out;
}

// A declaration rarely knows a record-system id: a party is named by party_id, else by its
// first other id, else by name and date of birth ("name:<name>/<dob>", lower-cased), which is
// then the association's key and what `state show` lists.
std::vector<Association> validate_associations(const std::vector<ReferenceRow>& rows,
                                               Problems& problems) {
  std::vector<Association> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "staff_id", problems);
    for (const auto column :
         {"party_id", "party_name", "party_dob", "party_aliases", "party_ids", "party_address"})
      ok = check_identifier(row, column, problems) && ok;
    Association a;
    a.staff_id = lower(row.get("staff_id"));
    a.party_name = row.get("party_name");
    a.party_dob = row.get("party_dob");
    a.party_aliases = list_values(row, "party_aliases");
    a.party_ids = list_values(row, "party_ids");
    for (auto& id : a.party_ids) id = lower(id);
    a.party_address = row.get("party_address");
    a.party_id = lower(row.get("party_id"));
    if (a.party_id.empty() && !a.party_ids.empty()) a.party_id = a.party_ids.front();
    if (a.party_id.empty() && !a.party_name.empty() && !a.party_dob.empty())
      a.party_id = lower("name:" + a.party_name + "/" + a.party_dob);
    if (a.party_id.empty()) {
      problems.add(row, "party_id",
                   "party_id is required (or party_ids, or party_name with party_dob)");
      ok = false;
    }
    if (!a.party_aliases.empty() && a.party_name.empty()) {
      problems.add(row, "party_aliases", "party_aliases given without a party_name");
      ok = false;
    }
    const auto kind = row.get("kind");
    if (kind.empty()) {
      ok = missing_in_files(row, "kind", "kind is required", problems) && ok;
    } else if (const auto k = association_kind_from_string(kind)) {
      a.kind = *k;
    } else {
      problems.add(row, "kind",
                   "kind '" + std::string(kind) +
                       "' is not one of media, private_investigator, criminal, family, other, "
                       "ex_partner, partner, friend, business");
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

std::vector<std::pair<std::string, VettingLevel>> validate_systems(
    const std::vector<ReferenceRow>& rows, Problems& problems) {
  std::vector<std::pair<std::string, VettingLevel>> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "system", problems);
    const std::string name = lower(row.get("system"));
    const auto text = row.get("required_vetting");
    std::optional<VettingLevel> level;
    if (text.empty()) {
      problems.add(row, "required_vetting", "required_vetting is required (RV ... DV, or none)");
      ok = false;
    } else if (!(level = vetting_level_from_string(text))) {
      problems.add(row, "required_vetting",
                   "required_vetting '" + std::string(text) +
                       "' is not one of none, RV, MV, NPPV1, NPPV2, NPPV3, CTC, SC, DV");
      ok = false;
    }
    if (ok) ok = seen.first(name, row, "system", problems);
    if (ok) out.emplace_back(name, *level);
  }
  return out;
}

std::vector<std::string> validate_list(const std::vector<ReferenceRow>& rows, Problems& problems) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const ReferenceRow& row : rows) {
    if (!require(row, "value", problems)) continue;
    std::string value = lower(row.get("value"));
    if (seen.insert(value).second) out.push_back(std::move(value));  // a list is a set
  }
  return out;
}

/// parse_bool's words (base/boolean.h, the config's and rules' grammar); empty is no. Bad
/// text → false, ok=false, a problem.
bool yes_no(const ReferenceRow& row, std::string_view column, bool& ok, Problems& problems) {
  const std::string text(trim(row.get(column)));
  if (text.empty()) return false;
  if (const auto b = parse_bool(text)) return *b;
  problems.add(row, column, std::string(column) + " '" + text + "' is not yes or no");
  ok = false;
  return false;
}

/// An email domain, lower-cased: no '@', no spaces, at least one dot. Empty stays empty.
std::string domain(const ReferenceRow& row, std::string_view column, bool& ok, Problems& problems) {
  std::string d = lower(row.get(column));
  if (d.empty()) return d;
  if (d.find_first_of("@ \t,;/") != std::string::npos || d.find('.') == std::string::npos ||
      d.front() == '.' || d.back() == '.') {
    problems.add(row, column, std::string(column) + " '" + d + "' is not an email domain");
    ok = false;
  }
  return d;
}

/// Decimal pounds ("45", "45.5", "£1250.00") → pence. Empty is 0.
std::int64_t pence(const ReferenceRow& row, std::string_view column, bool& ok, Problems& problems) {
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
    problems.add(row, column,
                 std::string(column) + " '" + std::string(row.get(column)) +
                     "' is not an amount in pounds (e.g. 45 or 45.50)");
    ok = false;
    return 0;
  }
  return pounds * 100 + fraction;
}

std::vector<BusinessInterest> validate_business_interests(const std::vector<ReferenceRow>& rows,
                                                          Problems& problems) {
  std::vector<BusinessInterest> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "staff_id", problems);
    ok = require_in_files(row, "business", problems) && ok;
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

std::vector<Gift> validate_gifts(const std::vector<ReferenceRow>& rows, Problems& problems) {
  std::vector<Gift> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "staff_id", problems);
    ok = require_in_files(row, "offeror", problems) && ok;
    Gift g;
    g.staff_id = lower(row.get("staff_id"));
    g.offeror = row.get("offeror");
    g.offeror_domain = domain(row, "offeror_domain", ok, problems);
    g.value_pence = pence(row, "value", ok, problems);
    if (row.get("date").empty()) {
      problems.add(row, "date", "date is required");
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

std::vector<TenderBid> validate_tenders(const std::vector<ReferenceRow>& rows, Problems& problems) {
  std::vector<TenderBid> out;
  SeenIds seen;
  std::map<std::string, std::pair<TenderStatus, std::size_t>> status_of;  // tender → (status, line)
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "tender_id", problems);
    ok = require_in_files(row, "supplier", problems) && ok;
    ok = require(row, "supplier_domain", problems) && ok;
    TenderBid b;
    b.tender_id = lower(row.get("tender_id"));
    b.supplier = row.get("supplier");
    b.supplier_domain = domain(row, "supplier_domain", ok, problems);
    const auto status = row.get("status");
    if (status.empty()) {
      ok =
          missing_in_files(row, "status", "status is required (open, awarded, closed)", problems) &&
          ok;
    } else if (const auto st = tender_status_from_string(status)) {
      b.status = *st;
    } else {
      problems.add(row, "status",
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
      problems.add(row, "closes", "closes is before opens");
      ok = false;
    }
    if (ok) {
      const auto [it, inserted] = status_of.try_emplace(b.tender_id, b.status, row.line);
      if (!inserted && it->second.first != b.status) {
        problems.add(row, "status",
                     "tender '" + b.tender_id + "' is " + std::string(to_string(it->second.first)) +
                         " on line " + std::to_string(it->second.second) + " but " +
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

/// A ';'-separated list cell, trimmed, lower-cased, duplicates and empties dropped.
std::vector<std::string> id_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto semi = list.find(';');
    std::string id = lower(trim(list.substr(0, semi)));
    list.remove_prefix(semi == std::string_view::npos ? list.size() : semi + 1);
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end())
      out.push_back(std::move(id));
  }
  return out;
}

std::vector<HighProfilePerson> validate_high_profile(const std::vector<ReferenceRow>& rows,
                                                     Problems& problems) {
  std::vector<HighProfilePerson> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "ref", problems);
    ok = require_in_files(row, "surname", problems) && ok;
    HighProfilePerson p;
    p.ref = lower(trim(row.get("ref")));
    p.category = trim(row.get("category"));  // free text, shown as the register writes it
    p.surname = trim(row.get("surname"));
    p.forenames = trim(row.get("forenames"));
    p.aliases = trim(row.get("aliases"));
    p.dob = trim(row.get("dob"));
    // A date of birth with no digit ("unknown", "n/k") can never be read: the row would
    // silently never match by name and date.
    if (!p.dob.empty() && !ascii_has_digit(p.dob)) {
      problems.add(row, "dob", "dob '" + p.dob + "' is not a date of birth (e.g. 1985-03-12)");
      ok = false;
    }
    p.ids = id_list(row.get("ids"));
    p.address = trim(row.get("address"));
    p.added_on = date(row, "added_on", ok, problems);
    p.until = date(row, "until", ok, problems);
    if (p.added_on && p.until && *p.until < *p.added_on) {
      problems.add(row, "until", "until is before added_on");
      ok = false;
    }
    // Nothing to find the person by: no id, no date of birth (a name alone never matches,
    // same_person) and no address.
    if (ok && p.ids.empty() && p.dob.empty() && p.address.empty() &&
        problems.source == RowSource::import_file) {
      problems.add(row, {}, "entry '" + p.ref + "' has no ids, dob or address to be found by");
      ok = false;
    }
    if (ok) ok = seen.first(p.ref, row, "high-profile entry", problems);
    if (ok) out.push_back(std::move(p));
  }
  return out;
}

// A workstation pattern: a name of letters, digits, '-', '_' and '.', ending in '*' for
// a prefix. Anything else (a '*' inside, spaces) is refused rather than guessed at.
bool is_host_pattern(std::string_view m) {
  if (!m.empty() && m.back() == '*') m.remove_suffix(1);
  if (m.empty() || m.size() > 255) return false;
  return std::all_of(m.begin(), m.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

std::vector<SiteRange> validate_sites(const std::vector<ReferenceRow>& rows, Problems& problems) {
  std::vector<SiteRange> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "site_id", problems);
    ok = require(row, "match", problems) && ok;
    SiteRange r;
    r.remote = yes_no(row, "remote", ok, problems);
    if (!r.remote) ok = require_in_files(row, "town", problems) && ok;  // a VPN has no town
    r.site_id = lower(row.get("site_id"));
    r.match = lower(row.get("match"));
    r.building = row.get("building");
    r.town = row.get("town");
    if (!r.match.empty() && !parse_ip_range(r.match) && !is_host_pattern(r.match)) {
      problems.add(row, "match",
                   "match '" + std::string(row.get("match")) +
                       "' is neither an address range (10.20.0.0/16, 2001:db8::/48) nor a "
                       "workstation name (EXW-WS-0042, or EXW-WS-* for a prefix)");
      ok = false;
    }
    const auto lat = row.get("latitude"), lon = row.get("longitude");
    if (lat.empty() != lon.empty()) {
      problems.add(row, lat.empty() ? "latitude" : "longitude",
                   "latitude and longitude are given together or not at all");
      ok = false;
    } else if (!lat.empty() && !parse_degrees(lat, 90)) {
      problems.add(row, "latitude", "latitude '" + std::string(lat) + "' is not -90..90 degrees");
      ok = false;
    } else if (!lon.empty() && !parse_degrees(lon, 180)) {
      problems.add(row, "longitude",
                   "longitude '" + std::string(lon) + "' is not -180..180 degrees");
      ok = false;
    }
    r.latitude = lat;
    r.longitude = lon;
    // One range or pattern belongs to one site; the same one under two would make the
    // answer depend on row order.
    if (ok) ok = seen.first(r.match, row, "range or workstation pattern", problems);
    if (ok) out.push_back(std::move(r));
  }
  return out;
}

std::vector<SubjectAddress> validate_subject_addresses(const std::vector<ReferenceRow>& rows,
                                                       Problems& problems) {
  std::vector<SubjectAddress> out;
  SeenIds seen;
  for (const ReferenceRow& row : rows) {
    bool ok = require(row, "subject_id", problems);
    ok = require(row, "address", problems) && ok;
    ok = check_identifier(row, "system", problems) && ok;
    SubjectAddress r;
    r.subject_id = lower(trim(row.get("subject_id")));
    r.address = trim(row.get("address"));
    r.system = lower(trim(row.get("system")));
    // One id in one system has one address; two would make the answer depend on row order.
    const std::string where = r.system.empty() ? "any system" : r.system;
    if (ok) ok = seen.first(r.subject_id + " (" + where + ")", row, "subject id", problems);
    if (ok) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::string_view ReferenceRow::get(std::string_view column) const {
  for (const auto& [name, value] : fields)
    if (name == column) return value;
  return {};
}

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
  if (k == "high_profile" || k == "high-profile" || k == "high_profile_people")
    return ImportKind::high_profile;
  if (k == "sites" || k == "site") return ImportKind::sites;
  if (k == "subject_addresses" || k == "subject_address" || k == "subject-addresses")
    return ImportKind::subject_addresses;
  return fail("state.import_kind",
              "unknown import kind '" + std::string(s) +
                  "' (expected staff, associations, systems, list, business_interests, gifts, "
                  "tenders, high_profile, sites or subject_addresses)");
}

bool is_list_column(std::string_view column) {
  return column == "emails" || column == "panel" || column == "ids" || column == "party_aliases" ||
         column == "party_ids";
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
    case ImportKind::high_profile:
      return "high_profile";
    case ImportKind::sites:
      return "sites";
    case ImportKind::subject_addresses:
      return "subject_addresses";
  }
  return "?";
}

std::span<const ImportKind> import_kinds() { return kKinds; }

std::span<const RowColumn> columns_of(ImportKind kind) {
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
    case ImportKind::high_profile:
      return kHighProfileColumns;
    case ImportKind::sites:
      return kSiteColumns;
    case ImportKind::subject_addresses:
      return kSubjectAddressColumns;
  }
  return kListColumns;
}

std::string column_names(ImportKind kind) {
  std::string out;
  for (const auto& c : columns_of(kind)) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

bool validate_rows(ImportKind kind, const std::vector<ReferenceRow>& rows, RowSource source,
                   ReferenceTables& out, std::vector<RowProblem>& problems,
                   std::string_view list_name) {
  Problems p{source, problems};
  switch (kind) {
    case ImportKind::staff:
      for (auto& r : validate_staff(rows, p)) out.staff.push_back(std::move(r));
      break;
    case ImportKind::associations:
      for (auto& r : validate_associations(rows, p)) out.associations.push_back(std::move(r));
      break;
    case ImportKind::systems:
      for (auto& r : validate_systems(rows, p)) out.systems.push_back(std::move(r));
      break;
    case ImportKind::list: {
      auto& values = out.lists[lower(trim(list_name))];
      for (auto& v : validate_list(rows, p)) values.push_back(std::move(v));
      break;
    }
    case ImportKind::business_interests:
      for (auto& r : validate_business_interests(rows, p))
        out.business_interests.push_back(std::move(r));
      break;
    case ImportKind::gifts:
      for (auto& r : validate_gifts(rows, p)) out.gifts.push_back(std::move(r));
      break;
    case ImportKind::tenders:
      for (auto& r : validate_tenders(rows, p)) out.tenders.push_back(std::move(r));
      break;
    case ImportKind::high_profile:
      for (auto& r : validate_high_profile(rows, p)) out.high_profile.push_back(std::move(r));
      break;
    case ImportKind::sites:
      for (auto& r : validate_sites(rows, p)) out.sites.push_back(std::move(r));
      break;
    case ImportKind::subject_addresses:
      for (auto& r : validate_subject_addresses(rows, p))
        out.subject_addresses.push_back(std::move(r));
      break;
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
  return !p.any;
}

}  // namespace probity::state
