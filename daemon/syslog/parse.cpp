// parse_syslog (which parser a line goes to) and unescape_param_value. The dispatch looks at
// the first few bytes only; it never retries the other parser after a failure, so a line that
// claims RFC 5424 and breaks it comes back as that RFC 5424 error, not as a guessed BSD line.
#include "syslog/syntax.h"
#include "syslog/syslog.h"

namespace probity::syslog {

Result<SyslogMessage> parse_syslog(std::string_view bytes) {
  // RFC 5424 §6: "<PRI>VERSION SP". A BSD line has a month name or an RFC 3339 date (four
  // digits and '-') after the PRI, so 1-3 digits followed by SP or the end mean 5424.
  std::uint8_t pri = 0;
  const detail::Scan scan = detail::scan_pri(bytes, 0, pri);
  if (scan.ok) {
    std::size_t i = scan.end;
    while (i < bytes.size() && detail::is_digit(bytes[i]) && i - scan.end < 4) ++i;
    const std::size_t digits = i - scan.end;
    if (digits >= 1 && digits <= 3 && (i == bytes.size() || bytes[i] == ' ')) {
      return parse_rfc5424(bytes);
    }
  }
  return parse_rfc3164(bytes);
}

std::string unescape_param_value(std::string_view raw) {
  // RFC 5424 §6.3.3: only \" \\ \] are escapes; any other backslash stays as written.
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() &&
        (raw[i + 1] == '"' || raw[i + 1] == '\\' || raw[i + 1] == ']')) {
      ++i;
    }
    out += raw[i];
  }
  return out;
}

}  // namespace probity::syslog
