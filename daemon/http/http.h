// The daemon's HTTP interface on a loopback port: GET /healthz, GET /metrics (Prometheus
// text format), and the live alerts page (/, /events as Server-Sent Events, /api/alerts).
// Stages expose plain atomics and publish alert summaries to an AlertFeed; app/ wires
// them here, so this stage knows no other stage.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.h"
#include "http/alert_feed.h"

namespace probity::http {

/// Named counters and gauges read at scrape time.
class MetricsRegistry {
 public:
  enum class Type { counter, gauge };
  /// `name` without the probity_ prefix; `labels` like `reason="too_long"` or empty.
  void add(std::string name, std::string help, Type type, std::string labels,
           std::function<std::uint64_t()> read);
  /// Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  struct Series {
    std::string name, help, labels;
    Type type;
    std::function<std::uint64_t()> read;
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
};

/// Health: whether the daemon is serving, with a short reason when not. The server adds
/// its own: unhealthy while its accepts fail for want of file descriptors.
using HealthCheck = std::function<std::pair<bool, std::string>()>;

// The same lifecycle as ingest::TcpListener (open, port, run, stop) on purpose: app/ starts
// and drains every server alike.
class HttpServer {
 public:
  /// `alerts` (may be null: no live page) must outlive the server.
  HttpServer(boost::asio::any_io_executor executor, HttpConfig config,
             const MetricsRegistry& metrics, HealthCheck health, const AlertFeed* alerts = nullptr);
  ~HttpServer();
  Result<void> open();
  std::uint16_t port() const;
  boost::asio::awaitable<void> run();
  void stop();

  struct State;  ///< shared with the connection coroutines (the .cpp's business)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace probity::http
