// The text/html part of an alert email: the same content as the text part, laid out for a
// desktop mail client. Safe by construction: every text goes through html_escape, styles
// are inline, and there is no image, stylesheet, font or script to fetch or run.
// Not for the text part (mail_text.cpp) or transfer encoding (email_message.cpp).
#include "alerts/mail_content.h"

namespace probity::alerts {

namespace {

constexpr std::string_view kHeading =
    "font-size:16px;margin:20px 0 6px 0;padding-bottom:2px;border-bottom:1px solid #ccc;";
constexpr std::string_view kCell = "padding:2px 12px 2px 0;vertical-align:top;";
constexpr std::string_view kName = "padding:2px 12px 2px 0;vertical-align:top;color:#555;";
constexpr std::string_view kCode =
    "font-family:Consolas,Menlo,monospace;background:#f3f3f3;padding:1px 4px;";

// Escaped, with line breaks kept.
std::string text(std::string_view s) {
  std::string out;
  for (const char c : html_escape(s)) {
    if (c == '\n') {
      out += "<br>\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string severity_colour(std::string_view severity) {
  if (severity == "CRITICAL") return "#8b0000";
  if (severity == "HIGH") return "#c0392b";
  if (severity == "MEDIUM") return "#b9770e";
  return "#2e4053";
}

void heading(std::string& out, std::string_view title) {
  out += "<h2 style=\"" + std::string(kHeading) + "\">" + text(title) + "</h2>\n";
}

void paragraph(std::string& out, std::string_view body) {
  out += "<p style=\"margin:0 0 8px 0;\">" + text(body) + "</p>\n";
}

void row(std::string& out, std::string_view name, std::string_view value) {
  out += "<tr><td style=\"" + std::string(kName) + "\">" + text(name) + "</td><td style=\"" +
         std::string(kCell) + "\">" + text(value) + "</td></tr>\n";
}

void table(std::string& out, const NamedValues& values) {
  out += "<table style=\"border-collapse:collapse;font-size:13px;\">\n";
  for (const auto& [name, value] : values) row(out, name, value);
  out += "</table>\n";
}

}  // namespace

std::string render_html(const AlertMail& m) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>" + text(m.title) + "</title>\n</head>\n";
  h += "<body style=\"margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;"
       "font-size:14px;line-height:1.4;color:#1a1a1a;background:#ffffff;\">\n";
  h += "<div style=\"max-width:720px;\">\n";
  h += "<p style=\"margin:0 0 4px 0;\"><span style=\"display:inline-block;padding:2px 8px;"
       "color:#ffffff;font-weight:bold;background:" +
       severity_colour(m.severity) + ";\">" + text(m.severity) + "</span> Probity alert</p>\n";
  h += "<h1 style=\"font-size:20px;margin:4px 0 12px 0;\">" + text(m.title) + "</h1>\n";

  NamedValues summary;
  if (!m.user.empty()) summary.emplace_back("User", m.user);
  summary.emplace_back("Event time", m.event_time);
  summary.emplace_back("Raised at", m.raised_at);
  if (m.count > 1)
    summary.emplace_back("Repeats",
                         std::to_string(m.count) + " matches" +
                             (m.last_seen.empty() ? "" : ", the latest at " + m.last_seen));
  summary.emplace_back(
      "Rule",
      m.rule_id + (m.rule_version.empty() ? std::string() : " (version " + m.rule_version + ")"));
  summary.emplace_back("Alert id", m.alert_id);
  table(h, summary);

  heading(h, "What happened");
  paragraph(h, m.what_happened);
  heading(h, "Why it matters");
  paragraph(h, m.why_it_matters);
  heading(h, "What to do next");
  paragraph(h, m.what_to_do);
  if (!m.link.empty())
    h += "<p style=\"margin:12px 0;\"><a href=\"" + html_escape(m.link) +
         "\" style=\"display:inline-block;padding:6px 14px;background:#1f4e79;color:#ffffff;"
         "text-decoration:none;\">Open the alert on the live page</a></p>\n";

  if (!m.reveal_command.empty()) {
    heading(h, "Revealing the identity");
    paragraph(h,
              "Names of staff above are pseudonyms (PSN-...). With a reason (a case reference), "
              "an investigator allowed to reveal can see the real identity; the reveal is "
              "recorded in the consultation trail.");
    h += "<p style=\"margin:0 0 8px 0;\">On the command line: <code style=\"" + std::string(kCode) +
         "\">" + text(m.reveal_command) + "</code><br>\n";
    h += m.link.empty() ? "On the live page: open alert " + text(m.alert_id) + " and choose Reveal."
                        : std::string("On the live page: open the alert and choose Reveal.");
    h += "</p>\n";
  }

  heading(h, "Evidence");
  if (!m.fields.empty()) {
    h += "<p style=\"margin:8px 0 4px 0;font-weight:bold;\">Fields</p>\n";
    table(h, m.fields);
  }
  if (!m.lookups.empty()) {
    h += "<p style=\"margin:8px 0 4px 0;font-weight:bold;\">Reference data used</p>\n";
    table(h, m.lookups);
  }
  for (std::size_t i = 0; i < m.events.size(); ++i) {
    const MailEvidenceEvent& e = m.events[i];
    std::string caption =
        "Event " + std::to_string(i + 1) + " of " + std::to_string(m.events.size());
    if (!e.time_utc.empty()) caption += ": " + e.time_local + "; UTC " + e.time_utc;
    h += "<p style=\"margin:10px 0 4px 0;font-weight:bold;\">" + text(caption) + "</p>\n";
    table(h, e.fields);
  }
  h += "</div>\n</body>\n</html>\n";
  return h;
}

}  // namespace probity::alerts
