// HttpServer: Boost.Beast over C++20 coroutines, one coroutine per connection,
// keep-alive; GET, and POST for the API (api.cpp); plain HTTP on loopback by default, HTTPS
// when http.tls is set (base/tls_server.h). The live page's data carries pseudonyms only;
// evidence leaves only through the API's reveal.
#include <array>
#include <atomic>
#include <set>
#include <type_traits>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/await.h"
#include "base/tcp_accept.h"
#include "base/throttle.h"
#include "base/tls_server.h"
#include "http/api.h"
#include "http/host_check.h"
#include "http/http.h"
#include "http/live_page.h"

namespace probity::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
constexpr auto kLogInterval = std::chrono::seconds(60);
// A client that has not finished its TLS handshake by then is dropped.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// The largest request body read (API actions and logins are a few hundred bytes).
constexpr std::uint64_t kBodyLimit = 64 * 1024;
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
  LogThrottle handshake_log{kLogInterval};
  std::optional<asio::ssl::context> tls;  // set by open() when configured

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
    if (desk) api.emplace(Api{*desk, logins, login_throttle, config.tls.has_value()});
  }
};

namespace {

using Response = bhttp::response<bhttp::string_body>;

// Every answer's headers: no caching of personal data, and the page loads only its own
// script and style and cannot be framed.
Response with_common_headers(unsigned version) {
  Response res;
  res.version(version);
  res.set(bhttp::field::server, "probity");
  res.set(bhttp::field::cache_control, "no-store");
  res.set("Content-Security-Policy",
          "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
  return res;
}

Response respond(HttpServer::State& state, const bhttp::request<bhttp::string_body>& req,
                 const std::string& address) {
  auto res = with_common_headers(req.version());
  res.keep_alive(req.keep_alive());
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
/// `Stream` is the connection itself or TLS over it; `raw` carries the deadline.
template <class Stream>
asio::awaitable<void> stream_alerts(HttpServer::State& state, beast::tcp_stream& raw,
                                    Stream& stream, const bhttp::request<bhttp::string_body>& req) {
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
  asio::steady_timer tick(raw.get_executor());
  auto quiet = std::chrono::steady_clock::now();
  for (;;) {
    for (const auto& [seq, json] : state.alerts->since(sent)) {
      out += "id: " + std::to_string(seq) + "\nevent: alert\ndata: " + json + "\n\n";
      sent = seq;
    }
    if (out.empty() && std::chrono::steady_clock::now() - quiet > std::chrono::seconds(15))
      out = ": keep-alive\n\n";  // lets proxies and the client see the link is up
    if (!out.empty()) {
      raw.expires_after(std::chrono::seconds(30));
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(out), kAwait);
      if (wec) co_return;
      out.clear();
      quiet = std::chrono::steady_clock::now();
    }
    if (!raw.socket().is_open()) co_return;
    if (state.api && !session_alive(*state.api, cookie, std::chrono::steady_clock::now()))
      co_return;
    // Polling a bounded in-memory feed four times a second costs nothing and keeps the
    // evaluation thread free of any knowledge of HTTP sessions.
    tick.expires_after(std::chrono::milliseconds(250));
    co_await tick.async_wait(kAwait);
  }
}

/// The answer to a request that could not be read whole: a body over the limit (413), a
/// header block over Beast's (431) or a malformed request (400); nullopt when the client
/// simply went (closed, timed out). The connection closes after it: the rest of the
/// request is not worth reading.
std::optional<Response> unreadable_request_answer(
    const beast::error_code& ec, const bhttp::request_parser<bhttp::string_body>& parser) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::end_of_stream).category() ||
      ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message)
    return std::nullopt;
  auto res = with_common_headers(11);
  res.keep_alive(false);
  std::string_view code = "api.bad_request", message = "malformed HTTP request";
  res.result(bhttp::status::bad_request);
  if (ec == bhttp::error::body_limit) {
    res.result(bhttp::status::payload_too_large);
    code = "api.too_large";
    message = "the request body is over the 64 KiB limit";
  } else if (ec == bhttp::error::header_limit) {
    res.result(bhttp::status::request_header_fields_too_large);
    code = "api.too_large";
    message = "the request header is over the 8 KiB limit";
  }
  // The start line is parsed before any limit applies to the header or body after it.
  if (is_api_target(parser.get().target())) {
    res.set(bhttp::field::content_type, "application/json");
    res.body() =
        "{\"error\":\"" + std::string(message) + "\",\"code\":\"" + std::string(code) + "\"}";
  } else {
    res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::string(message) + "\n";
  }
  res.prepare_payload();
  return res;
}

/// Reads and drops what the client still sends (at most kDrainLimit bytes, for a few
/// seconds) before the connection closes: closing with unread data makes the kernel send
/// a reset, and the client could lose the answer just written. Over plain TCP our side is
/// shut first, so a client that reads to the end closes at once (TLS needs it open).
template <class Stream>
asio::awaitable<void> discard_rest(beast::tcp_stream& raw, Stream& stream) {
  constexpr std::size_t kDrainLimit = 1024 * 1024;
  if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
    beast::error_code ignored;
    raw.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
  raw.expires_after(std::chrono::seconds(2));
  std::array<char, 16 * 1024> sink{};
  for (std::size_t drained = 0; drained < kDrainLimit;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kAwait);
    if (ec) break;
    drained += n;
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

/// Requests on one connection, kept alive, until the client goes, a request cannot be read
/// or the server stops. `Stream` is the connection itself or TLS over it (already
/// handshaken); `raw` carries the deadlines.
template <class Stream>
asio::awaitable<void> serve_requests(HttpServer::State& state, beast::tcp_stream& raw,
                                     Stream& stream) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(kBodyLimit);
    raw.expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kAwait);
    if (ec) {
      if (auto answer = unreadable_request_answer(ec, parser)) {
        raw.expires_after(std::chrono::seconds(10));
        auto [wec, wn] = co_await bhttp::async_write(stream, *answer, kAwait);
        if (!wec) co_await discard_rest(raw, stream);
      }
      break;
    }
    const std::string address = peer_address(raw);
    if (parser.get().target() == "/events" && state.alerts &&
        host_allowed(parser.get()[bhttp::field::host], state.config.address,
                     state.config.allowed_hosts) &&
        may_stream(state, parser.get(), address)) {
      if (state.event_streams >= state.config.max_event_streams) {
        co_await asio::async_write(stream, asio::buffer(kBusy), kAwait);
        break;
      }
      ++state.event_streams;
      co_await stream_alerts(state, raw, stream, parser.get());
      --state.event_streams;
      break;
    }
    auto res = respond(state, parser.get(), address);
    const bool keep = res.keep_alive();
    raw.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await bhttp::async_write(stream, res, kAwait);
    if (wec || !keep) break;
  }
}

asio::awaitable<void> serve(std::shared_ptr<HttpServer::State> state,
                            std::shared_ptr<beast::tcp_stream> raw) {
  if (!state->tls) {
    co_await serve_requests(*state, *raw, *raw);
  } else {
    asio::ssl::stream<beast::tcp_stream&> tls(*raw, *state->tls);
    // Slowloris: a client that never finishes its handshake holds a connection slot only
    // this long.
    raw->expires_after(kHandshakeTimeout);
    auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, kAwait);
    if (ec) {
      if (const auto n = state->handshake_log.occurrence(std::chrono::steady_clock::now()))
        spdlog::warn(
            "http: TLS handshake with {} failed: {} ({} failed handshake(s) since the last "
            "report)",
            peer_address(*raw), ec.message(), n);
    } else {
      co_await serve_requests(*state, *raw, tls);
      raw->expires_after(std::chrono::seconds(2));
      co_await tls.async_shutdown(kAwait);  // close_notify: the client sees a clean end
    }
  }
  beast::error_code ignored;
  raw->socket().shutdown(tcp::socket::shutdown_send, ignored);
  raw->socket().close(ignored);
  state->sessions.erase(raw);
}

}  // namespace

HttpServer::HttpServer(asio::any_io_executor executor, HttpConfig config,
                       const MetricsRegistry& metrics, HealthCheck health, const AlertFeed* alerts,
                       AlertDesk* desk)
    : state_(std::make_shared<State>(std::move(executor), std::move(config), metrics,
                                     std::move(health), alerts, desk)) {}

HttpServer::~HttpServer() = default;

namespace {

bool is_loopback(const std::string& address) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  return !ec && ip.is_loopback();
}

}  // namespace

Result<void> HttpServer::open() {
  const auto& config = state_->config;
  if (config.tls) {
    auto ctx = make_tls_server_context(*config.tls, "http", "http.tls");
    if (!ctx) return tl::unexpected(ctx.error());
    state_->tls.emplace(std::move(*ctx));
  } else if (!is_loopback(config.address)) {
    // Passwords, session cookies and API tokens would cross the network in clear.
    if (!config.allow_plaintext)
      return fail("http.plaintext",
                  "http: refusing plain HTTP on " + config.address +
                      ", which is not loopback: logins and tokens would cross the network "
                      "unencrypted. Set http.tls (cert_file, key_file), or bind 127.0.0.1 "
                      "behind a TLS proxy, or set http.allow_plaintext: true to accept the risk");
    spdlog::warn(
        "http: SERVING PLAIN HTTP ON {} (http.allow_plaintext: true): passwords, session "
        "cookies and API tokens cross the network unencrypted; configure http.tls",
        config.address);
  }
  return listen_at(state_->acceptor, config.address, config.port, "http", "http");
}

std::uint16_t HttpServer::port() const { return bound_port(state_->acceptor); }

asio::awaitable<void> HttpServer::run() {
  auto state = state_;
  auto executor = co_await asio::this_coro::executor;
  spdlog::info("http: serving {}/metrics and /healthz on {}://{}:{}",
               state->alerts ? "the live alerts page (/), " : "", state->tls ? "https" : "http",
               state->config.address, port());
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
      // A TLS client could not read a plain answer: it just sees the connection close.
      if (!state->tls) socket.write_some(asio::buffer(kBusy), ignored);
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

void HttpServer::end_sessions(std::string_view account) { state_->logins.close_account(account); }

}  // namespace probity::http
