// Sessions and LoginThrottle (sessions.h).
#include "http/sessions.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

#include "base/hex.h"

namespace probity::http {

namespace {

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes");
  return to_hex(bytes, sizeof bytes);
}

std::string digest(std::string_view token) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(token.data(), token.size(), md, &n, EVP_sha256(), nullptr);
  return to_hex(md, n);
}

}  // namespace

std::pair<std::string, std::string> Sessions::open(std::string account, std::uint8_t roles,
                                                   SteadyClock::time_point now) {
  std::string token = random_token();
  std::string csrf = random_token();
  std::lock_guard lock(mutex_);
  if (by_hash_.size() >= limits_.max_sessions) {
    const auto stalest = std::min_element(by_hash_.begin(), by_hash_.end(), [](auto& a, auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    by_hash_.erase(stalest);
  }
  by_hash_[digest(token)] = Session{std::move(account), roles, csrf, now, now};
  return {token, csrf};
}

std::optional<Session> Sessions::use(std::string_view token, SteadyClock::time_point now) {
  if (token.size() != 64) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = by_hash_.find(digest(token));
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
  const auto it = by_hash_.find(digest(token));
  return it != by_hash_.end() && now - it->second.last_used <= limits_.idle &&
         now - it->second.opened <= limits_.absolute;
}

void Sessions::close(std::string_view token) {
  std::lock_guard lock(mutex_);
  by_hash_.erase(digest(token));
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

void LoginThrottle::succeeded(std::string_view account) {
  std::lock_guard lock(mutex_);
  counts_.erase("u:" + std::string(account));
}

}  // namespace probity::http
