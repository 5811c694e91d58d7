// Sessions and LoginThrottle (sessions.h).
#include "http/sessions.h"

#include <algorithm>

#include "base/secret_token.h"

namespace probity::http {

std::pair<std::string, std::string> Sessions::open(std::string account, std::uint8_t roles,
                                                   SteadyClock::time_point now) {
  std::string token = random_hex_token();
  std::string csrf = random_hex_token();
  std::lock_guard lock(mutex_);
  if (by_hash_.size() >= limits_.max_sessions) {
    const auto stalest = std::min_element(by_hash_.begin(), by_hash_.end(), [](auto& a, auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    by_hash_.erase(stalest);
  }
  by_hash_[sha256_hex(token)] = Session{std::move(account), roles, csrf, now, now};
  return {token, csrf};
}

std::optional<Session> Sessions::use(std::string_view token, SteadyClock::time_point now) {
  if (token.size() != 64) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(sha256_hex(token));
  if (it == by_hash_.end()) return std::nullopt;
  Session& s = it->second;
  if (now - s.last_used > limits_.idle || now - s.opened > limits_.absolute) {
    by_hash_.erase(it);
    return std::nullopt;
  }
  s.last_used = now;
  return s;
}

bool Sessions::alive(std::string_view token, SteadyClock::time_point now) const {
  if (token.size() != 64) return false;
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(sha256_hex(token));
  return it != by_hash_.end() && now - it->second.last_used <= limits_.idle &&
         now - it->second.opened <= limits_.absolute;
}

void Sessions::close(std::string_view token) {
  std::lock_guard lock(mutex_);
  by_hash_.erase(sha256_hex(token));
}

void Sessions::close_account(std::string_view account) {
  std::lock_guard lock(mutex_);
  std::erase_if(by_hash_, [&](const auto& kv) { return kv.second.account == account; });
}

std::size_t Sessions::size() const {
  std::lock_guard lock(mutex_);
  return by_hash_.size();
}

std::int64_t LoginThrottle::wait_for(const std::string& key, unsigned limit,
                                     SteadyClock::time_point now) {
  const auto it = counts_.find(key);
  if (it == counts_.end()) return 0;
  const auto ends = it->second.first + limits_.window;
  if (now >= ends) {
    counts_.erase(it);
    return 0;
  }
  if (it->second.failures < limit) return 0;
  return std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(ends - now).count());
}

std::int64_t LoginThrottle::wait(std::string_view account, std::string_view address,
                                 SteadyClock::time_point now) {
  std::lock_guard lock(mutex_);
  return std::max(wait_for("u:" + std::string(account), limits_.per_account, now),
                  wait_for("a:" + std::string(address), limits_.per_address, now));
}

void LoginThrottle::count(const std::string& key, SteadyClock::time_point now) {
  auto it = counts_.find(key);
  if (it != counts_.end() && now - it->second.first >= limits_.window) {
    counts_.erase(it);
    it = counts_.end();
  }
  if (it == counts_.end()) {
    if (counts_.size() >= limits_.max_keys) {
      const auto stalest = std::min_element(counts_.begin(), counts_.end(), [](auto& a, auto& b) {
        return a.second.first < b.second.first;
      });
      counts_.erase(stalest);
    }
    it = counts_.emplace(key, Count{0, now}).first;
  }
  ++it->second.failures;
}

void LoginThrottle::failed(std::string_view account, std::string_view address,
                           SteadyClock::time_point now) {
  std::lock_guard lock(mutex_);
  count("u:" + std::string(account), now);
  count("a:" + std::string(address), now);
}

std::int64_t LoginThrottle::wait(std::string_view address, SteadyClock::time_point now) {
  std::lock_guard lock(mutex_);
  return wait_for("a:" + std::string(address), limits_.per_address, now);
}

void LoginThrottle::failed(std::string_view address, SteadyClock::time_point now) {
  std::lock_guard lock(mutex_);
  count("a:" + std::string(address), now);
}

void LoginThrottle::succeeded(std::string_view account) {
  std::lock_guard lock(mutex_);
  counts_.erase("u:" + std::string(account));
}

bool OncePerInterval::due(const std::string& key, SteadyClock::time_point now) {
  const auto it = last_.find(key);
  if (it != last_.end()) {
    if (now - it->second < interval_) return false;
    it->second = now;
    return true;
  }
  if (last_.size() >= max_keys_) {
    const auto stalest = std::min_element(last_.begin(), last_.end(),
                                          [](auto& a, auto& b) { return a.second < b.second; });
    last_.erase(stalest);
  }
  last_.emplace(key, now);
  return true;
}

}  // namespace probity::http
