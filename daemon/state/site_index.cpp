// Address and pattern parsing and the longest-prefix site look-up (site_index.h).
#include "state/site_index.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>

#include "state/keys.h"
#include "state/reference_tables.h"

namespace probity::state {
namespace {

constexpr std::size_t kMaxText = 64;  // longer than any address; refuse before parsing

IpAddress masked(IpAddress a, unsigned bits) {
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned keep = bits >= 8 * (i + 1) ? 8 : bits > 8 * i ? bits - 8 * i : 0;
    a[i] = static_cast<std::uint8_t>(a[i] & (keep == 0 ? 0 : 0xff << (8 - keep)));
  }
  return a;
}

std::string_view bytes_of(const IpAddress& a) {
  return {reinterpret_cast<const char*>(a.data()), a.size()};
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (const auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  char buf[kMaxText + 1];  // inet_pton wants a terminated string: no allocation per event
  if (text.empty() || text.size() > kMaxText) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress out{};
  in_addr v4;
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(&out[12], &v4, 4);
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
  if (text.size() > kMaxText) return std::nullopt;
  const std::size_t slash = text.find('/');
  const auto addr = parse_ip(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
  unsigned bits = 128;
  if (slash != std::string_view::npos) {
    const std::string_view n = text.substr(slash + 1);
    const auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), bits);
    if (n.empty() || ec != std::errc() || p != n.data() + n.size() || bits > (v4 ? 32u : 128u))
      return std::nullopt;
    if (v4) bits += 96;
  }
  if (masked(*addr, bits) != *addr) return std::nullopt;
  return IpRange{*addr, bits};
}

std::optional<double> parse_degrees(std::string_view text, double limit) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) ||
      std::fabs(v) > limit)
    return std::nullopt;
  return v;
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthKm = 6371.0, kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(a)));
}

SiteIndex::SiteIndex(const std::vector<SiteRange>& rows) : rows_(rows) {
  std::map<unsigned, Names, std::greater<>> ranges;
  std::map<std::size_t, Names, std::greater<>> prefixes;
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    normalise(rows_[i]);
    const std::string& m = rows_[i].match;
    if (m.empty()) continue;
    if (const auto r = parse_ip_range(m)) {
      ranges[r->bits][std::string(bytes_of(r->base))] = i;
    } else if (m.back() == '*') {
      prefixes[m.size() - 1][m.substr(0, m.size() - 1)] = i;
    } else {
      exact_names_[m] = i;
    }
  }
  ranges_.assign(std::make_move_iterator(ranges.begin()), std::make_move_iterator(ranges.end()));
  prefixes_.assign(std::make_move_iterator(prefixes.begin()),
                   std::make_move_iterator(prefixes.end()));
}

const SiteRange* SiteIndex::find(std::string_view ip, std::string_view host) const {
  if (!ip.empty() && !ranges_.empty()) {
    if (const auto a = parse_ip(ip)) {
      for (const auto& [bits, by_base] : ranges_) {
        const IpAddress base = masked(*a, bits);
        const auto it = by_base.find(bytes_of(base));
        if (it != by_base.end()) return &rows_[it->second];
      }
    }
  }
  if (host.empty() || host.size() > 255) return nullptr;
  const LowerKey key(host);
  const std::string_view name = key.view();
  if (const auto it = exact_names_.find(name); it != exact_names_.end()) return &rows_[it->second];
  for (const auto& [size, by_prefix] : prefixes_) {
    if (size > name.size()) continue;
    const auto it = by_prefix.find(name.substr(0, size));
    if (it != by_prefix.end()) return &rows_[it->second];
  }
  return nullptr;
}

}  // namespace probity::state
