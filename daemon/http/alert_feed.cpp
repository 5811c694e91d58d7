// AlertFeed: a mutex-guarded ring of recent alert summaries.
#include "http/alert_feed.h"

namespace probity::http {

void AlertFeed::publish(std::string json) {
  std::lock_guard lock(mutex_);
  entries_.emplace_back(++last_, std::move(json));
  if (entries_.size() > capacity_) entries_.pop_front();
}

std::vector<std::pair<std::uint64_t, std::string>> AlertFeed::since(std::uint64_t after) const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const auto& entry : entries_)
    if (entry.first > after) out.push_back(entry);
  return out;
}

std::uint64_t AlertFeed::last() const {
  std::lock_guard lock(mutex_);
  return last_;
}

}  // namespace probity::http
