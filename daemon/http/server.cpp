// HttpServer: Boost.Beast over C++20 coroutines, one coroutine per connection,
// keep-alive; GET, and POST for the API (api.cpp). Bound to loopback by default. The live
// page's data carries pseudonyms only; evidence leaves only through the API's reveal.
#include <atomic>
#include <set>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/tcp_accept.h"
#include "base/throttle.h"
#include "http/api.h"
#include "http/host_check.h"
#include "http/http.h"
#include "http/live_page.h"

namespace probity::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr auto kLogInterval = std::chrono::seconds(60);
// Sent to a connection over http.max_connections before it is closed: small enough to fit
// any socket buffer, so one non-blocking write delivers it.
constexpr std::string_view kBusy =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
    "Retry-After: 5\r\nConnection: close\r\n\r\nbusy\n";

struct HttpServer::State {
  HttpConfig config;
  const MetricsRegistry& metrics;
  HealthCheck health;
  const AlertFeed* alerts;
  Sessions logins;
  LoginThrottle login_throttle;
  std::optional<Api> api;  // set when there is a desk
  tcp::acceptor acceptor;
  std::set<std::shared_ptr<beast::tcp_stream>> sessions;
  std::size_t event_streams = 0;  // sessions serving /events
  bool stopping = false;
  std::atomic<bool> accept_fd_exhausted = false;  // read by health
  LogThrottle refusal_log{kLogInterval};
  LogThrottle accept_log{kLogInterval};

  State(asio::any_io_executor ex, HttpConfig c, const MetricsRegistry& m, HealthCheck h,
        const AlertFeed* a, AlertDesk* desk)
      : config(std::move(c)),
        metrics(m),
        // The daemon's own health, and this server's: failing accepts mean new clients,
        // the monitoring among them, cannot reach us.
        health([this, daemon = std::move(h)]() -> std::pair<bool, std::string> {
          if (accept_fd_exhausted) return {false, "out of file descriptors (accept failing)"};
          return daemon();
        }),
        alerts(a),
        logins(SessionLimits{config.session_idle, config.session_absolute}),
        acceptor(ex) {
    if (desk) api.emplace(Api{*desk, logins, login_throttle, false});
  }
};

namespace {

bhttp::response<bhttp::string_body> respond(HttpServer::State& state,
                                            const bhttp::request<bhttp::string_body>& req,
                                            const std::string& address) {
  bhttp::response<bhttp::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::server, "probity");
  res.set(bhttp::field::cache_control, "no-store");
  // The page loads only its own script and style, and cannot be framed.
  res.set("Content-Security-Policy",
          "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  const std::string_view target = req.target();
  if (!host_allowed(req[bhttp::field::host], state.config.address, state.config.allowed_hosts)) {
    // DNS rebinding: a page served from another name, now resolving to this port.
    res.result(bhttp::status::misdirected_request);
    res.keep_alive(false);
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.body() = "misdirected request: Host is not this server (see http.allowed_hosts)\n";
  } else if (state.api && is_api_target(target)) {
    const bool post = req.method() == bhttp::verb::post;
    if (!post && req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
      res.result(bhttp::status::method_not_allowed);
      res.set(bhttp::field::allow, "GET, POST");
    } else {
      const ApiRequest api_req{post,
                               target,
                               req[bhttp::field::cookie],
                               req["X-CSRF-Token"],
                               req[bhttp::field::content_type],
                               req.body(),
                               address,
                               req[bhttp::field::authorization]};
      auto answer = handle_api(*state.api, api_req, std::chrono::steady_clock::now());
      res.result(static_cast<bhttp::status>(answer.status));
      res.set(bhttp::field::content_type, "application/json");
      for (auto& [name, value] : answer.headers) res.set(name, value);
      res.body() = std::move(answer.body);
    }
  } else if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    res.result(bhttp::status::method_not_allowed);
    res.set(bhttp::field::allow, "GET, HEAD");
    res.body() = "method not allowed\n";
  } else if (target == "/metrics") {
    res.result(bhttp::status::ok);
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = state.metrics.render();
  } else if (const auto* asset = state.alerts ? live_page_asset(target) : nullptr) {
    res.result(bhttp::status::ok);
    res.set(bhttp::field::content_type, asset->content_type);
    res.body() = std::string(asset->body);
  } else if (target == "/events" && state.alerts) {
    // Reached only when the stream was refused for want of a session.
    res.result(bhttp::status::unauthorized);
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.body() = "log in first\n";
  } else if (target == "/healthz") {
    const auto [ok, reason] = state.health();
    res.result(ok ? bhttp::status::ok : bhttp::status::service_unavailable);
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.body() = (ok ? "ok" : "unhealthy: " + reason) + "\n";
  } else {
    res.result(bhttp::status::not_found);
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.body() = "not found\n";
  }
  res.prepare_payload();
  if (req.method() == bhttp::verb::head) res.body().clear();
  return res;
}

/// GET /events: Server-Sent Events, one `alert` event per alert summary, from the one
/// after Last-Event-ID (or the last 50), until the client goes, the server stops or (with
/// an API) the session that opened it ends: a logged-out page hears nothing more.
asio::awaitable<void> stream_alerts(HttpServer::State& state, beast::tcp_stream& stream,
                                    const bhttp::request<bhttp::string_body>& req) {
  const std::string cookie(req[bhttp::field::cookie]);
  std::uint64_t sent = 0;
  const auto last_id = req["Last-Event-ID"];
  if (!last_id.empty()) {
    sent = std::strtoull(std::string(last_id).c_str(), nullptr, 10);
  } else {
    const auto newest = state.alerts->last();
    sent = newest > 50 ? newest - 50 : 0;
  }
  std::string out =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
      "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 2000\n\n";
  asio::steady_timer tick(stream.get_executor());
  auto quiet = std::chrono::steady_clock::now();
  for (;;) {
    for (const auto& [seq, json] : state.alerts->since(sent)) {
      out += "id: " + std::to_string(seq) + "\nevent: alert\ndata: " + json + "\n\n";
      sent = seq;
    }
    if (out.empty() && std::chrono::steady_clock::now() - quiet > std::chrono::seconds(15))
      out = ": keep-alive\n\n";  // lets proxies and the client see the link is up
    if (!out.empty()) {
      stream.expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), kAwait);
      if (wec) co_return;
      out.clear();
      quiet = std::chrono::steady_clock::now();
    }
    if (!stream.socket().is_open()) co_return;
    if (state.api && !session_alive(*state.api, cookie, std::chrono::steady_clock::now()))
      co_return;
    // Polling a bounded in-memory feed four times a second costs nothing and keeps the
    // evaluation thread free of any knowledge of HTTP sessions.
    tick.expires_after(std::chrono::milliseconds(250));
    co_await tick.async_wait(kAwait);
  }
}

std::string peer_address(const beast::tcp_stream& stream) {
  boost::system::error_code ec;
  const auto endpoint = stream.socket().remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

// With an API, the stream is the logged-in page's: without a session /events is answered
// 401 by respond() like any other unknown request would be.
bool may_stream(HttpServer::State& state, const bhttp::request<bhttp::string_body>& req,
                const std::string& address) {
  if (!state.api) return true;
  return session_principal(*state.api, req[bhttp::field::cookie], address,
                           std::chrono::steady_clock::now())
      .has_value();
}

asio::awaitable<void> serve(std::shared_ptr<HttpServer::State> state,
                            std::shared_ptr<beast::tcp_stream> stream) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024);
    stream->expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_read(*stream, buffer, parser, kAwait);
    if (ec) break;
    const std::string address = peer_address(*stream);
    if (parser.get().target() == "/events" && state->alerts &&
        host_allowed(parser.get()[bhttp::field::host], state->config.address,
                     state->config.allowed_hosts) &&
        may_stream(*state, parser.get(), address)) {
      if (state->event_streams >= state->config.max_event_streams) {
        co_await asio::async_write(*stream, asio::buffer(kBusy), kAwait);
        break;
      }
      ++state->event_streams;
      co_await stream_alerts(*state, *stream, parser.get());
      --state->event_streams;
      break;
    }
    auto res = respond(*state, parser.get(), address);
    const bool keep = res.keep_alive();
    auto [wec, wn] = co_await bhttp::async_write(*stream, res, kAwait);
    if (wec || !keep) break;
  }
  beast::error_code ignored;
  stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
  state->sessions.erase(stream);
}

}  // namespace

HttpServer::HttpServer(asio::any_io_executor executor, HttpConfig config,
                       const MetricsRegistry& metrics, HealthCheck health, const AlertFeed* alerts,
                       AlertDesk* desk)
    : state_(std::make_shared<State>(std::move(executor), std::move(config), metrics,
                                     std::move(health), alerts, desk)) {}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::open() {
  return listen_at(state_->acceptor, state_->config.address, state_->config.port, "http", "http");
}

std::uint16_t HttpServer::port() const { return bound_port(state_->acceptor); }

asio::awaitable<void> HttpServer::run() {
  auto state = state_;
  auto executor = co_await asio::this_coro::executor;
  spdlog::info("http: serving {}/metrics and /healthz on http://{}:{}",
               state->alerts ? "the live alerts page (/), " : "", state->config.address, port());
  AcceptBackoff backoff;
  asio::steady_timer pause(executor);
  while (!state->stopping) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAwait);
    if (ec) {
      if (state->stopping || ec == asio::error::operation_aborted) break;
      if (is_fd_exhaustion(ec)) state->accept_fd_exhausted = true;
      co_await pause_after_failed_accept(
          pause, backoff, state->accept_log, [&](auto n, auto delay) {
            spdlog::warn(
                "http: accept failed: {} ({} failure(s) since the last report; pausing up to "
                "{} ms between tries)",
                ec.message(), n, delay.count());
          });
      continue;
    }
    if (backoff.failing()) {
      backoff.succeeded();
      state->accept_fd_exhausted = false;
      spdlog::info("http: accepting connections again");
    }
    if (state->sessions.size() >= state->config.max_connections) {
      boost::system::error_code ignored;
      socket.non_blocking(true, ignored);
      socket.write_some(asio::buffer(kBusy), ignored);
      socket.close(ignored);
      if (const auto n = state->refusal_log.occurrence(std::chrono::steady_clock::now()))
        spdlog::warn(
            "http: {} connections open (http.max_connections); answering 503 ({} "
            "refusal(s) since the last report)",
            state->sessions.size(), n);
      continue;
    }
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    state->sessions.insert(stream);
    asio::co_spawn(executor, serve(state, stream), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("http: connection handler failed: {}", ex.what());
      }
    });
  }
}

void HttpServer::stop() {
  state_->stopping = true;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
  for (const auto& s : state_->sessions) s->socket().close(ec);
}

}  // namespace probity::http
