// The text/plain part of an alert email: what happened, why it matters, what to do next,
// where to open it and how to reveal the identity, then the evidence; readable on a phone.
// Not for HTML (mail_html.cpp) or transfer encoding (email_message.cpp).
#include "alerts/mail_content.h"

namespace probity::alerts {

namespace {

void section(std::string& out, std::string_view heading, std::string_view text) {
  out += "\n";
  out += heading;
  out += "\n";
  indent_into(out, text, "  ");
}

void named_values(std::string& out, const NamedValues& values, std::string_view prefix) {
  for (const auto& [name, value] : values) indent_into(out, name + ": " + value, prefix);
}

}  // namespace

std::string render_text(const AlertMail& m) {
  std::string b;
  b += "Probity raised a " + m.severity + " alert.\n\n";
  b += "Title:      " + m.title + "\n";
  b += "Rule:       " + m.rule_id;
  if (!m.rule_version.empty()) b += " (version " + m.rule_version + ")";
  b += "\nSeverity:   " + m.severity + "\n";
  if (!m.user.empty()) b += "User:       " + m.user + "\n";
  b += "Event time: " + m.event_time + "\n";
  b += "Raised at:  " + m.raised_at + "\n";
  if (m.count > 1)
    b += "Repeats:    " + std::to_string(m.count) + " matches" +
         (m.last_seen.empty() ? "" : ", the latest at " + m.last_seen) + "\n";
  b += "Alert id:   " + m.alert_id + "\n";
  if (!m.link.empty()) b += "Open:       " + m.link + "\n";

  section(b, "What happened", m.what_happened);
  section(b, "Why it matters", m.why_it_matters);
  section(b, "What to do next", m.what_to_do);
  if (!m.reveal_command.empty()) {
    std::string how =
        "Names of staff above are pseudonyms (PSN-...). With a reason (a case reference), an "
        "investigator allowed to reveal can see the real identity; the reveal is recorded in "
        "the consultation trail.\n"
        "  On the command line: " +
        m.reveal_command + "\n";
    how += m.link.empty() ? "  On the live page: open alert " + m.alert_id + " and choose Reveal."
                          : "  On the live page: open the link above and choose Reveal.";
    section(b, "Revealing the identity", how);
  }

  b += "\nEvidence\n";
  if (!m.fields.empty()) {
    b += "  Fields\n";
    named_values(b, m.fields, "    ");
  }
  if (!m.lookups.empty()) {
    b += "  Reference data used\n";
    named_values(b, m.lookups, "    ");
  }
  b += "  Events (" + std::to_string(m.events.size()) +
       (m.events.size() == 1 ? " event)\n" : " events)\n");
  for (std::size_t i = 0; i < m.events.size(); ++i) {
    const MailEvidenceEvent& e = m.events[i];
    b += "  [" + std::to_string(i + 1) + "]";
    if (!e.time_utc.empty()) b += " " + e.time_local + "; UTC " + e.time_utc;
    b += "\n";
    named_values(b, e.fields, "    ");
  }
  return b;
}

}  // namespace probity::alerts
