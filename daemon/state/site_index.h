// Where a login comes from: the sites table (address ranges and workstation name patterns →
// site) parsed and indexed for "longest prefix wins" look-ups at a bounded cost per event.
// Used by RegisterIndex (register_index.h); the row validator uses the parsers to refuse
// a range or a coordinate it cannot read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "state/keys.h"
#include "state/reference.h"

namespace probity::state {

/// An IPv6 address; IPv4 is held as ::ffff:a.b.c.d so one index serves both.
using IpAddress = std::array<std::uint8_t, 16>;

/// "10.1.2.3", "2001:db8::1", "[2001:db8::1]"; an IPv6 zone ("%eth0") is ignored.
std::optional<IpAddress> parse_ip(std::string_view text);

struct IpRange {
  IpAddress base{};   ///< masked to `bits`
  unsigned bits = 0;  ///< 0..128 (IPv4 /n is 96 + n)
};
/// "10.20.0.0/16", "2001:db8:5::/48", or a bare address (one host). Host bits set in the
/// base are refused, so a typo ("10.20.1.0/16") is not silently widened.
std::optional<IpRange> parse_ip_range(std::string_view text);

/// A decimal latitude (-90..90) or longitude (-180..180); nullopt otherwise.
std::optional<double> parse_degrees(std::string_view text, double limit);

/// Great-circle distance in km between two points given in degrees.
double distance_km(double lat1, double lon1, double lat2, double lon2);

/// The sites table indexed by range and by workstation pattern. Immutable once built.
class SiteIndex {
 public:
  SiteIndex() = default;
  /// Rows whose `match` is neither a range nor a name (cannot happen after validation) are
  /// skipped. On equal ranges or patterns the later row wins, as the store files them.
  explicit SiteIndex(const std::vector<SiteRange>& rows);

  /// The longest range holding `ip`, else the longest pattern matching `host`.
  const SiteRange* find(std::string_view ip, std::string_view host) const;
  bool empty() const { return rows_.empty(); }

 private:
  using Names = std::unordered_map<std::string, std::size_t, KeyHash, std::equal_to<>>;
  std::vector<SiteRange> rows_;
  /// prefix length → masked address bytes → row; lengths longest first
  std::vector<std::pair<unsigned, Names>> ranges_;
  Names exact_names_;
  /// pattern prefix length → prefix → row; lengths longest first
  std::vector<std::pair<std::size_t, Names>> prefixes_;
};

}  // namespace probity::state
