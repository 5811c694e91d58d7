// Building blocks shared by the RFC 5424 and RFC 3164 parsers in this folder: PRI,
// timestamps, SD-ELEMENTs, UTF-8 checks. Internal to syslog/; the public API is syslog.h.
// Everything here reads a string_view and reports how far it got; nothing allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "syslog/syslog.h"

namespace probity::syslog::detail {

/// How a scan went: `ok` with `end` one past the last byte consumed, or not ok with
/// `end` at the offending byte and `expected` naming what should have been there.
struct Scan {
  bool ok = false;
  std::size_t end = 0;
  const char* expected = "";
};

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
/// RFC 5424 §6: PRINTUSASCII = %d33-126.
constexpr bool is_print_us_ascii(char c) { return c >= 33 && c <= 126; }

/// RFC 5424 §6.2.1 / RFC 3164 §4.1.1: "<" PRIVAL ">" with PRIVAL 0-191 in 1-3 digits and
/// no leading zero (go-syslog's rule; "<0>" itself is fine). Starts at `at`.
Scan scan_pri(std::string_view text, std::size_t at, std::uint8_t& pri);

/// RFC 3339 date-time as restricted by RFC 5424 §6.2.3: upper-case "T" and "Z", seconds
/// 00-59, at most `max_fraction_digits` fraction digits, offset hours 00-23, and a day that
/// exists in that month and year. Starts at `at`; does not look past the offset.
Scan scan_rfc3339(std::string_view text, std::size_t at, int max_fraction_digits);

/// RFC 3164 §4.1.2 TIMESTAMP "Mmm dd hh:mm:ss" as real senders write it: month in any case,
/// day as "dd", " d" or "d", an optional ".fraction" (up to 6 digits). Starts at `at`.
Scan scan_bsd_stamp(std::string_view text, std::size_t at);

/// RFC 5424 §6.3: one or more SD-ELEMENTs starting at `at` (which holds '['), appended to
/// `out`. Rejects duplicate SD-IDs (§6.3.2) and bad escapes (§6.3.3). Returns the offset
/// one past the last ']'; on error `out` may hold a partial element.
Result<std::size_t> parse_sd_elements(std::string_view text, std::size_t at,
                                      std::vector<SdElement>& out);

/// A parse failure at `offset`: the message is "<what>, found <the byte there> (byte N)".
tl::unexpected<Error> fail_at(const char* code, std::string_view what, std::string_view text,
                              std::size_t offset);

}  // namespace probity::syslog::detail
