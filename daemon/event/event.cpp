// Event accessors, time text, and the JSON rendering used by `probity parse`, the alert
// log and alert evidence.
#include "event/event.h"

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include <iterator>
#include <unordered_set>

#include "base/json_text.h"

namespace probity::event {

Event::Event(Kind kind) : kind_(kind) { set(FieldId::event_kind, std::string(to_string(kind))); }

std::string_view Event::str(FieldId id) const {
  if (const auto* s = std::get_if<std::string>(&get(id))) return *s;
  return {};
}

std::optional<Timestamp> Event::time() const {
  if (const auto* t = std::get_if<Timestamp>(&get(FieldId::event_time))) return *t;
  return std::nullopt;
}

const std::string* Event::raw_field(std::string_view name) const {
  for (const auto& [k, v] : raw_)
    if (k == name) return &v;
  return nullptr;
}

std::string_view format_time(Timestamp t, std::array<char, 40>& buf) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const int year = int(ymd.year());
  const std::int64_t us = (t - day).count();  // 0 .. 86'399'999'999
  if (year < 0 || year > 9999) {              // rare: keep printf's exact rendering
    const hh_mm_ss hms{t - day};
    const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02ld:%02ld:%02ld.%06ldZ",
                                year, unsigned(ymd.month()), unsigned(ymd.day()),
                                long(hms.hours().count()), long(hms.minutes().count()),
                                long(hms.seconds().count()), long(hms.subseconds().count()));
    return {buf.data(), static_cast<std::size_t>(n)};
  }
  // Fixed-width digits by hand: this runs for every event id (decode/decoder.cpp).
  char* p = buf.data();
  const auto put = [&p](std::int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
    p += width;
  };
  put(year, 4);
  *p++ = '-';
  put(unsigned(ymd.month()), 2);
  *p++ = '-';
  put(unsigned(ymd.day()), 2);
  *p++ = 'T';
  put(us / 3'600'000'000, 2);
  *p++ = ':';
  put(us / 60'000'000 % 60, 2);
  *p++ = ':';
  put(us / 1'000'000 % 60, 2);
  *p++ = '.';
  put(us % 1'000'000, 6);
  *p++ = 'Z';
  return {buf.data(), static_cast<std::size_t>(p - buf.data())};
}

std::string format_time(Timestamp t) {
  std::array<char, 40> buf;
  return std::string(format_time(t, buf));
}

namespace {

bool read_digits(std::string_view s, std::size_t& i, std::size_t n, int& out) {
  if (i + n > s.size()) return false;
  out = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[i + k];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  i += n;
  return true;
}

bool expect(std::string_view s, std::size_t& i, char c) {
  if (i < s.size() && s[i] == c) {
    ++i;
    return true;
  }
  return false;
}

}  // namespace

std::optional<Timestamp> parse_time(std::string_view s) {
  using namespace std::chrono;
  std::size_t i = 0;
  int y, mo, d, h, mi, sec;
  if (!read_digits(s, i, 4, y) || !expect(s, i, '-') || !read_digits(s, i, 2, mo) ||
      !expect(s, i, '-') || !read_digits(s, i, 2, d))
    return std::nullopt;
  if (i == s.size()) {  // a bare date is midnight UTC
    const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
    if (!ymd.ok()) return std::nullopt;
    return Timestamp{sys_days{ymd}};
  }
  if (!(expect(s, i, 'T') || expect(s, i, 't') || expect(s, i, ' '))) return std::nullopt;
  if (!read_digits(s, i, 2, h) || !expect(s, i, ':') || !read_digits(s, i, 2, mi) ||
      !expect(s, i, ':') || !read_digits(s, i, 2, sec))
    return std::nullopt;
  long micros = 0;
  if (expect(s, i, '.') || expect(s, i, ',')) {
    int digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (digits < 6) micros = micros * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    for (int k = digits; k < 6; ++k) micros *= 10;
  }
  long offset_minutes = 0;
  if (expect(s, i, 'Z') || expect(s, i, 'z')) {
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const int sign = s[i] == '-' ? -1 : 1;
    ++i;
    int oh, om;
    if (!read_digits(s, i, 2, oh)) return std::nullopt;
    expect(s, i, ':');
    if (!read_digits(s, i, 2, om)) return std::nullopt;
    if (oh > 23 || om > 59) return std::nullopt;
    offset_minutes = sign * (oh * 60 + om);
  } else if (i != s.size()) {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const year_month_day ymd{year{y}, month{unsigned(mo)}, day{unsigned(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return Timestamp{sys_days{ymd}} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros} -
         minutes{offset_minutes};
}

namespace {

/// `"name":` for each canonical field, in FieldId order: the names are fixed and plain, so
/// they are quoted once rather than escaped for every event.
const std::array<std::string, kFieldCount>& quoted_keys() {
  static const auto keys = [] {
    std::array<std::string, kFieldCount> out;
    for (const auto& f : all_fields()) {
      std::string& key = out[static_cast<std::size_t>(f.id)];
      append_json_string(key, f.name);
      key += ':';
    }
    return out;
  }();
  return keys;
}

/// Room for the whole object at once, most of the time: the raw fields twice (mapped fields
/// repeat their values) and some for the rest; a string grown in steps copies itself each time.
std::size_t json_size_estimate(const Event& e) {
  std::size_t n = 256;
  for (const auto& [name, value] : e.raw()) n += name.size() + 2 * value.size() + 32;
  return n;
}

}  // namespace

// Written directly, not through a JSON DOM: correlation evidence renders every event fed to
// a correlation. Field order and escaping are nlohmann's (event_json_test.cpp compares).
std::string to_json(const Event& e) {
  const auto& keys = quoted_keys();
  std::string out;
  out.reserve(json_size_estimate(e));
  out += '{';
  const auto key = [&out](std::string_view quoted) {
    if (out.size() > 1) out += ',';
    out += quoted;
  };
  std::array<char, 40> time_text;
  for (const auto& f : all_fields()) {
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return;
          } else {
            key(keys[static_cast<std::size_t>(f.id)]);
            if constexpr (std::is_same_v<T, Timestamp>) {
              // Digits, '-', ':', 'T', '.' and 'Z': nothing to escape.
              out += '"';
              out += format_time(x, time_text);
              out += '"';
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              fmt::format_to(std::back_inserter(out), "{}", x);
            } else if constexpr (std::is_same_v<T, std::string>) {
              append_json_string(out, x);
            } else {
              out += '[';
              for (std::size_t i = 0; i < x.size(); ++i) {
                if (i) out += ',';
                append_json_string(out, x[i]);
              }
              out += ']';
            }
          }
        },
        e.get(f.id));
  }
  if (!e.raw().empty()) {
    key(R"("raw":)");
    out += '{';
    // The first of a repeated name wins, as when the object is read back. Most sources send
    // a few dozen fields: scanning those before beats a set's allocations, and a set keeps a
    // message of hundreds (decode's limit) from costing their square.
    constexpr std::size_t kScanned = 32;
    const auto& raw = e.raw();
    std::unordered_set<std::string_view> names;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const auto& name = raw[i].first;
      if (raw.size() <= kScanned) {
        const auto end = raw.begin() + static_cast<std::ptrdiff_t>(i);
        if (std::any_of(raw.begin(), end, [&](const auto& f) { return f.first == name; })) continue;
      } else if (!names.insert(name).second) {
        continue;
      }
      if (out.back() != '{') out += ',';
      append_json_string(out, raw[i].first);
      out += ':';
      append_json_string(out, raw[i].second);
    }
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace probity::event
