// HttpServer: Boost.Beast over C++20 coroutines, one coroutine per connection,
// keep-alive, GET only. Bound to loopback by default: metrics name no person, but the
// alerts API that joins later will.
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "http/http.h"

namespace probity::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

struct HttpServer::State {
  HttpConfig config;
  const MetricsRegistry& metrics;
  HealthCheck health;
  tcp::acceptor acceptor;
  std::set<std::shared_ptr<beast::tcp_stream>> sessions;
  bool stopping = false;

  State(asio::any_io_executor ex, HttpConfig c, const MetricsRegistry& m, HealthCheck h)
      : config(std::move(c)), metrics(m), health(std::move(h)), acceptor(ex) {}
};

namespace {

bhttp::response<bhttp::string_body> respond(const HttpServer::State& state,
                                           const bhttp::request<bhttp::string_body>& req) {
  bhttp::response<bhttp::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::server, "probity");
  res.set(bhttp::field::cache_control, "no-store");
  const std::string_view target = req.target();
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    res.result(bhttp::status::method_not_allowed);
    res.set(bhttp::field::allow, "GET, HEAD");
    res.body() = "method not allowed\n";
  } else if (target == "/metrics") {
    res.result(bhttp::status::ok);
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.body() = state.metrics.render();
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

asio::awaitable<void> serve(std::shared_ptr<HttpServer::State> state,
                            std::shared_ptr<beast::tcp_stream> stream) {
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024);
    stream->expires_after(std::chrono::seconds(30));
    auto [ec, n] = co_await bhttp::async_read(*stream, buffer, parser, kAwait);
    if (ec) break;
    auto res = respond(*state, parser.get());
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
                       const MetricsRegistry& metrics, HealthCheck health)
    : state_(std::make_shared<State>(std::move(executor), std::move(config), metrics,
                                     std::move(health))) {}

HttpServer::~HttpServer() = default;

Result<void> HttpServer::open() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(state_->config.address, ec);
  if (ec) return fail("http.bad_address", "http: '" + state_->config.address + "' is not an IP address");
  const tcp::endpoint endpoint(address, state_->config.port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("http.listen", "http: cannot listen on " + state_->config.address + ":" +
                                   std::to_string(state_->config.port) + ": " + ec.message());
  return {};
}

std::uint16_t HttpServer::port() const {
  boost::system::error_code ec;
  return state_->acceptor.local_endpoint(ec).port();
}

asio::awaitable<void> HttpServer::run() {
  auto state = state_;
  auto executor = co_await asio::this_coro::executor;
  spdlog::info("http: serving /metrics and /healthz on http://{}:{}", state->config.address,
               port());
  while (!state->stopping) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAwait);
    if (ec) {
      if (state->stopping || ec == asio::error::operation_aborted) break;
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
