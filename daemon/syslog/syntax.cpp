// Shared scanners for the syslog parsers (see syntax.h): PRI, RFC 3339 and BSD timestamps,
// SD-ELEMENTs and UTF-8 validation. Pure functions over string_views; no allocation except
// the SdElement vectors the caller asked for.
#include "syslog/syntax.h"

#include <algorithm>
#include <array>

#include "base/ascii.h"

namespace probity::syslog::detail {
namespace {

/// Reads exactly `count` digits at `i` into `value`; on failure `i` is the bad byte.
bool read_digits(std::string_view text, std::size_t& i, int count, int& value) {
  value = 0;
  for (int k = 0; k < count; ++k) {
    if (i >= text.size() || !is_digit(text[i])) return false;
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  return true;
}

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

/// RFC 5424 §6.3.2: SD-NAME = 1*32PRINTUSASCII except '=', SP, ']' and '"'.
constexpr bool is_sd_name_char(char c) {
  return is_print_us_ascii(c) && c != '=' && c != ']' && c != '"';
}

constexpr std::size_t kMaxSdName = 32;

/// Byte classes as tables, so the scans below take one load per byte: SD-NAME characters,
/// and the bytes a PARAM-VALUE scan must stop at ('"', '\\', ']', LF).
struct ByteTables {
  std::array<bool, 256> sd_name{};
  std::array<bool, 256> value_stop{};
  constexpr ByteTables() {
    for (int c = 0; c < 256; ++c) sd_name[c] = is_sd_name_char(static_cast<char>(c));
    for (const char c : {'"', '\\', ']', '\n'}) value_stop[static_cast<unsigned char>(c)] = true;
  }
};
constexpr ByteTables kBytes;

/// Scans an SD-NAME at `i`; on success `i` is one past it.
bool scan_sd_name(std::string_view text, std::size_t& i, std::size_t& bad) {
  const std::size_t start = i;
  while (i < text.size() && kBytes.sd_name[static_cast<unsigned char>(text[i])]) ++i;
  if (i == start) {
    bad = i;
    return false;
  }
  if (i - start > kMaxSdName) {
    bad = start + kMaxSdName;
    return false;
  }
  return true;
}

/// §6.3.2: "The same SD-ID MUST NOT exist more than once in a message." Pairwise for the
/// usual handful of elements; sorted views when a sender floods us, so the check stays
/// O(n log n) on hostile input.
const SdElement* find_duplicate_id(const std::vector<SdElement>& elements, std::size_t first) {
  const std::size_t count = elements.size() - first;
  if (count <= 16) {
    for (std::size_t a = first; a < elements.size(); ++a) {
      for (std::size_t b = first; b < a; ++b) {
        if (elements[a].id == elements[b].id) return &elements[a];
      }
    }
    return nullptr;
  }
  std::vector<const SdElement*> sorted;
  sorted.reserve(count);
  for (std::size_t a = first; a < elements.size(); ++a) sorted.push_back(&elements[a]);
  std::sort(sorted.begin(), sorted.end(), [](const SdElement* x, const SdElement* y) {
    return x->id != y->id ? x->id < y->id : x->id.data() < y->id.data();
  });
  for (std::size_t k = 1; k < sorted.size(); ++k) {
    if (sorted[k]->id == sorted[k - 1]->id) return sorted[k];
  }
  return nullptr;
}

}  // namespace

tl::unexpected<Error> fail_at(const char* code, std::string_view what, std::string_view text,
                              std::size_t offset) {
  std::string message(what);
  message += ", found ";
  if (offset >= text.size()) {
    message += "end of message";
  } else {
    const auto byte = static_cast<unsigned char>(text[offset]);
    if (byte >= 33 && byte <= 126) {
      message += '\'';
      message += static_cast<char>(byte);
      message += '\'';
    } else if (byte == ' ') {
      message += "SP";
    } else if (byte == '\n') {
      message += "LF";
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      message += "byte 0x";
      message += kHex[byte >> 4];
      message += kHex[byte & 15];
    }
  }
  message += " (byte " + std::to_string(offset) + ")";
  SourcePos pos;
  pos.offset = offset;
  return fail(code, std::move(message), std::move(pos));
}

Scan scan_pri(std::string_view text, std::size_t at, std::uint8_t& pri) {
  if (at >= text.size() || text[at] != '<') return {false, at, "'<' opening PRI"};
  std::size_t i = at + 1;
  int value = 0;
  while (i < text.size() && is_digit(text[i]) && i - at <= 3) {
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  const std::size_t digits = i - at - 1;
  if (digits == 0) return {false, i, "a PRI value 0-191"};
  if (digits > 1 && text[at + 1] == '0') return {false, at + 1, "a PRI value with no leading zero"};
  if (i < text.size() && is_digit(text[i])) return {false, i, "'>' after at most 3 PRI digits"};
  if (value > 191) return {false, at + 1, "a PRI value 0-191"};
  if (i >= text.size() || text[i] != '>') return {false, i, "'>' closing PRI"};
  pri = static_cast<std::uint8_t>(value);
  return {true, i + 1, ""};
}

Scan scan_rfc3339(std::string_view text, std::size_t at, int max_fraction_digits) {
  std::size_t i = at;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  const auto expect = [&](char c) { return i < text.size() && text[i] == c ? (++i, true) : false; };

  // FULL-DATE = DATE-FULLYEAR "-" DATE-MONTH "-" DATE-MDAY
  if (!read_digits(text, i, 4, year)) return {false, i, "a 4-digit year in TIMESTAMP"};
  if (!expect('-')) return {false, i, "'-' after the year in TIMESTAMP"};
  const std::size_t month_at = i;
  if (!read_digits(text, i, 2, month)) return {false, i, "a 2-digit month in TIMESTAMP"};
  if (month < 1 || month > 12) return {false, month_at, "a month 01-12 in TIMESTAMP"};
  if (!expect('-')) return {false, i, "'-' after the month in TIMESTAMP"};
  const std::size_t day_at = i;
  if (!read_digits(text, i, 2, day)) return {false, i, "a 2-digit day in TIMESTAMP"};
  if (day < 1 || day > days_in_month(year, month)) {
    return {false, day_at, "a day that exists in that month in TIMESTAMP"};
  }
  // §6.2.3 (1): the "T" and "Z" MUST be upper case.
  if (!expect('T')) return {false, i, "'T' between date and time in TIMESTAMP"};

  // PARTIAL-TIME = TIME-HOUR ":" TIME-MINUTE ":" TIME-SECOND [TIME-SECFRAC]
  const std::size_t hour_at = i;
  if (!read_digits(text, i, 2, hour)) return {false, i, "a 2-digit hour in TIMESTAMP"};
  if (hour > 23) return {false, hour_at, "an hour 00-23 in TIMESTAMP"};
  if (!expect(':')) return {false, i, "':' after the hour in TIMESTAMP"};
  const std::size_t minute_at = i;
  if (!read_digits(text, i, 2, minute)) return {false, i, "a 2-digit minute in TIMESTAMP"};
  if (minute > 59) return {false, minute_at, "a minute 00-59 in TIMESTAMP"};
  if (!expect(':')) return {false, i, "':' after the minute in TIMESTAMP"};
  const std::size_t second_at = i;
  if (!read_digits(text, i, 2, second)) return {false, i, "a 2-digit second in TIMESTAMP"};
  // §6.2.3: TIME-SECOND is 00-59; leap seconds are not representable.
  if (second > 59) return {false, second_at, "a second 00-59 in TIMESTAMP"};
  if (expect('.')) {
    // §6.2.3 (3): TIME-SECFRAC = "." 1*6DIGIT.
    const std::size_t fraction_at = i;
    while (i < text.size() && is_digit(text[i])) {
      if (static_cast<int>(i - fraction_at) == max_fraction_digits) {
        return {false, i, "fewer fraction digits in TIMESTAMP (RFC 5424 allows 6)"};
      }
      ++i;
    }
    if (i == fraction_at) return {false, i, "a digit after '.' in TIMESTAMP"};
  }

  // TIME-OFFSET = "Z" / TIME-NUMOFFSET
  if (expect('Z')) return {true, i, ""};
  if (!expect('+') && !expect('-')) return {false, i, "'Z', '+' or '-' (time offset) in TIMESTAMP"};
  int offset_hour = 0, offset_minute = 0;
  const std::size_t offset_hour_at = i;
  if (!read_digits(text, i, 2, offset_hour))
    return {false, i, "a 2-digit offset hour in TIMESTAMP"};
  if (offset_hour > 23) return {false, offset_hour_at, "an offset hour 00-23 in TIMESTAMP"};
  if (!expect(':')) return {false, i, "':' in the time offset of TIMESTAMP"};
  const std::size_t offset_minute_at = i;
  if (!read_digits(text, i, 2, offset_minute)) {
    return {false, i, "a 2-digit offset minute in TIMESTAMP"};
  }
  if (offset_minute > 59) return {false, offset_minute_at, "an offset minute 00-59 in TIMESTAMP"};
  return {true, i, ""};
}

Scan scan_bsd_stamp(std::string_view text, std::size_t at) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (text.size() < at + 3) return {false, at, "a month name"};
  std::array<char, 3> lower{};
  for (std::size_t k = 0; k < 3; ++k) lower[k] = ascii_lower(text[at + k]);
  const std::string_view name(lower.data(), 3);
  if (std::find(kMonths.begin(), kMonths.end(), name) == kMonths.end()) {
    return {false, at, "a month name"};
  }
  std::size_t i = at + 3;
  if (i >= text.size() || text[i] != ' ') return {false, i, "SP after the month"};
  ++i;
  // "Aug  7" (RFC 3164 §4.1.2 pads with a space) or "Aug 7" (seen in the wild).
  if (i < text.size() && text[i] == ' ') ++i;
  const std::size_t day_at = i;
  int day = 0;
  while (i < text.size() && is_digit(text[i]) && i - day_at < 2) day = day * 10 + (text[i++] - '0');
  if (i == day_at || day < 1 || day > 31) return {false, day_at, "a day 1-31"};
  if (i >= text.size() || text[i] != ' ') return {false, i, "SP after the day"};
  ++i;
  int hour = 0, minute = 0, second = 0;
  const auto expect_colon = [&] { return i < text.size() && text[i] == ':' ? (++i, true) : false; };
  if (!read_digits(text, i, 2, hour) || hour > 23) return {false, i, "an hour 00-23"};
  if (!expect_colon()) return {false, i, "':' after the hour"};
  if (!read_digits(text, i, 2, minute) || minute > 59) return {false, i, "a minute 00-59"};
  if (!expect_colon()) return {false, i, "':' after the minute"};
  if (!read_digits(text, i, 2, second) || second > 60) return {false, i, "a second 00-60"};
  if (i < text.size() && text[i] == '.') {
    const std::size_t fraction_at = ++i;
    while (i < text.size() && is_digit(text[i]) && i - fraction_at < 6) ++i;
    if (i == fraction_at) return {false, i, "a digit after '.'"};
  }
  return {true, i, ""};
}

Result<std::size_t> parse_sd_elements(std::string_view text, std::size_t at,
                                      std::vector<SdElement>& out) {
  const std::size_t first = out.size();
  std::size_t i = at;
  std::size_t bad = 0;
  while (i < text.size() && text[i] == '[') {
    ++i;
    const std::size_t id_at = i;
    if (!scan_sd_name(text, i, bad)) {
      return fail_at("syslog.bad_sd_id",
                     "RFC 5424 §6.3.2: expected an SD-ID of 1-32 printable US-ASCII characters "
                     "other than '=', SP, ']' and '\"'",
                     text, bad);
    }
    SdElement& element = out.emplace_back();
    element.id = text.substr(id_at, i - id_at);
    for (;;) {
      if (i < text.size() && text[i] == ']') {
        ++i;
        break;
      }
      if (i >= text.size() || text[i] != ' ') {
        return fail_at("syslog.bad_structured_data",
                       "RFC 5424 §6.3.1: expected SP and an SD-PARAM, or ']' closing the "
                       "SD-ELEMENT",
                       text, i);
      }
      ++i;
      const std::size_t name_at = i;
      if (!scan_sd_name(text, i, bad)) {
        return fail_at("syslog.bad_sd_param",
                       "RFC 5424 §6.3.3: expected a PARAM-NAME of 1-32 printable US-ASCII "
                       "characters other than '=', SP, ']' and '\"'",
                       text, bad);
      }
      SdParam& param = element.params.emplace_back();
      param.name = text.substr(name_at, i - name_at);
      if (i >= text.size() || text[i] != '=') {
        return fail_at("syslog.bad_sd_param", "RFC 5424 §6.3.3: expected '=' after PARAM-NAME",
                       text, i);
      }
      ++i;
      if (i >= text.size() || text[i] != '"') {
        return fail_at("syslog.bad_sd_param", "RFC 5424 §6.3.3: expected '\"' opening PARAM-VALUE",
                       text, i);
      }
      const std::size_t value_at = ++i;
      for (;;) {
        while (i < text.size() && !kBytes.value_stop[static_cast<unsigned char>(text[i])]) ++i;
        if (i >= text.size()) {
          return fail_at("syslog.bad_sd_param",
                         "RFC 5424 §6.3.3: expected '\"' closing PARAM-VALUE", text, i);
        }
        const char c = text[i];
        if (c == '"') break;
        if (c == '\\') {
          // §6.3.3 says a backslash before any other character is kept as is; go-syslog
          // rejects it and so do we (its vectors), since '\' itself MUST be escaped.
          const char next = i + 1 < text.size() ? text[i + 1] : '\0';
          if (next != '"' && next != '\\' && next != ']') {
            return fail_at("syslog.bad_escape",
                           "RFC 5424 §6.3.3: expected '\\' to escape '\"', '\\' or ']' in "
                           "PARAM-VALUE",
                           text, i + 1);
          }
          param.escaped = true;
          i += 2;
          continue;
        }
        if (c == ']') {
          return fail_at("syslog.bad_escape",
                         "RFC 5424 §6.3.3: expected ']' to be escaped as '\\]' in PARAM-VALUE",
                         text, i);
        }
        if (c == '\n') {
          return fail_at("syslog.bad_sd_param",
                         "RFC 5424 §6: expected no LF before MSG (inside PARAM-VALUE)", text, i);
        }
        ++i;
      }
      param.value = text.substr(value_at, i - value_at);
      ++i;  // closing quote
    }
  }
  if (const SdElement* dup = find_duplicate_id(out, first)) {
    SourcePos pos;
    pos.offset = static_cast<std::size_t>(dup->id.data() - text.data());
    return fail("syslog.duplicate_sd_id",
                "RFC 5424 §6.3.2: expected each SD-ID at most once, found '" +
                    std::string(dup->id) + "' again (byte " + std::to_string(pos.offset) + ")",
                pos);
  }
  return i;
}

}  // namespace probity::syslog::detail
