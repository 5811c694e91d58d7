// Internal to alerts/: the mail flood limit. Token buckets per rule and in all, refilled
// evenly over an hour: an alert within both gets its own email, one past either waits for
// the next digest (it is stored and logged either way). A burst of look-ups by 2,000
// invented user ids then costs the PSD one digest, not 2,000 emails. Not thread-safe: the
// pipeline calls it under its lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace probity::alerts {

class MailThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  /// 0 in either limit: no limit of that kind.
  MailThrottle(std::uint32_t per_rule_per_hour, std::uint32_t per_hour);

  /// True (and one token taken from each bucket) when the alert may be mailed on its own.
  bool admit(std::string_view rule_id, Clock::time_point now);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at{};
  };
  bool take(Bucket& b, std::uint32_t per_hour, Clock::time_point now, bool commit) const;

  std::uint32_t per_rule_, total_;
  Bucket all_;
  std::unordered_map<std::string, Bucket> rules_;
};

}  // namespace probity::alerts
