// Internal to decode/: text → canonical value conversions (integers, times, lists) and the
// syslog header timestamp. Pure functions; nullopt means "not a valid X", which the
// mapper reports as decode.bad_value. Not for choosing which field to convert.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"
#include "syslog/syslog.h"

namespace probity::decode {

/// Optional sign and decimal digits only, within int64 ("12", "-3"; not "1e3", "0x1F").
std::optional<std::int64_t> parse_integer(std::string_view text);

/// Time formats a FieldMapping may name.
enum class TimeFormat : std::uint8_t { rfc3339, epoch, epoch_ms, epoch_us };
std::optional<TimeFormat> time_format_from_string(std::string_view s);  // "" is rfc3339

/// epoch formats accept a fraction ("1700000000.25"); rfc3339 uses event::parse_time.
std::optional<event::Timestamp> parse_time_as(std::string_view text, TimeFormat format);

/// The time in a syslog header. RFC 5424: RFC 3339. RFC 3164 "Mmm dd hh:mm:ss[.frac]"
/// has no year or zone: UTC is assumed, the year is that of `now`, and a result more than
/// a day after `now` is taken to be last year (a December line read on 1 January). Some
/// 3164 senders write RFC 3339; that is accepted too.
std::optional<event::Timestamp> parse_header_time(std::string_view text, syslog::Protocol protocol,
                                                  event::Timestamp now);

/// Splits "a;b;c" on ';' when there is one, else on ','; items trimmed, empty ones dropped.
std::vector<std::string> split_list(std::string_view text);

}  // namespace probity::decode
