// AlertMail: the words of an alert email, from the alert's shown view, the rule's
// description and guidance, and the configured zone. Not for layout (mail_text.cpp,
// mail_html.cpp) or MIME (email_message.cpp).
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "alerts/mail_content.h"
#include "base/ascii.h"

namespace probity::alerts {

namespace {

using Json = nlohmann::ordered_json;

// Probity's own alerts come from no rule file: they say here why they matter.
constexpr std::string_view kInternalWhy =
    "This alert is about Probity itself, not about a member of staff. Until it is dealt with, "
    "Probity is not watching for everything the PSD expects it to.";
constexpr std::string_view kInternalWhatToDo =
    "Pass it to the Probity administrators. The message above says what went wrong; the "
    "daemon's log has the detail, and `probity rules check` shows rule-file errors with their "
    "file and line. No identity is involved, so there is nothing to reveal.";
constexpr std::string_view kNoGuidance =
    "The rule gives no guidance. Review the evidence below, then open the alert on the live "
    "page to acknowledge, assign or dismiss it.";

// "2026-11-24T19:59:58Z": the UTC instant to the second, as evidence quotes it.
std::string utc_time(event::Timestamp t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  return buf;
}

std::string value_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) out += (out.empty() ? "" : ", ") + value_text(item);
    return out;
  }
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

MailEvidenceEvent evidence_event(const std::string& event_json, const rules::TimeZone& zone) {
  MailEvidenceEvent out;
  const Json j = Json::parse(event_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    out.fields.emplace_back("event", event_json);  // not JSON: still evidence, shown as is
    return out;
  }
  for (const auto& [name, value] : j.items()) out.fields.emplace_back(name, value_text(value));
  if (const auto it = j.find("event.time"); it != j.end() && it->is_string())
    if (const auto t = event::parse_time(it->get<std::string>())) {
      out.time_local = local_time(*t, zone);
      out.time_utc = utc_time(*t);
    }
  return out;
}

// A folded YAML scalar ends in a newline; the email's layout adds its own.
std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

bool unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

}  // namespace

std::string local_time(event::Timestamp t, const rules::TimeZone& zone) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto utc = floor<seconds>(t);
  const std::int32_t offset = zone.offset_at(utc.time_since_epoch().count());
  const auto local = utc + seconds(offset);
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  std::string abbreviation = zone.abbreviation_at(utc.time_since_epoch().count());
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s %u %s %04d %02ld:%02ld:%02ld",
                kDays[weekday{day}.c_encoding()], unsigned(ymd.day()),
                kMonths[unsigned(ymd.month()) - 1], int(ymd.year()), long(hms.hours().count()),
                long(hms.minutes().count()), long(hms.seconds().count()));
  std::string out = buf;
  if (offset == 0 && (abbreviation == "UTC" || abbreviation.empty())) return out + " UTC";
  const std::int32_t magnitude = std::abs(offset);
  std::snprintf(buf, sizeof buf, " (UTC%c%02d:%02d)", offset < 0 ? '-' : '+', magnitude / 3600,
                magnitude / 60 % 60);
  if (!abbreviation.empty()) out += " " + abbreviation;
  return out + buf;
}

std::string alert_link(std::string_view link_base, std::string_view alert_id) {
  if (link_base.empty()) return {};
  std::string out(link_base);
  out += link_base.find('?') == std::string_view::npos ? "?alert=" : "&alert=";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : alert_id) {
    if (unreserved(c)) {
      out += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      out += {'%', kHex[u >> 4], kHex[u & 15]};
    }
  }
  return out;
}

AlertMail alert_mail(const Alert& alert, const MailContext& context) {
  // Mail leaves the force's audited store: only the shown view goes out.
  const Alert a = as_shown(alert);
  AlertMail m;
  m.internal = is_internal(a);
  m.severity = to_upper(a.severity);
  m.title = a.title;
  m.rule_id = a.rule_id;
  m.rule_version = a.rule_version;
  m.alert_id = a.id;
  m.user = a.user_id;
  m.event_time = local_time(a.event_time, context.zone);
  m.raised_at = local_time(a.raised_at, context.zone);
  m.count = a.count;
  if (a.count > 1 && a.last_seen != event::Timestamp{})
    m.last_seen = local_time(a.last_seen, context.zone);
  m.what_happened = trimmed(a.message);
  m.why_it_matters = trimmed(!a.description.empty() ? a.description
                             : m.internal           ? std::string(kInternalWhy)
                                                    : a.title);
  m.what_to_do = trimmed(!a.guidance.empty() ? a.guidance
                         : m.internal        ? std::string(kInternalWhatToDo)
                                             : std::string(kNoGuidance));
  m.link = alert_link(context.link_base, a.id);
  if (!m.internal) m.reveal_command = "probity alerts show " + a.id + " --reason \"...\"";
  m.fields = a.fields;
  m.lookups = a.lookups;
  for (const auto& e : a.events_json) m.events.push_back(evidence_event(e, context.zone));
  return m;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') break;
        if (c == 0x7f) break;
        out += c;
    }
  }
  return out;
}

void indent_into(std::string& out, std::string_view text, std::string_view prefix) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    const auto line = text.substr(start, nl == std::string_view::npos ? text.npos : nl - start);
    out += prefix;
    out += line;
    out += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

}  // namespace probity::alerts
