// RFC 3164 / BSD syslog as real senders write it. One fixed, documented policy (below and in
// tests/unit/syslog/README.md); no per-sender knobs. Not for RFC 5424 lines (rfc5424.cpp),
// and it never guesses a year or a zone: the TIMESTAMP is kept exactly as written.
//
// Policy, in the order the line is read:
//   PRI        "<0-191>". A malformed PRI is an error (syslog.bad_pri). No PRI at all is
//              accepted only if a TIMESTAMP follows; PRI is then 13 (user.notice), as RFC 3164
//              §4.3.3 tells a relay to assume. Callers can tell: the raw line has no '<'.
//   SP*        spaces after PRI are skipped ("<54> 1970-01-01T...").
//   TIMESTAMP  "Mmm dd hh:mm:ss" (any case, " d" or "d" days, optional .fraction) or an
//              RFC 3339 date-time (up to 9 fraction digits), followed by SP or the end. With a
//              PRI but no TIMESTAMP the rest of the line is the MSG (RFC 3164 §4.3.2);
//              with neither the line is not syslog (syslog.not_syslog).
//   HOSTNAME   the next word, unless that word is a TAG (so "haproxy[1]: x" and "su: x" have
//              no hostname, and "mymachine: x" has TAG "mymachine"): in 3164 a HOSTNAME is
//              followed by SP, a TAG by ':' or '['. Letters, digits, "-._:%/@" and non-ASCII.
//   TAG        NAME [ "[" PID "]" ] ":" followed by SP or the end; NAME is 1-48 of letters,
//              digits, "-_./@+()~%#" or non-ASCII; ":" alone is an empty TAG. A word that
//              does not end in ':' is never a TAG: "host Some message" has no TAG (go-syslog),
//              so the first word of a tag-less message is not mistaken for an app name.
//   SD         rsyslog writes RFC 5424 SD after the TAG of its own 3164 lines; it is lifted
//              into structured_data when every element is well formed and has a param.
//   MSG        the rest, leading spaces dropped; empty is nil.
#include <optional>

#include "syslog/syntax.h"
#include "syslog/syslog.h"

namespace probity::syslog {
namespace {

using detail::fail_at;

constexpr std::size_t kMaxHostname = 255;
constexpr std::size_t kMaxTagName = 48;
constexpr std::size_t kMaxPid = 128;

constexpr bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || detail::is_digit(c);
}
constexpr bool is_non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

constexpr bool is_hostname_char(char c) {
  return is_alnum(c) || is_non_ascii(c) || c == '-' || c == '.' || c == '_' || c == ':' ||
         c == '%' || c == '/' || c == '@';
}

constexpr bool is_tag_char(char c) {
  return is_alnum(c) || is_non_ascii(c) || c == '-' || c == '_' || c == '.' || c == '/' ||
         c == '@' || c == '+' || c == '(' || c == ')' || c == '~' || c == '%' || c == '#';
}

std::size_t skip_spaces(std::string_view text, std::size_t i) {
  while (i < text.size() && text[i] == ' ') ++i;
  return i;
}

std::string_view word_at(std::string_view text, std::size_t i) {
  const std::size_t end = text.find(' ', i);
  return text.substr(i, end == std::string_view::npos ? text.size() - i : end - i);
}

struct Tag {
  std::optional<std::string_view> name;  ///< empty for the bare ":" tag
  std::optional<std::string_view> pid;
};

/// A whole word of the form NAME [ "[" PID "]" ] ":" (see the policy above).
std::optional<Tag> as_tag(std::string_view word) {
  if (word.empty() || word.back() != ':') return std::nullopt;
  word.remove_suffix(1);
  Tag tag;
  if (!word.empty() && word.back() == ']') {
    const std::size_t open = word.find('[');
    if (open == std::string_view::npos) return std::nullopt;
    const std::string_view pid = word.substr(open + 1, word.size() - open - 2);
    if (pid.empty() || pid.size() > kMaxPid) return std::nullopt;
    for (const char c : pid) {
      if (!detail::is_print_us_ascii(c) || c == '[' || c == ']') return std::nullopt;
    }
    tag.pid = pid;
    word = word.substr(0, open);
    if (word.empty()) return std::nullopt;
  }
  if (word.size() > kMaxTagName) return std::nullopt;
  for (const char c : word) {
    if (!is_tag_char(c)) return std::nullopt;
  }
  if (!word.empty()) tag.name = word;
  return tag;
}

bool is_hostname(std::string_view word) {
  if (word.empty() || word.size() > kMaxHostname || word.back() == ':') return false;
  for (const char c : word) {
    if (!is_hostname_char(c)) return false;
  }
  return true;
}

/// rsyslog's own 3164 lines carry RFC 5424 SD after the TAG ("rsyslogd:  [origin ...] start").
/// Lifted only when it parses strictly, each element has a param (so "[12345.678] EXT4"
/// from the kernel stays text) and SP or the end follows. Returns where the MSG starts.
std::size_t lift_structured_data(std::string_view text, std::size_t i, SyslogMessage& m) {
  if (i >= text.size() || text[i] != '[') return i;
  std::vector<SdElement> elements;
  const auto end = detail::parse_sd_elements(text, i, elements);
  if (!end || (*end < text.size() && text[*end] != ' ')) return i;
  for (const SdElement& element : elements) {
    if (element.params.empty()) return i;
  }
  m.structured_data = std::move(elements);
  m.has_structured_data = true;
  return *end;
}

void set_message(std::string_view text, std::size_t i, SyslogMessage& m) {
  i = skip_spaces(text, i);
  if (i < text.size()) m.message = text.substr(i);
}

}  // namespace

Result<SyslogMessage> parse_rfc3164(std::string_view text) {
  SyslogMessage m;
  m.protocol = Protocol::rfc3164;
  if (text.empty()) {
    return fail_at("syslog.not_syslog", "RFC 3164 §4.1: expected '<PRI>' or a TIMESTAMP", text, 0);
  }

  std::size_t i = 0;
  const bool has_pri = text[0] == '<';
  if (has_pri) {
    const detail::Scan pri = detail::scan_pri(text, 0, m.pri);
    if (!pri.ok) {
      return fail_at("syslog.bad_pri", std::string("RFC 3164 §4.1.1: expected ") + pri.expected,
                     text, pri.end);
    }
    i = pri.end;
  } else {
    m.pri = 13;  // RFC 3164 §4.3.3: user.notice when the PRI is missing
  }
  i = skip_spaces(text, i);

  detail::Scan ts = detail::scan_bsd_stamp(text, i);
  if (!ts.ok) ts = detail::scan_rfc3339(text, i, 9);
  if (!ts.ok || (ts.end < text.size() && text[ts.end] != ' ')) {
    if (!has_pri) {
      return fail_at("syslog.not_syslog",
                     "RFC 3164 §4.1: expected '<PRI>' or a TIMESTAMP ('Mmm dd hh:mm:ss' or "
                     "RFC 3339) at the start of the message",
                     text, 0);
    }
    set_message(text, i, m);  // RFC 3164 §4.3.2: no valid TIMESTAMP, all of it is CONTENT
    return m;
  }
  m.timestamp = text.substr(i, ts.end - i);
  i = skip_spaces(text, ts.end);

  std::string_view word = word_at(text, i);
  std::optional<Tag> tag = as_tag(word);
  if (!tag && is_hostname(word)) {
    m.hostname = word;
    i = skip_spaces(text, i + word.size());
    word = word_at(text, i);
    tag = as_tag(word);
  }
  if (tag) {
    m.app_name = tag->name;
    m.proc_id = tag->pid;
    i = skip_spaces(text, i + word.size());
    i = lift_structured_data(text, i, m);
  }
  set_message(text, i, m);
  return m;
}

}  // namespace probity::syslog
