// Strict RFC 5424 (§6) parser with go-syslog's limits. Every field is a view into the input;
// the only allocations are the SD-ELEMENT/SD-PARAM vectors. Not for BSD lines (rfc3164.cpp)
// and not lenient: a line that breaks §6 is an error with a stable code and a byte offset.
//
// Grammar (RFC 5424 §6, with the limits go-syslog enforces):
//   SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
//   HEADER     = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
//   PRI        = "<" PRIVAL ">"            ; 0-191, no leading zero
//   VERSION    = NONZERO-DIGIT 0*2DIGIT    ; 1-999
//   TIMESTAMP  = "-" / FULL-DATE "T" FULL-TIME   ; §6.2.3, fraction 1-6 digits
//   HOSTNAME   = "-" / 1*255PRINTUSASCII   APP-NAME = "-" / 1*48PRINTUSASCII
//   PROCID     = "-" / 1*128PRINTUSASCII   MSGID    = "-" / 1*32PRINTUSASCII
//   STRUCTURED-DATA = "-" / 1*SD-ELEMENT   ; §6.3, see syntax.cpp
//   MSG        = MSG-ANY / MSG-UTF8        ; the only place an LF may appear
//
// Policy on MSG (§6.4): a MSG that starts with a BOM claims to be UTF-8 and MUST be; we
// reject it when it is not (go-syslog's WithCompliantMsg mode; syslog.bad_utf8). A MSG
// without a BOM is MSG-ANY and is taken as bytes. See tests/unit/syslog/README.md.
#include <optional>

#include "base/json_text.h"
#include "syslog/syntax.h"
#include "syslog/syslog.h"

namespace probity::syslog {
namespace {

using detail::fail_at;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct HeaderField {
  const char* name;
  std::size_t max_length;
  const char* code;
  const char* expected;  ///< what the error says was expected
};

constexpr HeaderField kHostname{"HOSTNAME", 255, "syslog.bad_hostname",
                                "RFC 5424 §6.2.4: expected HOSTNAME (1-255 printable US-ASCII "
                                "characters) or '-'"};
constexpr HeaderField kAppName{"APP-NAME", 48, "syslog.bad_app_name",
                               "RFC 5424 §6.2.5: expected APP-NAME (1-48 printable US-ASCII "
                               "characters) or '-'"};
constexpr HeaderField kProcId{"PROCID", 128, "syslog.bad_proc_id",
                              "RFC 5424 §6.2.6: expected PROCID (1-128 printable US-ASCII "
                              "characters) or '-'"};
constexpr HeaderField kMsgId{"MSGID", 32, "syslog.bad_msg_id",
                             "RFC 5424 §6.2.7: expected MSGID (1-32 printable US-ASCII "
                             "characters) or '-'"};

/// One of the four PRINTUSASCII header fields followed by its SP; "-" is nil.
Result<std::optional<std::string_view>> parse_header_field(std::string_view text, std::size_t& i,
                                                           const HeaderField& field) {
  const std::size_t start = i;
  while (i < text.size() && detail::is_print_us_ascii(text[i])) {
    if (i - start == field.max_length) return fail_at(field.code, field.expected, text, i);
    ++i;
  }
  if (i == start) return fail_at(field.code, field.expected, text, i);
  if (i >= text.size() || text[i] != ' ') {
    return fail_at(
        field.code,
        std::string("RFC 5424 §6: expected SP after ") + field.name + " (printable US-ASCII only)",
        text, i);
  }
  const std::string_view value = text.substr(start, i - start);
  ++i;
  if (value == "-") return std::optional<std::string_view>{};
  return std::optional<std::string_view>{value};
}

}  // namespace

Result<SyslogMessage> parse_rfc5424(std::string_view text) {
  SyslogMessage m;
  m.protocol = Protocol::rfc5424;
  std::size_t i = 0;

  // §6.2.1 PRI
  const detail::Scan pri = detail::scan_pri(text, i, m.pri);
  if (!pri.ok) {
    return fail_at("syslog.bad_pri", std::string("RFC 5424 §6.2.1: expected ") + pri.expected, text,
                   pri.end);
  }
  i = pri.end;

  // §6.2.2 VERSION = NONZERO-DIGIT 0*2DIGIT
  const std::size_t version_at = i;
  int version = 0;
  while (i < text.size() && detail::is_digit(text[i]) && i - version_at < 3) {
    if (i == version_at && text[i] == '0') break;
    version = version * 10 + (text[i] - '0');
    ++i;
  }
  if (i == version_at) {
    return fail_at("syslog.bad_version", "RFC 5424 §6.2.2: expected VERSION 1-999", text, i);
  }
  if (i >= text.size() || text[i] != ' ') {
    return fail_at("syslog.bad_version",
                   "RFC 5424 §6.2.2: expected SP after VERSION (1-999, at most 3 digits)", text, i);
  }
  m.version = static_cast<std::uint16_t>(version);
  ++i;

  // §6.2.3 TIMESTAMP
  if (i < text.size() && text[i] == '-') {
    ++i;
  } else {
    const detail::Scan ts = detail::scan_rfc3339(text, i, 6);
    if (!ts.ok) {
      return fail_at(
          "syslog.bad_timestamp",
          std::string("RFC 5424 §6.2.3: expected '-' or an RFC 3339 TIMESTAMP: ") + ts.expected,
          text, ts.end);
    }
    m.timestamp = text.substr(i, ts.end - i);
    i = ts.end;
  }
  if (i >= text.size() || text[i] != ' ') {
    return fail_at("syslog.bad_timestamp", "RFC 5424 §6: expected SP after TIMESTAMP", text, i);
  }
  ++i;

  // §6.2.4-§6.2.7
  for (auto [field, slot] : {std::pair{&kHostname, &m.hostname}, std::pair{&kAppName, &m.app_name},
                             std::pair{&kProcId, &m.proc_id}, std::pair{&kMsgId, &m.msg_id}}) {
    auto value = parse_header_field(text, i, *field);
    if (!value) return tl::unexpected(std::move(value.error()));
    *slot = *value;
  }

  // §6.3 STRUCTURED-DATA
  if (i < text.size() && text[i] == '-') {
    ++i;
  } else if (i < text.size() && text[i] == '[') {
    auto end = detail::parse_sd_elements(text, i, m.structured_data);
    if (!end) return tl::unexpected(std::move(end.error()));
    m.has_structured_data = true;
    i = *end;
  } else {
    return fail_at("syslog.bad_structured_data",
                   "RFC 5424 §6.3: expected STRUCTURED-DATA ('-' or '[' SD-ID ...)", text, i);
  }

  // §6.4 MSG
  if (i == text.size()) return m;
  if (text[i] != ' ') {
    return fail_at("syslog.bad_structured_data",
                   "RFC 5424 §6: expected SP before MSG or the end of the message after "
                   "STRUCTURED-DATA",
                   text, i);
  }
  ++i;
  if (i == text.size()) return m;  // "... - " : an empty MSG is nil, as in go-syslog
  const std::string_view msg = text.substr(i);
  if (msg.starts_with(kBom)) {
    const std::size_t bad = find_invalid_utf8(msg.substr(kBom.size()));
    if (bad != std::string_view::npos) {
      return fail_at("syslog.bad_utf8",
                     "RFC 5424 §6.4: expected valid UTF-8 in a MSG that starts with a BOM", text,
                     i + kBom.size() + bad);
    }
  }
  m.message = msg;
  return m;
}

}  // namespace probity::syslog
