// The RFC 5322 / MIME form of an alert email: headers, the multipart/alternative of the text
// and HTML parts, and the transfer encodings that keep it valid SMTP. Not for what the email
// says (mail_content.h) or for sending it (smtp_sink.cpp).
#include "alerts/email_message.h"
#include "alerts/mail_content.h"
#include "base/ascii.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <vector>

namespace probity::alerts {

namespace {

// Header injection guard: a title is rule text, a user id comes from the log stream.
std::string single_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v =
        (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += kAlphabet[v >> 6 & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = (unsigned char)in[i] << 16;
    if (i + 1 < in.size()) v |= (unsigned char)in[i + 1] << 8;
    out += kAlphabet[v >> 18 & 63];
    out += kAlphabet[v >> 12 & 63];
    out += i + 1 < in.size() ? kAlphabet[v >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

bool needs_encoding(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

std::string message_id_domain(std::string_view from) {
  const auto at = from.rfind('@');
  if (at == std::string_view::npos) return "probity.invalid";
  std::string domain(from.substr(at + 1));
  std::erase_if(domain, [](char c) { return c == '>' || c == ' ' || c == '\r' || c == '\n'; });
  return domain.empty() ? "probity.invalid" : domain;
}

// A subject a phone can show; the full title is in the body. Cut on a UTF-8 boundary.
std::string subject_title(std::string_view title) {
  constexpr std::size_t kMax = 200;
  if (title.size() <= kMax) return std::string(title);
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(title[end]) & 0xC0) == 0x80) --end;
  return std::string(title.substr(0, end)) + "...";
}

}  // namespace

std::string rfc5322_date(event::Timestamp t) {
  using namespace std::chrono;
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const weekday wd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02ld:%02ld:%02ld +0000", kDays[wd.c_encoding()],
                unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()),
                long(hms.hours().count()), long(hms.minutes().count()),
                long(hms.seconds().count()));
  return buf;
}

std::string encode_header_value(std::string_view text) {
  if (!needs_encoding(text)) return std::string(text);
  // RFC 2047 §2: an encoded word is at most 75 characters; 45 bytes → 60 base64 chars.
  // Chunks end on UTF-8 character boundaries (§5: a character is never split).
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (end == i) end = std::min(text.size(), i + 45);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    const auto line = text.substr(start, nl == std::string_view::npos ? text.npos : nl - start);
    std::size_t col = 0;
    for (std::size_t k = 0; k < line.size(); ++k) {
      const auto u = static_cast<unsigned char>(line[k]);
      const bool last = k + 1 == line.size();
      std::string token;
      // §6.7 rule 3: trailing whitespace must be encoded or it may be stripped in transit.
      if ((u >= 33 && u <= 126 && u != '=') || ((u == ' ' || u == '\t') && !last)) {
        token = static_cast<char>(u);
      } else {
        token = {'=', kHex[u >> 4], kHex[u & 15]};
      }
      if (col + token.size() > 75) {  // soft break keeps lines at 76 with the '='
        out += "=\r\n";
        col = 0;
      }
      out += token;
      col += token.size();
    }
    if (nl == std::string_view::npos) break;
    out += "\r\n";
    start = nl + 1;
  }
  return out;
}

std::string render_body(const Alert& alert, const MailContext& context) {
  return render_text(alert_mail(alert, context));
}

namespace {

// One body as MIME carries it: 7bit when it is short-lined ASCII (readable as sent), else
// quoted-printable (RFC 2045 §6.7) so no line passes SMTP's 998 octets. CRLF endings.
struct EncodedBody {
  std::string transfer_encoding;
  std::string text;
};

EncodedBody encode_body(std::string_view body) {
  const bool plain = std::all_of(body.begin(), body.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x80 && (u >= 0x20 || c == '\n' || c == '\t') && u != 0x7f;
  });
  bool short_lines = true;
  for (std::size_t start = 0, nl; start < body.size(); start = nl + 1) {
    nl = body.find('\n', start);
    if (nl == std::string::npos) nl = body.size();
    if (nl - start > 998) short_lines = false;
  }
  if (!plain || !short_lines) return {"quoted-printable", quoted_printable(body)};
  std::string crlf;
  crlf.reserve(body.size() + body.size() / 40);
  for (char c : body) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return {"7bit", std::move(crlf)};
}

struct MessageHeaders {
  event::Timestamp date;
  std::string_view subject, id, rule;
};

void common_headers(std::string& m, const EmailConfig& cfg, const MessageHeaders& h) {
  auto header = [&m](std::string_view name, std::string_view value) {
    m.append(name).append(": ").append(value).append("\r\n");
  };
  header("Date", rfc5322_date(h.date));
  header("From", single_line(cfg.from));
  header("To", single_line(cfg.to));
  header("Subject", encode_header_value(single_line(h.subject)));
  header("Message-ID", "<probity." + single_line(h.id) + "@" + message_id_domain(cfg.from) + ">");
  header("MIME-Version", "1.0");
  header("Auto-Submitted", "auto-generated");  // RFC 3834: no vacation replies to alerts
  header("X-Probity-Alert-Id", single_line(h.id));
  if (!h.rule.empty()) header("X-Probity-Rule", encode_header_value(single_line(h.rule)));
}

// A single text/plain message (the digest).
std::string plain_message(const EmailConfig& cfg, const MessageHeaders& h, std::string_view body) {
  const EncodedBody encoded = encode_body(body);
  std::string m;
  common_headers(m, cfg, h);
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: " + encoded.transfer_encoding + "\r\n\r\n";
  m += encoded.text;
  return m;
}

// RFC 2046 §5.1.1: the boundary must occur in no part; the first that does not is taken.
std::string boundary_for(std::string_view id, const std::vector<const EncodedBody*>& parts) {
  std::string base = "=_probity_";
  for (char c : id)
    if (std::isalnum(static_cast<unsigned char>(c))) base += c;
  for (int n = 0;; ++n) {
    const std::string candidate = base + "_" + std::to_string(n);
    if (std::none_of(parts.begin(), parts.end(), [&](const EncodedBody* p) {
          return p->text.find(candidate) != std::string::npos;
        }))
      return candidate;
  }
}

// multipart/alternative (RFC 2046 §5.1.4): the plain part first, the richer HTML last.
std::string alternative_message(const EmailConfig& cfg, const MessageHeaders& h,
                                std::string_view text_body, std::string_view html_body) {
  const EncodedBody text = encode_body(text_body);
  const EncodedBody html = encode_body(html_body);
  const std::string boundary = boundary_for(h.id, {&text, &html});
  std::string m;
  common_headers(m, cfg, h);
  m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "This is an alert from Probity in plain text and HTML.\r\n";
  auto part = [&](std::string_view type, const EncodedBody& body) {
    m += "\r\n--" + boundary + "\r\n";
    m += "Content-Type: " + std::string(type) + "; charset=utf-8\r\n";
    m += "Content-Transfer-Encoding: " + body.transfer_encoding + "\r\n\r\n";
    m += body.text;
  };
  part("text/plain", text);
  part("text/html", html);
  m += "\r\n--" + boundary + "--\r\n";
  return m;
}

}  // namespace

std::string compose_email(const Alert& alert, const EmailConfig& cfg, const MailContext& context) {
  const AlertMail mail = alert_mail(alert, context);
  return alternative_message(
      cfg,
      {alert.raised_at, "[Probity][" + mail.severity + "] " + subject_title(mail.title),
       mail.alert_id, mail.rule_id},
      render_text(mail), render_html(mail));
}

std::string compose_digest(const std::vector<Alert>& alerts, std::string_view group,
                           std::string_view digest_id, event::Timestamp now, const EmailConfig& cfg,
                           const MailContext& context) {
  static constexpr std::string_view kOrder[] = {"info", "low", "medium", "high", "critical"};
  const auto rank = [](std::string_view s) {
    return std::find(std::begin(kOrder), std::end(kOrder), s) - std::begin(kOrder);
  };
  std::string worst = "low";
  std::uint64_t matches = 0;
  std::map<std::string, std::uint64_t> per_rule;
  for (const Alert& a : alerts) {
    if (rank(a.severity) > rank(worst) && rank(a.severity) < 5) worst = a.severity;
    matches += a.count;
    per_rule[a.rule_id] += 1;
  }
  const auto plural = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string b = "Probity digest for " + std::string(group) + ": " +
                  plural(alerts.size(), "alert", "alerts") + " (" +
                  plural(matches, "match", "matches") +
                  " with repeats) that this group's route sends together, or that came past a "
                  "rate limit. Every one is stored; open one with\n"
                  "  probity alerts show ID --reason \"...\"\n\nBy rule:\n";
  for (const auto& [rule, n] : per_rule) b += "  " + rule + ": " + std::to_string(n) + "\n";
  b += "\n";
  for (const Alert& alert : alerts) {
    const Alert a = as_shown(alert);
    b += local_time(a.event_time, context.zone) + "  " + to_upper(a.severity) + "  " + a.rule_id +
         "\n";
    indent_into(b, "User: " + (a.user_id.empty() ? std::string("-") : a.user_id), "  ");
    indent_into(b, a.message, "  ");
    if (a.count > 1) b += "  Seen " + std::to_string(a.count) + " times\n";
    b += "  Alert id: " + a.id + "\n";
    if (const auto link = alert_link(context.link_base, a.id); !link.empty())
      b += "  Open: " + link + "\n";
    b += "\n";
  }
  return plain_message(cfg,
                       {now,
                        "[Probity][DIGEST][" + to_upper(worst) + "] " +
                            plural(alerts.size(), "alert", "alerts") + " for " + std::string(group),
                        digest_id, ""},
                       b);
}

}  // namespace probity::alerts
