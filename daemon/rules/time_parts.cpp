// Time-of-day and network nodes: hour(), weekday() in a time zone, and cidr().
// Addresses are parsed with inet_pton from a stack buffer, so no allocation per event.
#include <arpa/inet.h>

#include <cstring>

#include "rules/nodes.h"
#include "rules/time_zone.h"
#include "rules/vocab.h"

namespace probity::rules {

using Tag = Val::Tag;

bool parse_address(std::string_view s, std::array<std::uint8_t, 16>& out) {
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  char buf[64];
  if (s.empty() || s.size() >= sizeof buf) return false;
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  in_addr v4;
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(&out[12], &v4, 4);
    return true;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return true;
  }
  return false;
}

std::optional<Network> parse_network(std::string_view text) {
  Network n;
  const auto slash = text.find('/');
  const std::string_view addr = text.substr(0, slash);
  if (!parse_address(addr, n.addr)) return std::nullopt;
  const bool v4 = addr.find(':') == std::string_view::npos;
  n.prefix = 128;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    int prefix = 0;
    for (char c : p) {
      if (c < '0' || c > '9') return std::nullopt;
      prefix = prefix * 10 + (c - '0');
    }
    if (prefix > (v4 ? 32 : 128)) return std::nullopt;
    n.prefix = v4 ? prefix + 96 : prefix;
  }
  // Clear host bits so "10.1.2.3/8" means 10.0.0.0/8.
  for (int bit = n.prefix; bit < 128; ++bit) n.addr[bit / 8] &= std::uint8_t(~(0x80 >> (bit % 8)));
  return n;
}

std::string_view weekday_name(std::int64_t d) {
  static constexpr std::string_view kNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
  return d >= 1 && d <= 7 ? kNames[d - 1] : "-";
}

std::optional<std::int64_t> weekday_from_name(std::string_view name) {
  for (std::int64_t d = 1; d <= 7; ++d) {
    const std::string_view full = weekday_name(d);
    if (iequals(name, full) || iequals(name, full.substr(0, 3))) return d;
  }
  return std::nullopt;
}

namespace {

bool in_network(const std::array<std::uint8_t, 16>& a, const Network& n) {
  const int whole = n.prefix / 8;
  if (std::memcmp(a.data(), n.addr.data(), std::size_t(whole)) != 0) return false;
  const int rest = n.prefix % 8;
  if (rest == 0) return true;
  const std::uint8_t mask = std::uint8_t(0xff << (8 - rest));
  return (a[std::size_t(whole)] & mask) == n.addr[std::size_t(whole)];
}

class CidrNode final : public Node {
 public:
  CidrNode(ValuePtr v, std::vector<Network> nets) : v_(std::move(v)), nets_(std::move(nets)) {}
  bool test(EvalContext& c) const override {
    const Val v = v_->eval(c);
    if (v.tag != Tag::str) return false;
    std::array<std::uint8_t, 16> a;
    if (!parse_address(v.s, a)) return false;
    for (const auto& n : nets_)
      if (in_network(a, n)) return true;
    return false;
  }

 private:
  ValuePtr v_;
  std::vector<Network> nets_;
};

// Local seconds since the epoch for a time value, or nullopt.
std::optional<std::int64_t> local_seconds(const Val& v, const TimeZone& zone) {
  if (v.tag != Tag::time) return std::nullopt;
  std::int64_t s = v.i / 1'000'000 - (v.i % 1'000'000 < 0 ? 1 : 0);
  return s + zone.offset_at(s);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }

class HourValue final : public ValueNode {
 public:
  HourValue(ValuePtr t, std::shared_ptr<const TimeZone> z)
      : t_(std::move(t)), zone_(std::move(z)) {}
  Val eval(EvalContext& c) const override {
    const auto s = local_seconds(t_->eval(c), *zone_);
    if (!s) return {};
    Val out;
    out.tag = Tag::integer;
    out.i = (*s - floor_div(*s, 86400) * 86400) / 3600;
    return out;
  }

 private:
  ValuePtr t_;
  std::shared_ptr<const TimeZone> zone_;
};

class WeekdayValue final : public ValueNode {
 public:
  WeekdayValue(ValuePtr t, std::shared_ptr<const TimeZone> z)
      : t_(std::move(t)), zone_(std::move(z)) {}
  Val eval(EvalContext& c) const override {
    const auto s = local_seconds(t_->eval(c), *zone_);
    if (!s) return {};
    const std::int64_t days = floor_div(*s, 86400);
    Val out;
    out.tag = Tag::weekday;
    out.i = ((days % 7) + 7 + 3) % 7 + 1;  // 1970-01-01 was a Thursday (ISO 4)
    return out;
  }

 private:
  ValuePtr t_;
  std::shared_ptr<const TimeZone> zone_;
};

}  // namespace

NodePtr make_cidr(ValuePtr v, std::vector<Network> nets) {
  return std::make_unique<CidrNode>(std::move(v), std::move(nets));
}
ValuePtr make_hour(ValuePtr t, std::shared_ptr<const TimeZone> z) {
  return std::make_unique<HourValue>(std::move(t), std::move(z));
}
ValuePtr make_weekday(ValuePtr t, std::shared_ptr<const TimeZone> z) {
  return std::make_unique<WeekdayValue>(std::move(t), std::move(z));
}

}  // namespace probity::rules
