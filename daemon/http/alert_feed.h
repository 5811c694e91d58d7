// AlertFeed: the most recent alerts, as pseudonymised JSON summaries, for the live page.
// The evaluation thread publishes; HTTP sessions read what is newer than what they have
// sent (Server-Sent Events resume from Last-Event-ID). Bounded: old entries fall off.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace probity::http {

class AlertFeed {
 public:
  explicit AlertFeed(std::size_t capacity = 500) : capacity_(capacity) {}

  /// Adds one alert summary (a JSON object); thread-safe; O(1).
  void publish(std::string json);
  /// Entries with a sequence number above `after`, oldest first (at most capacity).
  std::vector<std::pair<std::uint64_t, std::string>> since(std::uint64_t after) const;
  /// The sequence number of the newest entry (0 when none yet).
  std::uint64_t last() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::pair<std::uint64_t, std::string>> entries_;
  std::uint64_t last_ = 0;
};

}  // namespace probity::http
