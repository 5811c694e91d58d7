// MailThrottle: token buckets (see mail_throttle.h).
#include "alerts/mail_throttle.h"

#include <algorithm>

namespace probity::alerts {

MailThrottle::MailThrottle(std::uint32_t per_rule_per_hour, std::uint32_t per_hour)
    : per_rule_(per_rule_per_hour), total_(per_hour) {}

bool MailThrottle::take(Bucket& b, std::uint32_t per_hour, Clock::time_point now,
                        bool commit) const {
  if (per_hour == 0) return true;
  const double capacity = per_hour;
  double tokens = capacity;
  if (b.at != Clock::time_point{}) {
    const std::chrono::duration<double, std::ratio<3600>> elapsed = now - b.at;
    tokens = std::min(capacity, b.tokens + std::max(0.0, elapsed.count()) * capacity);
  }
  if (tokens < 1.0) return false;
  if (commit) {
    b.tokens = tokens - 1.0;
    b.at = now;
  }
  return true;
}

bool MailThrottle::admit(std::string_view rule_id, Clock::time_point now) {
  // Bounded: rule ids come from the rule set, but forget full buckets if it ever grows.
  if (rules_.size() > 10'000) rules_.clear();
  Bucket& rule = rules_[std::string(rule_id)];
  if (!take(rule, per_rule_, now, false) || !take(all_, total_, now, false)) return false;
  take(rule, per_rule_, now, true);
  take(all_, total_, now, true);
  return true;
}

}  // namespace probity::alerts
