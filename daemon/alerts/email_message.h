// Internal to alerts/: the RFC 5322 text of an alert email, shared by the SMTP and the
// mailbox sinks. Not for transport: no sockets or files here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alerts/alerts.h"
#include "alerts/mail_content.h"

namespace probity::alerts {

/// The whole message with CRLF line endings (RFC 5322 §2.1): multipart/alternative of a
/// text/plain and a text/html part (RFC 2046 §5.1.4) saying the same (mail_content.h). Header
/// values are stripped of CR/LF and RFC 2047-encoded when not ASCII; each part is 7bit when it
/// can be, else quoted-printable (RFC 2045 §6.7) so no line exceeds SMTP's 998 octets.
/// The content is the alert's shown view (as_shown): mail never carries what the reveal guards.
std::string compose_email(const Alert& alert, const EmailConfig& cfg, const MailContext& context);

/// One text/plain message to recipient group `group` listing alerts held for its digest
/// (their shown views: local time, severity, rule, user, message, repeats, id, link) with
/// a count per rule; the subject carries the worst severity.
std::string compose_digest(const std::vector<Alert>& alerts, std::string_view group,
                           std::string_view digest_id, event::Timestamp now, const EmailConfig& cfg,
                           const MailContext& context);

/// The text part before transfer encoding (LF line endings); exposed for tests.
std::string render_body(const Alert& alert, const MailContext& context);

/// RFC 5322 §3.3 date-time in UTC ("Tue, 24 Nov 2026 20:00:00 +0000").
std::string rfc5322_date(event::Timestamp t);

/// RFC 2047 B-encoded words when text has non-ASCII or control bytes, else text itself.
std::string encode_header_value(std::string_view text);

/// RFC 2045 §6.7 quoted-printable of LF-separated text, CRLF line endings, lines ≤ 76.
std::string quoted_printable(std::string_view text);

}  // namespace probity::alerts
