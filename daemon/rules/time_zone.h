// Time zones for hour() and weekday(): reads a TZif file (RFC 8536) from the zoneinfo
// directory once at load, including its POSIX TZ footer for instants after the last
// transition. GCC 12 has no std::chrono time-zone database. Not a general date library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace probity::rules {

class TimeZone {
 public:
  /// "UTC" (also "Etc/UTC", "Z") needs no file; other names are read from `zoneinfo_dir`.
  static Result<TimeZone> load(std::string_view name,
                               const std::string& zoneinfo_dir = "/usr/share/zoneinfo");
  /// A POSIX TZ rule such as "GMT0BST,M3.5.0/1,M10.5.0" (exposed for tests).
  static Result<TimeZone> from_posix(std::string_view rule);

  const std::string& name() const { return name_; }
  /// Seconds east of UTC in force at `utc_seconds` (Unix time).
  std::int32_t offset_at(std::int64_t utc_seconds) const;
  /// The zone's abbreviation in force then ("GMT", "BST"; "+03" where tzdata has no letters),
  /// for showing local times to people; "" when the zone file names none.
  std::string abbreviation_at(std::int64_t utc_seconds) const;

 private:
  struct PosixRule {
    std::int32_t std_offset = 0;  // seconds east of UTC
    std::int32_t dst_offset = 0;
    bool has_dst = false;
    std::string std_name, dst_name;
    struct When {
      int month = 0, week = 0, weekday = 0;  // Mm.w.d
      std::int32_t time = 7200;              // seconds after local midnight
    } start, end;
  };
  static std::optional<PosixRule> parse_posix(std::string_view s);
  static bool posix_in_dst(const PosixRule& r, std::int64_t utc_seconds);
  static std::int32_t posix_offset_at(const PosixRule& r, std::int64_t utc_seconds);
  // Index of the transition in force at `t`, or -1 before the first / with none.
  std::ptrdiff_t transition_at(std::int64_t t) const;

  std::string name_ = "UTC";
  std::vector<std::int64_t> transitions_;   // UTC seconds, ascending
  std::vector<std::int32_t> offsets_;       // offset from each transition on
  std::vector<std::string> abbreviations_;  // abbreviation from each transition on
  std::int32_t initial_offset_ = 0;         // before the first transition
  std::string initial_abbreviation_ = "UTC";
  std::optional<PosixRule> footer_;
};

}  // namespace probity::rules
