// The daemon's HTTP interface, on loopback unless HTTPS is configured: GET /healthz, GET
// /metrics (Prometheus text format), the live alerts page (/, /events as Server-Sent
// Events) and the alert API behind a login or an API token (api.cpp). Stages expose plain
// atomics and publish alert summaries to an AlertFeed, and app/ implements the AlertDesk the
// API works through, so this stage knows no other stage.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/latency_histogram.h"
#include "base/result.h"
#include "base/tls_server.h"
#include "http/alert_feed.h"

namespace probity::http {

/// Named counters and gauges read at scrape time.
class MetricsRegistry {
 public:
  enum class Type { counter, gauge };
  /// `name` without the probity_ prefix; `labels` like `reason="too_long"` or empty.
  void add(std::string name, std::string help, Type type, std::string labels,
           std::function<std::uint64_t()> read);
  /// Series whose label values are known only at scrape time (one per rule): each sample
  /// is its label name/value pairs (values escaped here) and its value.
  struct Sample {
    std::vector<std::pair<std::string, std::string>> labels;
    std::uint64_t value = 0;
  };
  using Family = std::vector<Sample>;
  void add_family(std::string name, std::string help, Type type, std::function<Family()> read);
  /// A histogram in seconds (`name` ending _seconds): cumulative buckets, sum and count.
  void add_histogram(std::string name, std::string help, const LatencyHistogram& histogram);
  /// Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  struct Series {
    std::string name, help, labels;
    Type type;
    std::function<std::uint64_t()> read;
    std::function<Family()> read_family;          ///< set instead of `read` for a family
    const LatencyHistogram* histogram = nullptr;  ///< set instead of both for a histogram
  };
  std::vector<Series> series_;
};

struct HttpConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 9095;  ///< 0 picks a free port (tests)
  /// Open connections; past it a new one gets 503 and is closed (app/ fits it to the fd limit).
  std::size_t max_connections = 64;
  /// Live-page streams (/events) among them; past it, 503.
  std::size_t max_event_streams = 16;
  /// Host names answered besides loopback and `address` (http/host_check.h); others get 421.
  std::vector<std::string> allowed_hosts;
  /// Sessions end after this long unused, and this long after login whatever happens.
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_absolute{12 * 3600};
  /// HTTPS with this certificate and key (client certificates are not asked for); the
  /// session cookie is then Secure. Absent: plain HTTP.
  std::optional<TlsServerConfig> tls;
  /// Plain HTTP on an address other than loopback is refused at open() (passwords, cookies
  /// and tokens would cross the network in clear) unless this is set; then it is warned.
  bool allow_plaintext = false;
};

/// The logged-in person a request comes from.
struct Principal {
  std::string account;
  std::uint8_t roles = 0;  ///< access::Roles
  std::string address;     ///< the client's IP address
  std::string token;       ///< the API token's label when the request carried one, else ""
};

/// The account an API token belongs to, as it is now (its roles re-read).
struct TokenHolder {
  std::string account;
  std::uint8_t roles = 0;  ///< access::Roles
  std::string label;       ///< the token's label, for the trail
};

/// A URL query, decoded, in order.
using Query = std::vector<std::pair<std::string, std::string>>;

/// What the page and the API do with alerts; app/ implements it over the store, the alert
/// pipeline and the consultation trail, and decides what each role may do. Results are
/// JSON texts. Error codes map to statuses: api.bad_request and triage.invalid 400, api.forbidden
/// 403, alerts.unknown 404, triage.refused 409, anything else 500. Called on the HTTP thread.
class AlertDesk {
 public:
  virtual ~AlertDesk() = default;
  /// The account's roles when `password` is its own and it is enabled; nullopt otherwise.
  /// Costs one Argon2id verification (about 0.1 s and 64 MiB) whether or not it exists.
  virtual std::optional<std::uint8_t> authenticate(std::string_view account,
                                                   std::string_view password) = 0;
  /// The holder of API token `token` when it is one of an enabled account's; nullopt
  /// otherwise. Costs a read of the accounts (no slow hash: a token is 256 random bits).
  virtual std::optional<TokenHolder> authenticate_token(std::string_view token) = 0;
  /// Records a login ("login"), a refused one ("login.failed", "login.throttled"), a logout,
  /// or an API token's use ("token.used", "token.failed", "token.throttled") in the
  /// consultation trail and the log.
  virtual void record_access(const Principal& who, std::string_view what) = 0;
  /// GET /api/alerts: {"alerts": [...newest first], "next": id|null, "counts": {...}}.
  virtual Result<std::string> list(const Principal& who, const Query& query) = 0;
  /// GET /api/alerts/ID: the alert as shown, its history and the actions `who` may take.
  virtual Result<std::string> detail(const Principal& who, std::string_view id) = 0;
  /// POST /api/alerts/ID/ACTION with a JSON body: a triage action or "reveal".
  virtual Result<std::string> act(const Principal& who, std::string_view id,
                                  std::string_view action, std::string_view body) = 0;
};

/// Health: whether the daemon is serving, with a short reason when not. The server adds
/// its own: unhealthy while its accepts fail for want of file descriptors.
using HealthCheck = std::function<std::pair<bool, std::string>()>;

// The same lifecycle as ingest::TcpListener (open, port, run, stop) on purpose: app/ starts
// and drains every server alike.
class HttpServer {
 public:
  /// `alerts` and `desk` (either may be null: no live page, no API) must outlive the server.
  HttpServer(boost::asio::any_io_executor executor, HttpConfig config,
             const MetricsRegistry& metrics, HealthCheck health, const AlertFeed* alerts = nullptr,
             AlertDesk* desk = nullptr);
  ~HttpServer();
  Result<void> open();
  std::uint16_t port() const;
  boost::asio::awaitable<void> run();
  void stop();
  /// Logs out every session of `account` (its password, roles or state changed). Any thread.
  void end_sessions(std::string_view account);

  struct State;  ///< shared with the connection coroutines (the .cpp's business)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace probity::http
