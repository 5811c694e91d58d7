// Internal to alerts/: what an alert email says, gathered once from the alert's shown view
// (AlertMail) and rendered twice, as plain text (mail_text.cpp) and as HTML (mail_html.cpp).
// Not for headers, MIME or transfer encodings (email_message.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts/alerts.h"
#include "rules/time_zone.h"

namespace probity::alerts {

/// What every alert email needs besides the alert itself.
struct MailContext {
  std::string link_base;  ///< AlertConfig::link_base; "" = no link
  rules::TimeZone zone;   ///< the zone times are shown in (UTC beside them in the evidence)
};

using NamedValues = std::vector<std::pair<std::string, std::string>>;

/// One evidence event: its time both ways and its (pseudonymised) fields in stored order.
struct MailEvidenceEvent {
  std::string time_local;  ///< "" when the event has no readable event.time
  std::string time_utc;
  NamedValues fields;
};

/// The email's content, every text plain (not yet escaped for HTML) and already the shown
/// view: nothing in here may name a person the pseudonymisation withheld.
struct AlertMail {
  bool internal = false;  ///< about Probity itself: no identity to reveal
  std::string severity;   ///< upper case: "HIGH"
  std::string title, rule_id, rule_version, alert_id, user;
  std::string event_time, raised_at;  ///< in the configured zone, with its abbreviation
  std::uint64_t count = 1;
  std::string last_seen;      ///< set when count > 1
  std::string what_happened;  ///< the rendered, pseudonymised message
  std::string why_it_matters;
  std::string what_to_do;
  std::string link;            ///< "" without alerts.link_base
  std::string reveal_command;  ///< "" for internal alerts
  NamedValues fields;
  NamedValues lookups;  ///< reference data the rule relied on
  std::vector<MailEvidenceEvent> events;
};

/// The content of the email for `alert` (its shown view is taken here: as_shown).
AlertMail alert_mail(const Alert& alert, const MailContext& context);

/// "Tue 24 Nov 2026 19:59:58 GMT (UTC+00:00)"; in UTC, "Tue 24 Nov 2026 19:59:58 UTC".
std::string local_time(event::Timestamp t, const rules::TimeZone& zone);

/// The live page's address of one alert: <link_base>?alert=ID (the page opens it after
/// login; live_page_script.cpp readFilter). "" when link_base is "".
std::string alert_link(std::string_view link_base, std::string_view alert_id);

/// The text/plain part (LF line endings, before transfer encoding).
std::string render_text(const AlertMail& mail);

/// The text/html part: every text escaped, inline styles only, no remote content, no script.
std::string render_html(const AlertMail& mail);

/// &, <, >, " and ' as character references; control bytes but tab and LF dropped.
std::string html_escape(std::string_view text);

/// Appends `text` to `out`, each of its lines after `prefix` (plain-text mail bodies).
void indent_into(std::string& out, std::string_view text, std::string_view prefix);

}  // namespace probity::alerts
