// Two small policies for problems that can repeat thousands of times a second (a full fd
// table, a flood of bad handshakes): when to log again, and how long an accept loop waits
// before trying again. Plain values and a clock passed in; no I/O, no threads.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>

namespace probity {

/// Logs the first occurrence, then at most one line per interval carrying how many
/// happened since the last line, so a flood costs a few lines a minute. Not thread-safe.
class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LogThrottle(Clock::duration interval) : interval_(interval) {}

  /// Counts one occurrence. Returns 0 when no line is due, else how many occurrences the
  /// line due now stands for (this one and those held back since the last line).
  std::uint64_t occurrence(Clock::time_point now) {
    ++held_;
    if (logged_ && now - last_ < interval_) return 0;
    logged_ = true;
    last_ = now;
    const auto n = held_;
    held_ = 0;
    return n;
  }

 private:
  Clock::duration interval_;
  Clock::time_point last_{};
  bool logged_ = false;
  std::uint64_t held_ = 0;
};

/// Lets `per_interval` lines through in each interval and counts those past it, so a
/// storm of one kind of line (an alert each) costs a bounded number of lines a second and
/// the log still says how many there were. Not thread-safe.
class LogBudget {
 public:
  using Clock = std::chrono::steady_clock;
  LogBudget(std::uint32_t per_interval, Clock::duration interval)
      : per_interval_(per_interval), interval_(interval) {}

  /// Counts one line; true when it is within this interval's budget and is to be logged.
  bool take(Clock::time_point now) {
    roll(now);
    if (used_ < per_interval_) {
      ++used_;
      return true;
    }
    ++held_;
    return false;
  }
  /// How many lines intervals that have ended held back (0 when none); each is said once.
  std::uint64_t held_back(Clock::time_point now) {
    roll(now);
    return std::exchange(ended_held_, 0);
  }

 private:
  void roll(Clock::time_point now) {
    if (now - start_ < interval_) return;
    start_ = now;
    used_ = 0;
    ended_held_ += std::exchange(held_, 0);
  }
  std::uint32_t per_interval_;
  Clock::duration interval_;
  Clock::time_point start_{};
  std::uint32_t used_ = 0;
  std::uint64_t held_ = 0, ended_held_ = 0;
};

/// How long an accept loop pauses after a failed accept: retrying at once on EMFILE spins
/// (the pending connection stays queued and fails again). 100 ms, doubling to 1 s; reset by
/// the next accept that succeeds. Not thread-safe.
class AcceptBackoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{100};
  static constexpr std::chrono::milliseconds kMax{1000};

  /// The pause before the next accept.
  std::chrono::milliseconds failed() {
    delay_ = failing_ ? std::min(delay_ * 2, kMax) : kFirst;
    failing_ = true;
    return delay_;
  }
  void succeeded() { failing_ = false; }
  bool failing() const { return failing_; }

 private:
  std::chrono::milliseconds delay_{kFirst};
  bool failing_ = false;
};

}  // namespace probity
