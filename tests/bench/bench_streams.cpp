// The benchmark streams: the stress stream (generate, generate_force), and the memory
// benchmark's state (write_staff, write_list) and key stream (KeyStream). All deterministic:
// the same arguments give the same bytes, so runs and receivers see one stream.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_tool.h"

namespace probity::bench {

namespace {

// xorshift64: the same stream every run, so runs and receivers see the same events.
struct Xorshift {
  std::uint64_t x = 88172645463325252ull;
  std::uint64_t operator()() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
};

// A CSV record (RFC 4180 quoting, no embedded newlines): the fields of one line.
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

/// A CSV file with a header row; cells are read by column name, so the generator may add
/// or reorder columns.
struct CsvTable {
  std::unordered_map<std::string, std::size_t> columns;
  std::vector<std::vector<std::string>> rows;
  /// The named cell of a row, or "" (no such column, or a short row).
  const std::string& at(const std::vector<std::string>& row, const std::string& name) const {
    static const std::string kNone;
    const auto c = columns.find(name);
    return c == columns.end() || c->second >= row.size() ? kNone : row[c->second];
  }
};

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path);
  CsvTable table;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (header) {
      const auto names = csv_fields(line);
      for (std::size_t i = 0; i < names.size(); ++i) table.columns.emplace(names[i], i);
      header = false;
      continue;
    }
    table.rows.push_back(csv_fields(line));
  }
  return table;
}

/// The entries of a list in the site file ("  NAME:" then "    - 'value'" lines).
std::vector<std::string> site_list(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "  " + name + ":") {
      inside = true;
    } else if (inside && line.starts_with("    - ")) {
      std::string v = line.substr(6);
      if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"')) v = v.substr(1, v.size() - 2);
      out.push_back(v);
    } else if (inside) {
      break;
    }
  }
  return out;
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

std::string sd_escape(const std::string& v) {
  std::string out;
  for (const char c : v) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

struct Staff {
  std::string id, surname, forenames, email, address;
  std::vector<std::string> associates;
  std::vector<std::string> systems;  // those their vetting clears them for
};

int vetting_rank(const std::string& level) {
  const char* order[] = {"RV", "MV", "NPPV1", "NPPV2", "NPPV3", "CTC", "SC", "DV"};
  for (int i = 0; i < 8; ++i)
    if (level == order[i]) return i + 1;
  return 0;
}

}  // namespace

int generate(long count, const std::string& path, long staff) {
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return std::perror(path.c_str()), 1;
  const char* systems[] = {"PNC", "PND", "Niche", "STORM", "ANPR"};
  const char* actions[] = {"query", "view", "view", "print", "update"};
  const char* reasons[] = {"INC", "CRIME", "INTEL", "CUSTODY", "ADMIN"};
  Xorshift next;
  char msg[1024];
  for (long i = 0; i < count; ++i) {
    const auto r = next();
    const long sec = i / 2000;  // 2000 events per second of event time
    const int len = std::snprintf(
        msg, sizeof msg,
        "<110>1 2026-11-02T%02ld:%02ld:%02ld.%06ldZ app%02lu.force.police.uk audit - ACCESS "
        "[access@32473 user.id=\"pc%05lu\" source.system=\"%s\" action=\"%s\" "
        "subject.type=\"person\" subject.id=\"P%07lu\" reason.code=\"%s\" "
        "reason.ref=\"REF/%lu/26\" outcome=\"success\"] record consulted",
        (8 + sec / 3600) % 24, (sec / 60) % 60, sec % 60, (i % 2000) * 500, r % 40,
        (r >> 8) % static_cast<std::uint64_t>(staff), systems[(r >> 20) % 5],
        actions[(r >> 24) % 5], (r >> 28) % 5000000, reasons[(r >> 52) % 5], (r >> 40) % 90000);
    std::fprintf(out, "%d %.*s", len, len, msg);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

int generate_force(long count, const std::string& path, const std::string& dir) {
  std::vector<std::pair<std::string, int>> systems;
  const auto system_rows = read_csv(dir + "/systems.csv");
  for (const auto& r : system_rows.rows)
    systems.emplace_back(system_rows.at(r, "system"),
                         vetting_rank(system_rows.at(r, "required_vetting")));
  // Staff who can log on: serving (or working their notice), vetting granted and in date;
  // each uses the systems their vetting clears them for. Suspended staff, leavers and
  // lapsed vetting are what the rules look for, so they produce no background traffic.
  std::vector<Staff> staff;
  std::unordered_map<std::string, std::size_t> by_id;
  const auto staff_rows = read_csv(dir + "/staff.csv");
  for (const auto& r : staff_rows.rows) {
    const auto& hr = staff_rows.at(r, "hr_status");
    if ((hr != "active" && hr != "leaving") || staff_rows.at(r, "vetting_status") != "granted" ||
        staff_rows.at(r, "vetting_expires") < "2026-03-03" || !staff_rows.at(r, "absence").empty())
      continue;
    const auto& emails = staff_rows.at(r, "emails");
    Staff s{staff_rows.at(r, "id"),
            staff_rows.at(r, "surname"),
            staff_rows.at(r, "forenames"),
            emails.substr(0, emails.find(';')),
            staff_rows.at(r, "address"),
            {},
            {}};
    for (const auto& [name, need] : systems)
      if (need <= vetting_rank(staff_rows.at(r, "vetting_level"))) s.systems.push_back(name);
    if (s.systems.empty()) continue;
    by_id.emplace(s.id, staff.size());
    staff.push_back(std::move(s));
  }
  const auto associations = read_csv(dir + "/associations.csv");
  for (const auto& r : associations.rows)
    if (auto it = by_id.find(associations.at(r, "staff_id")); it != by_id.end())
      staff[it->second].associates.push_back(associations.at(r, "party_id"));
  const auto nominals = read_lines(dir + "/lists/staff_nominals.txt");
  const auto watch = read_lines(dir + "/lists/watchlist_subjects.txt");
  const auto webmail = read_lines(dir + "/lists/webmail_domains.txt");
  const auto media = read_lines(dir + "/lists/media_domains.txt");
  const auto pi = read_lines(dir + "/lists/pi_domains.txt");
  // Partner domains moved from lists/ into the site file; either is read.
  auto partner = read_lines(dir + "/lists/secure_partner_domains.txt");
  if (partner.empty()) partner = site_list(dir + "/site.yaml", "secure_partner_domains");
  if (staff.empty() || systems.empty() || nominals.empty() || watch.empty() || webmail.empty() ||
      media.empty() || pi.empty() || partner.empty()) {
    std::fprintf(stderr, "%s: not a complete synthetic force (deploy/demo/generate.py)\n",
                 dir.c_str());
    return 1;
  }
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return std::perror(path.c_str()), 1;
  const char* actions[] = {"query", "view", "view", "print", "update", "export"};
  const char* reasons[] = {"INC", "CRIME", "INTEL", "CUSTODY", "WARRANT"};
  const char* refs[] = {"INC", "CR", "INT", "CUST", "WAR"};
  const char* texts[] = {"Domestic incident", "Crime investigation", "Intelligence development",
                         "Custody record", "Outstanding warrant"};
  const char* names[] = {"Karen White", "Liam Clarke", "John Norman", "Helen Bibi",
                         "Marek Nowak", "Aisha Khan",  "Gary Hughes", "Emma Lloyd"};
  const char* others[] = {"force.police.uk", "cps.gov.uk", "example-council.gov.uk", "nhs.net",
                          "hmcts.gov.uk"};
  Xorshift next;
  auto pick = [&](const auto& v) -> const auto& { return v[next() % v.size()]; };
  std::string sd;
  char msg[2048];
  for (long i = 0; i < count; ++i) {
    const long sec = 9 * 3600 + i / 2000;  // from 09:00, 2000 events per second of event time
    char ts[40];
    std::snprintf(ts, sizeof ts, "2026-03-%02ldT%02ld:%02ld:%02ld.%03ldZ", 2 + sec / 86400,
                  (sec / 3600) % 24, (sec / 60) % 60, sec % 60, (i % 2000) / 2);
    const Staff& s = staff[next() % staff.size()];
    const auto r = next();
    int len;
    if (r % 4 != 0) {  // access
      const char* action = actions[(r >> 4) % 6];
      const auto k = (r >> 8) % 1000;
      std::string subject, name;
      if (k < 5 && !s.associates.empty())
        subject = s.associates[(r >> 20) % s.associates.size()];
      else if (k < 10)
        subject = pick(nominals);
      else if (k < 12)
        subject = pick(watch);
      else
        subject = "P" + std::to_string(1000000 + (r >> 20) % 9000000);
      if (k == 20)
        name = s.forenames + " " + s.surname;  // looks themself up
      else
        name = names[(r >> 12) % 8];
      const auto reason = (r >> 40) % 5;
      sd = "user.id=\"" + s.id + "\" source.system=\"" + pick(s.systems) + "\" client.ip=\"10.20." +
           std::to_string((r >> 24) % 250) + "." + std::to_string((r >> 32) % 250) +
           "\" action=\"" + action + "\" subject.type=\"person\" subject.id=\"" +
           sd_escape(subject) + "\" subject.name=\"" + sd_escape(name) + "\"";
      if (k == 21) sd += " query.terms=\"" + sd_escape(s.address) + "\"";
      if (k != 30) {  // one in a thousand gives no justification
        char ref[32];
        std::snprintf(ref, sizeof ref, "%s/%05lu/26", refs[reason],
                      static_cast<unsigned long>(1 + (r >> 44) % 99999));
        sd += std::string(" reason.code=\"") + reasons[reason] + "\" reason.text=\"" +
              texts[reason] + "\" reason.ref=\"" + ref + "\"";
      }
      sd += " result.count=\"1\" outcome=\"success\"";
      len = std::snprintf(msg, sizeof msg,
                          "<134>1 %s app%02lu.force.police.uk audit - ACCESS [access@32473 %s] "
                          "%s person",
                          ts, (r >> 50) % 40, sd.c_str(), action);
    } else {  // email
      const auto k = (r >> 8) % 1000;
      std::string domain = k < 20    ? pick(webmail)
                           : k < 30  ? pick(media)
                           : k < 35  ? pick(pi)
                           : k < 200 ? pick(partner)
                                     : others[(r >> 20) % 5];
      const char* direction = domain == "force.police.uk" ? "internal" : "outbound";
      const int attachments = (r >> 30) % 8 == 0 ? 1 : 0;
      sd = "email.from=\"" + sd_escape(s.email) + "\" email.to=\"contact" +
           std::to_string((r >> 40) % 500) + "@" + domain + "\" email.subject=\"Re: case update " +
           std::to_string((r >> 12) % 10000) + "\" email.direction=\"" + direction +
           "\" email.action=\"delivered\" email.message_id=\"<" + std::to_string(i) +
           "@force.police.uk>\" email.size=\"" + std::to_string(4000 + (r >> 16) % 90000) + "\"";
      if (attachments)
        sd += " email.attachments.names=\"notes.docx\" email.attachments.count=\"1\"";
      sd += " user.id=\"" + s.id + "\" gateway=\"mailgw\"";
      len = std::snprintf(msg, sizeof msg,
                          "<22>1 %s mailgw01 mailgw - EMAIL [email@32473 %s] message delivered", ts,
                          sd.c_str());
    }
    if (len <= 0 || len >= static_cast<int>(sizeof msg)) continue;
    std::fprintf(out, "%d %.*s", len, len, msg);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

std::string staff_id(long i) { return "PC" + std::to_string(100000 + i); }

int write_staff(long count, const std::string& path) {
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return std::perror(path.c_str()), 1;
  const char* surnames[] = {"Smith", "Jones", "Patel", "Hughes", "Khan", "Lloyd", "Nowak", "Reid"};
  const char* forenames[] = {"Amy", "Ben", "Chloe", "Dev", "Ellis", "Fatima", "Gary", "Hana"};
  std::fputs(
      "id,surname,forenames,emails,department,role,peer_group,address,hr_status,leaving_date,"
      "absence,absent_from,absent_to,vetting_level,vetting_granted,vetting_expires,"
      "vetting_status\n",
      out);
  // Every one serving and vetted for every system, so the key stream's look-ups are the
  // ordinary background a force sends, not an alert storm.
  for (long i = 0; i < count; ++i) {
    const char* surname = surnames[i % 8];
    const char* forename = forenames[(i / 8) % 8];
    std::fprintf(out,
                 "%s,%s,%s,%s.%s%ld@force.police.uk,Response,Constable,response-constable,"
                 "\"%ld High Street, Upton\",active,,,,,DV,2024-01-01,2030-01-01,granted\n",
                 staff_id(i).c_str(), surname, forename, forename, surname, i, 1 + i % 400);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

int write_list(long count, const std::string& path, long first) {
  FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return std::perror(path.c_str()), 1;
  for (long i = 0; i < count; ++i) std::fprintf(out, "P%ld\n", first + i);
  return std::fclose(out) == 0 ? 0 : 1;
}

std::string KeyStream::frame(long i) const {
  static const char* systems[] = {"PNC", "PND", "Niche", "ICAD", "ANPR"};
  static const char* names[] = {"Smith, John", "Khan, Aisha", "Nowak, Marek", "Lloyd, Emma"};
  // Free texts of 30 characters or more feed templated-justification, keyed by user and
  // text: four per user.
  static const char* texts[] = {
      "Enquiries in relation to an ongoing domestic abuse investigation",
      "Checking the address history before attending a concern for welfare call",
      "Background research for the intelligence development of a local network",
      "Preparing the case file for a charging decision with the CPS next week"};
  const long user = i % users;
  const long subject = i % subjects;
  const long pass = i / users;
  const long sec = 9 * 3600 + i / 2000;  // from 09:00, 2000 events per second of event time
  const char* action = pass % 2 == 0 ? "query" : "view";
  char msg[1024];
  const int len = std::snprintf(
      msg, sizeof msg,
      "<134>1 2026-03-%02ldT%02ld:%02ld:%02ld.%03ldZ app%02ld.force.police.uk audit - ACCESS "
      "[access@32473 user.id=\"%s\" source.system=\"%s\" client.ip=\"10.40.%ld.%ld\" "
      "client.host=\"EXW-WS-%04ld\" action=\"%s\" subject.type=\"person\" subject.id=\"P%ld\" "
      "subject.name=\"%s\" reason.code=\"INC\" reason.text=\"%s\" reason.ref=\"INC/%05ld/26\" "
      "result.count=\"1\" outcome=\"success\"] %s person",
      2 + sec / 86400, (sec / 3600) % 24, (sec / 60) % 60, sec % 60, (i % 2000) / 2, user % 40,
      staff_id(user).c_str(), systems[pass % 5], (user / 250) % 250, user % 250, user % 3000,
      action, 1000000 + subject, names[i % 4], texts[pass % 4], 1 + i % 99999, action);
  return std::to_string(len) + " " + std::string(msg, static_cast<std::size_t>(len));
}

}  // namespace probity::bench
