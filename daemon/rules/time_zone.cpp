// TZif (RFC 8536) reading and POSIX TZ rule evaluation for rule time parts.
#include "rules/time_zone.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>

#include "rules/diagnostic_codes.h"

namespace probity::rules {
namespace {

tl::unexpected<Error> zone_error(std::string message) {
  return fail(std::string(code_id(Code::time_zone)), std::move(message));
}

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}
std::int64_t be64(const unsigned char* p) {
  return static_cast<std::int64_t>((std::uint64_t(be32(p)) << 32) | be32(p + 4));
}

// [+-]hh[:mm[:ss]] -> seconds; advances `s`.
std::optional<std::int32_t> parse_hms(std::string_view& s) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  std::int32_t total = 0;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (s.empty() || s[0] != ':') break;
      s.remove_prefix(1);
    }
    if (s.empty() || s[0] < '0' || s[0] > '9') return std::nullopt;
    int v = 0;
    while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
      if (v > 167) return std::nullopt;
    }
    total += v * (part == 0 ? 3600 : part == 1 ? 60 : 1);
  }
  return sign * total;
}

// A POSIX zone name ("GMT", or "<+03>" quoted), kept in `name` without the quotes.
bool read_name(std::string_view& s, std::string& name) {
  if (!s.empty() && s[0] == '<') {
    const auto close = s.find('>');
    if (close == std::string_view::npos) return false;
    name = std::string(s.substr(1, close - 1));
    s.remove_prefix(close + 1);
    return true;
  }
  std::size_t n = 0;
  while (n < s.size() && ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))) ++n;
  if (n < 3) return false;
  name = std::string(s.substr(0, n));
  s.remove_prefix(n);
  return true;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

}  // namespace

std::optional<TimeZone::PosixRule> TimeZone::parse_posix(std::string_view s) {
  PosixRule r;
  if (!read_name(s, r.std_name)) return std::nullopt;
  auto std_off = parse_hms(s);
  if (!std_off) return std::nullopt;
  r.std_offset = -*std_off;  // POSIX offsets count west of UTC
  if (s.empty()) return r;
  if (!read_name(s, r.dst_name)) return std::nullopt;
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (!s.empty() && s[0] != ',') {
    auto dst_off = parse_hms(s);
    if (!dst_off) return std::nullopt;
    r.dst_offset = -*dst_off;
  }
  auto when = [&](PosixRule::When& w) {
    if (s.empty() || s[0] != ',') return false;
    s.remove_prefix(1);
    if (s.empty() || s[0] != 'M') return false;  // Jn and n forms are not used by tzdata zones
    s.remove_prefix(1);
    int fields[3] = {0, 0, 0};
    for (int i = 0; i < 3; ++i) {
      if (i > 0) {
        if (s.empty() || s[0] != '.') return false;
        s.remove_prefix(1);
      }
      if (s.empty() || s[0] < '0' || s[0] > '9') return false;
      while (!s.empty() && s[0] >= '0' && s[0] <= '9') {
        fields[i] = fields[i] * 10 + (s[0] - '0');
        s.remove_prefix(1);
      }
    }
    w.month = fields[0];
    w.week = fields[1];
    w.weekday = fields[2];
    if (w.month < 1 || w.month > 12 || w.week < 1 || w.week > 5 || w.weekday > 6) return false;
    if (!s.empty() && s[0] == '/') {
      s.remove_prefix(1);
      auto t = parse_hms(s);
      if (!t) return false;
      w.time = *t;
    }
    return true;
  };
  if (!when(r.start) || !when(r.end) || !s.empty()) return std::nullopt;
  return r;
}

bool TimeZone::posix_in_dst(const PosixRule& r, std::int64_t t) {
  if (!r.has_dst) return false;
  using namespace std::chrono;
  const auto local_days = (t + r.std_offset) / 86400 - ((t + r.std_offset) % 86400 < 0 ? 1 : 0);
  const int y = int(year_month_day{sys_days{days{local_days}}}.year());
  auto instant = [&](const PosixRule::When& w, std::int32_t offset_before) {
    // Day `weekday` of week `week` (5 = last) of `month`.
    const std::int64_t first = days_from_civil(y, unsigned(w.month), 1);
    const int first_wd = int((first % 7 + 7 + 4) % 7);  // 1970-01-01 was a Thursday (4)
    int day = 1 + (w.weekday - first_wd + 7) % 7 + (w.week - 1) * 7;
    const unsigned month_days =
        unsigned(year_month_day_last{year{y} / month{unsigned(w.month)} / last}.day());
    while (day > int(month_days)) day -= 7;
    return (first + day - 1) * 86400 + w.time - offset_before;
  };
  const std::int64_t start = instant(r.start, r.std_offset);
  const std::int64_t end = instant(r.end, r.dst_offset);
  return start < end ? (t >= start && t < end) : !(t >= end && t < start);
}

std::int32_t TimeZone::posix_offset_at(const PosixRule& r, std::int64_t t) {
  return posix_in_dst(r, t) ? r.dst_offset : r.std_offset;
}

std::ptrdiff_t TimeZone::transition_at(std::int64_t t) const {
  return std::upper_bound(transitions_.begin(), transitions_.end(), t) - transitions_.begin() - 1;
}

std::int32_t TimeZone::offset_at(std::int64_t t) const {
  if (footer_ && (transitions_.empty() || t >= transitions_.back()))
    return posix_offset_at(*footer_, t);
  const auto i = transition_at(t);
  return i < 0 ? initial_offset_ : offsets_[std::size_t(i)];
}

std::string TimeZone::abbreviation_at(std::int64_t t) const {
  if (footer_ && (transitions_.empty() || t >= transitions_.back()))
    return posix_in_dst(*footer_, t) ? footer_->dst_name : footer_->std_name;
  const auto i = transition_at(t);
  return i < 0 ? initial_abbreviation_ : abbreviations_[std::size_t(i)];
}

Result<TimeZone> TimeZone::from_posix(std::string_view rule) {
  auto r = parse_posix(rule);
  if (!r) return zone_error("bad POSIX TZ rule '" + std::string(rule) + "'");
  TimeZone z;
  z.name_ = std::string(rule);
  z.footer_ = r;
  z.initial_offset_ = r->std_offset;
  z.initial_abbreviation_ = r->std_name;
  return z;
}

Result<TimeZone> TimeZone::load(std::string_view name, const std::string& dir) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z" || name == "GMT") {
    TimeZone z;
    z.name_ = std::string(name);
    z.initial_abbreviation_ = name == "GMT" ? "GMT" : "UTC";
    return z;
  }
  // Names are paths under the zoneinfo directory: refuse anything that could leave it.
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos)
    return zone_error("bad time zone name '" + std::string(name) + "'");
  const std::string path = dir + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) return zone_error("unknown time zone '" + std::string(name) + "' (no " + path + ")");
  const std::vector<unsigned char> b((std::istreambuf_iterator<char>(in)),
                                     std::istreambuf_iterator<char>());
  const auto bad = [&] { return zone_error("cannot read time zone file " + path); };
  if (b.size() < 44 || b[0] != 'T' || b[1] != 'Z' || b[2] != 'i' || b[3] != 'f') return bad();
  auto counts = [&](std::size_t at, std::uint32_t c[6]) {
    for (int i = 0; i < 6; ++i) c[i] = be32(&b[at + 20 + 4 * i]);
  };
  std::uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  const bool v2 = b[4] >= '2';
  std::size_t at = 44;
  std::size_t time_size = 4;
  if (v2) {  // skip the 32-bit block to the 64-bit one
    at += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
    if (b.size() < at + 44) return bad();
    counts(at, c);
    at += 44;
    time_size = 8;
  }
  const std::size_t need =
      c[3] * time_size + c[3] + c[4] * 6 + c[5] + c[2] * (time_size + 4) + c[1] + c[0];
  if (c[4] == 0 || b.size() < at + need) return bad();
  TimeZone z;
  z.name_ = std::string(name);
  std::vector<std::int64_t> times(c[3]);
  for (std::uint32_t i = 0; i < c[3]; ++i)
    times[i] = time_size == 8 ? be64(&b[at + 8 * i]) : std::int32_t(be32(&b[at + 4 * i]));
  const std::size_t idx_at = at + c[3] * time_size;
  const std::size_t types_at = idx_at + c[3];
  auto type_offset = [&](std::size_t type) { return std::int32_t(be32(&b[types_at + 6 * type])); };
  // RFC 8536 §3.2: each type's designation index points into the NUL-separated names.
  const std::size_t names_at = types_at + 6 * std::size_t(c[4]);
  auto type_name = [&](std::size_t type) {
    std::size_t at_name = b[types_at + 6 * type + 5];
    std::string designation;
    while (at_name < c[5] && b[names_at + at_name] != 0)
      designation += char(b[names_at + at_name++]);
    return designation;
  };
  for (std::uint32_t i = 0; i < c[3]; ++i) {
    const std::size_t type = b[idx_at + i];
    if (type >= c[4]) return bad();
    z.transitions_.push_back(times[i]);
    z.offsets_.push_back(type_offset(type));
    z.abbreviations_.push_back(type_name(type));
  }
  z.initial_offset_ = type_offset(0);
  z.initial_abbreviation_ = type_name(0);
  if (v2) {
    std::size_t f = at + need;
    if (f < b.size() && b[f] == '\n') {
      const auto nl = std::find(b.begin() + std::ptrdiff_t(f) + 1, b.end(), '\n');
      const std::string footer(b.begin() + std::ptrdiff_t(f) + 1, nl);
      if (!footer.empty()) z.footer_ = parse_posix(footer);  // unparsed: last offset holds
    }
  }
  return z;
}

}  // namespace probity::rules
