// Canonical value conversions for decode/ (see values.h). Strict on purpose: a value
// that is almost a number is reported, not guessed at.
#include "decode/values.h"

#include <array>
#include <charconv>
#include <chrono>

#include "decode/text.h"

namespace probity::decode {

std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<TimeFormat> time_format_from_string(std::string_view s) {
  if (s.empty() || s == "rfc3339") return TimeFormat::rfc3339;
  if (s == "epoch") return TimeFormat::epoch;
  if (s == "epoch_ms") return TimeFormat::epoch_ms;
  if (s == "epoch_us") return TimeFormat::epoch_us;
  return std::nullopt;
}

namespace {

// Epoch values in `unit_us` microseconds per unit, with an optional fraction; bounded to
// years 1970..9999 so hostile values cannot overflow.
std::optional<event::Timestamp> parse_epoch(std::string_view text, std::int64_t unit_us) {
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  if (whole.empty() || whole.front() == '-' || whole.front() == '+') return std::nullopt;
  const auto units = parse_integer(whole);
  constexpr std::int64_t kMaxMicros = 253402300799LL * 1000000;  // 9999-12-31T23:59:59Z
  if (!units || *units > kMaxMicros / unit_us) return std::nullopt;
  std::int64_t micros = *units * unit_us;
  if (dot != std::string_view::npos) {
    const std::string_view frac = text.substr(dot + 1);
    if (frac.empty()) return std::nullopt;
    std::int64_t scale = unit_us;
    for (const char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
      scale /= 10;  // digits finer than a microsecond are dropped
      micros += (c - '0') * scale;
    }
  }
  return event::Timestamp{std::chrono::microseconds{micros}};
}

std::optional<event::Timestamp> parse_bsd_time(std::string_view s, event::Timestamp now) {
  using namespace std::chrono;
  static constexpr std::array<std::string_view, 12> kMonths{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Mmm dd hh:mm:ss": 15 characters, the day space-padded ("Nov  4").
  if (s.size() < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
    return std::nullopt;
  unsigned mon = 0;
  while (mon < 12 && !iequals(kMonths[mon], s.substr(0, 3))) ++mon;
  if (mon == 12) return std::nullopt;
  const auto digit = [&](std::size_t i) -> int {
    return (s[i] >= '0' && s[i] <= '9') ? s[i] - '0' : -1;
  };
  const int d1 = s[4] == ' ' ? 0 : digit(4);
  const int d2 = digit(5), h1 = digit(7), h2 = digit(8), m1 = digit(10), m2 = digit(11),
            s1 = digit(13), s2 = digit(14);
  if (d1 < 0 || d2 < 0 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 || s1 < 0 || s2 < 0)
    return std::nullopt;
  const int day_of_month = d1 * 10 + d2, hour = h1 * 10 + h2, minute = m1 * 10 + m2,
            second = s1 * 10 + s2;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::int64_t micros = 0;
  if (s.size() > 15) {  // some senders add ".mmm"
    if (s[15] != '.' || s.size() == 16) return std::nullopt;
    std::int64_t scale = 1000000;
    for (const char c : s.substr(16)) {
      if (c < '0' || c > '9') return std::nullopt;
      scale /= 10;
      micros += (c - '0') * scale;
    }
  }
  const auto at_year = [&](year y) -> std::optional<event::Timestamp> {
    const year_month_day ymd{y, month{mon + 1}, day{unsigned(day_of_month)}};
    if (!ymd.ok()) return std::nullopt;  // Feb 29 outside a leap year
    return event::Timestamp{sys_days{ymd}} + hours{hour} + minutes{minute} + seconds{second} +
           microseconds{micros};
  };
  const year this_year = year_month_day{floor<days>(now)}.year();
  auto t = at_year(this_year);
  if (!t || *t > now + days{1}) {
    if (auto last = at_year(this_year - years{1})) return last;
  }
  return t;
}

}  // namespace

std::optional<event::Timestamp> parse_time_as(std::string_view text, TimeFormat format) {
  switch (format) {
    case TimeFormat::rfc3339:
      return event::parse_time(text);
    case TimeFormat::epoch:
      return parse_epoch(text, 1000000);
    case TimeFormat::epoch_ms:
      return parse_epoch(text, 1000);
    case TimeFormat::epoch_us:
      return parse_epoch(text, 1);
  }
  return std::nullopt;
}

std::optional<event::Timestamp> parse_header_time(std::string_view text, syslog::Protocol protocol,
                                                  event::Timestamp now) {
  if (auto t = event::parse_time(text)) return t;
  if (protocol == syslog::Protocol::rfc3164) return parse_bsd_time(text, now);
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text) {
  const char sep = text.find(';') != std::string_view::npos ? ';' : ',';
  std::vector<std::string> out;
  while (true) {
    const std::size_t end = text.find(sep);
    const std::string_view item = trim(text.substr(0, end));
    if (!item.empty()) out.emplace_back(item);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace probity::decode
