// RFC 5424 and RFC 3164 message parsers: pure functions from the bytes of one message
// to a SyslogMessage whose text fields are views into those bytes. No I/O, no framing
// (see ingest/framing.h), no payload decoding (see decode/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace probity::syslog {

enum class Protocol : std::uint8_t { rfc5424, rfc3164 };

/// One SD-PARAM. `value` is the raw text between the quotes; when `escaped` is true it
/// still holds RFC 5424 §6.3.3 escapes and must go through unescape_param_value().
struct SdParam {
  std::string_view name;
  std::string_view value;
  bool escaped = false;
};

struct SdElement {
  std::string_view id;
  std::vector<SdParam> params;
};

/// A parsed message. All views point into the buffer given to the parser, which must
/// outlive this value. Absent / nil ("-") fields are empty optionals.
struct SyslogMessage {
  Protocol protocol = Protocol::rfc5424;
  std::uint8_t pri = 0;                       ///< facility * 8 + severity
  std::optional<std::uint16_t> version;       ///< 5424 only
  std::optional<std::string_view> timestamp;  ///< exactly as written
  std::optional<std::string_view> hostname;
  std::optional<std::string_view> app_name;  ///< 3164: the TAG
  std::optional<std::string_view> proc_id;
  std::optional<std::string_view> msg_id;   ///< 5424 only
  std::vector<SdElement> structured_data;   ///< empty for "-"
  bool has_structured_data = false;         ///< false for "-" / absent
  std::optional<std::string_view> message;  ///< MSG, BOM kept

  std::uint8_t facility() const { return pri >> 3; }
  std::uint8_t severity() const { return pri & 7; }
};

/// Strict RFC 5424 (§6). Errors carry a stable code and the byte offset in pos.offset.
Result<SyslogMessage> parse_rfc5424(std::string_view bytes);

/// RFC 3164 / BSD syslog as real senders write it (see rfc3164.cpp for the policy on
/// missing hostnames, RFC 3339 timestamps and the like).
Result<SyslogMessage> parse_rfc3164(std::string_view bytes);

/// Picks the parser: "<PRI>" followed by a version digit is 5424, otherwise 3164.
Result<SyslogMessage> parse_syslog(std::string_view bytes);

/// Resolves \" \\ \] in an SD-PARAM value (other backslashes are kept, §6.3.3).
std::string unescape_param_value(std::string_view raw);

}  // namespace probity::syslog
