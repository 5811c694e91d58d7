// Logged-in sessions for the page and API, and the login failure limit. In memory only: a
// restart logs everyone out, which is the safe side for a daemon holding personal data.
// Not for accounts or passwords (access/), nor for what a role may do (access::allows).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace probity::http {

using SteadyClock = std::chrono::steady_clock;

struct Session {
  std::string account;
  std::uint8_t roles = 0;  ///< access::Roles when the session was opened
  std::string csrf;        ///< sent back as X-CSRF-Token on every change
  SteadyClock::time_point opened, last_used;
};

struct SessionLimits {
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds absolute{12 * 3600};
  std::size_t max_sessions = 1000;  ///< past it the oldest-used session is closed
};

/// Tokens are 32 random bytes (hex); only a hash of each is kept, so a memory dump yields
/// no usable cookie. Any thread.
class Sessions {
 public:
  explicit Sessions(SessionLimits limits = {}) : limits_(limits) {}
  /// Opens one; returns {token, csrf}.
  std::pair<std::string, std::string> open(std::string account, std::uint8_t roles,
                                           SteadyClock::time_point now);
  /// The live session for `token`, its idle time restarted; nullopt (and forgotten) when
  /// unknown, idle past limits.idle or older than limits.absolute.
  std::optional<Session> use(std::string_view token, SteadyClock::time_point now);
  /// Whether `token` still names a live session, without counting this as use (an open
  /// live stream is not activity). Unknown, expired or closed: false.
  bool alive(std::string_view token, SteadyClock::time_point now) const;
  void close(std::string_view token);
  /// Closes every session of `account` (disabled, password changed).
  void close_account(std::string_view account);
  std::size_t size() const;

 private:
  SessionLimits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Session> by_hash_;
};

/// Failed logins per account and per client address in a sliding window: past the limit,
/// logins are refused (429) until the window has passed, whatever the password. Bounded
/// memory: at most max_keys keys, the stalest dropped first. Any thread.
class LoginThrottle {
 public:
  struct Limits {
    unsigned per_account = 5;
    unsigned per_address = 20;
    std::chrono::seconds window{15 * 60};
    std::size_t max_keys = 10000;
  };
  LoginThrottle() = default;
  explicit LoginThrottle(Limits limits) : limits_(limits) {}
  /// Seconds until a login for this account from this address may be tried; 0: now.
  std::int64_t wait(std::string_view account, std::string_view address,
                    SteadyClock::time_point now);
  void failed(std::string_view account, std::string_view address, SteadyClock::time_point now);
  /// The same for an API token, which names no account: the address's count alone.
  std::int64_t wait(std::string_view address, SteadyClock::time_point now);
  void failed(std::string_view address, SteadyClock::time_point now);
  void succeeded(std::string_view account);

 private:
  struct Count {
    unsigned failures = 0;
    SteadyClock::time_point first;
  };
  std::int64_t wait_for(const std::string& key, unsigned limit, SteadyClock::time_point now);
  void count(const std::string& key, SteadyClock::time_point now);
  Limits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Count> counts_;
};

/// Says when a repeated event is due to be recorded again: the first time for a key, then
/// at most once per interval (a script polling with a token every few seconds must not
/// flood the trail). Bounded: at most max_keys keys, the stalest dropped first. One thread
/// (the HTTP server's).
class OncePerInterval {
 public:
  explicit OncePerInterval(std::chrono::seconds interval, std::size_t max_keys = 10000)
      : interval_(interval), max_keys_(max_keys) {}
  /// True, and the key's clock restarted, when `key` was not recorded within the interval.
  bool due(const std::string& key, SteadyClock::time_point now);

 private:
  std::chrono::seconds interval_;
  std::size_t max_keys_;
  std::unordered_map<std::string, SteadyClock::time_point> last_;
};

}  // namespace probity::http
