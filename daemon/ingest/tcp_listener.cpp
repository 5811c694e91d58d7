// TcpListener: one accept-loop coroutine and one coroutine per connection, over plain
// TCP or TLS (RFC 5425). Errors on a connection are counted and logged once per
// connection with the peer address; they never affect other connections.
#include <map>
#include <set>

#include <boost/asio/ssl.hpp>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "base/await.h"
#include "base/tcp_accept.h"
#include "base/throttle.h"
#include "base/tls_server.h"
#include "ingest/framing.h"
#include "ingest/ingest.h"
#include "ingest/relp_session.h"

namespace probity::ingest {

namespace asio = boost::asio;
using asio::ip::tcp;
// Floods (refusals, failed accepts, failed handshakes) log at most once per interval.
constexpr auto kLogInterval = std::chrono::seconds(60);

namespace {

/// One connection: its socket and the one deadline timer that may close it (handshake,
/// then idle). Shared by the connection coroutine, the listener's session set and any
/// pending timer handler, so a timer completion queued as the coroutine ends still finds
/// the socket alive; the coroutine cancels the timer before it lets go.
struct Session {
  Session(tcp::socket s, std::string a)
      : socket(std::move(s)), deadline(socket.get_executor()), address(std::move(a)) {}
  tcp::socket socket;
  asio::steady_timer deadline;
  std::string address;  // the sender, for the per-address count
};

/// (Re)arms the session's deadline: when it passes, the socket is closed and the pending
/// read or handshake ends with an error.
void arm_deadline(const std::shared_ptr<Session>& session, asio::steady_timer::duration after) {
  session->deadline.expires_after(after);
  session->deadline.async_wait([session](boost::system::error_code ec) {
    // A completion already queued when the timer was re-armed still reports success:
    // only a deadline that has really passed closes the connection.
    if (!ec && session->deadline.expiry() <= asio::steady_timer::clock_type::now())
      session->socket.close(ec);
  });
}

}  // namespace

struct TcpListener::State {
  ListenerConfig config;
  MessageSink& sink;
  IngestCounters& counters;
  tcp::acceptor acceptor;
  // Shared with the connections that use it: a reload swaps in a new context for new
  // connections while open ones keep theirs.
  std::shared_ptr<asio::ssl::context> tls;
  std::set<std::shared_ptr<Session>> sessions;     // open connections, for a clean stop
  std::map<std::string, std::size_t> per_address;  // open connections by sender address
  std::size_t handshakes = 0;                      // TLS connections not yet handshaken
  bool stopping = false;
  LogThrottle refusal_log{kLogInterval};
  LogThrottle accept_log{kLogInterval};
  LogThrottle handshake_log{kLogInterval};

  State(asio::any_io_executor ex, ListenerConfig c, MessageSink& s, IngestCounters& k)
      : config(std::move(c)), sink(s), counters(k), acceptor(ex) {}
};

namespace {

std::string peer_of(const tcp::socket& socket) {
  boost::system::error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

/// Per-connection rejection bookkeeping: the first problem of each kind is logged with
/// the peer, later ones only counted, and a summary is logged at close.
struct ConnectionLog {
  std::string listener;
  std::string peer;
  std::uint64_t too_long = 0;
  std::uint64_t bad_frames = 0;

  void reject(FrameStatus status, std::size_t size, std::size_t max) {
    if (status == FrameStatus::too_long) {
      if (too_long++ == 0)
        spdlog::warn("{}: {} sent a message of {} bytes, over the {}-byte limit; skipped", listener,
                     peer, size, max);
    } else if (bad_frames++ == 0) {
      spdlog::warn("{}: {} sent a broken frame (octet count not a number); skipped to next line",
                   listener, peer);
    }
  }
  ~ConnectionLog() {
    if (too_long + bad_frames > 1)
      spdlog::warn("{}: {} closed; rejected {} oversized and {} broken frames in all", listener,
                   peer, too_long, bad_frames);
  }
};

/// Counts and logs a read that ended other than by the peer closing or a stop.
void count_read_error(TcpListener::State& state, const std::string& peer,
                      boost::system::error_code ec) {
  if (ec == asio::error::eof || ec == asio::error::operation_aborted ||
      ec == asio::error::connection_reset || ec == asio::error::bad_descriptor ||
      ec == asio::ssl::error::stream_truncated)
    return;
  state.counters.read_errors.fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("{}: read from {} failed: {}", state.config.name, peer, ec.message());
}

/// Reads frames from one connection until it closes, fails, idles out or is stopped.
/// `Stream` is tcp::socket or ssl::stream<tcp::socket> (already handshaken).
template <class Stream>
asio::awaitable<void> read_frames(TcpListener::State& state, Stream& stream,
                                  const std::shared_ptr<Session>& session,
                                  const std::string& peer) {
  auto& counters = state.counters;
  ConnectionLog log{state.config.name, peer};
  FrameDecoder decoder(state.config.max_message_size);
  std::array<char, 64 * 1024> buffer;

  auto drain = [&](Frame frame) {
    switch (frame.status) {
      case FrameStatus::frame:
        counters.messages_received.fetch_add(1, std::memory_order_relaxed);
        state.sink.on_message(frame.bytes, peer);
        return true;
      case FrameStatus::too_long:
        counters.rejected_too_long.fetch_add(1, std::memory_order_relaxed);
        log.reject(frame.status, frame.claimed_length, state.config.max_message_size);
        return true;
      case FrameStatus::bad_frame:
        counters.rejected_bad_frame.fetch_add(1, std::memory_order_relaxed);
        log.reject(frame.status, 0, 0);
        return true;
      case FrameStatus::need_more:
        return false;
    }
    return false;
  };

  for (;;) {
    // The idle deadline closes connections that hold a slot and send nothing.
    arm_deadline(session, state.config.idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer), kAwait);
    session->deadline.cancel();
    if (n > 0) {
      counters.bytes_received.fetch_add(n, std::memory_order_relaxed);
      decoder.feed(std::string_view(buffer.data(), n));
      while (drain(decoder.next())) {
      }
      state.sink.on_batch_end();
    }
    if (ec) {
      count_read_error(state, peer, ec);
      break;
    }
  }
  // A last LF-framed message without its trailer is still a message.
  drain(decoder.finish());
  state.sink.on_batch_end();
}

/// RELP over one connection: answers go back after each read, acknowledgements only once
/// the sink made that read's messages durable (relp_session.h).
template <class Stream>
asio::awaitable<void> serve_relp(TcpListener::State& state, Stream& stream,
                                 const std::shared_ptr<Session>& session, const std::string& peer) {
  RelpSession relp(state.config.name, peer, state.config.max_message_size, state.sink,
                   state.counters);
  std::array<char, 64 * 1024> buffer;
  std::string answers;
  for (;;) {
    arm_deadline(session, state.config.idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(buffer), kAwait);
    session->deadline.cancel();
    bool go_on = true;
    if (n > 0) {
      state.counters.bytes_received.fetch_add(n, std::memory_order_relaxed);
      go_on = relp.on_bytes(std::string_view(buffer.data(), n), answers);
      if (!answers.empty()) {
        // A sender that stops reading its answers holds the connection only until idle.
        arm_deadline(session, state.config.idle_timeout);
        auto [write_ec, written] =
            co_await asio::async_write(stream, asio::buffer(answers), kAwait);
        session->deadline.cancel();
        answers.clear();
        if (write_ec) break;
      }
    }
    if (ec) count_read_error(state, peer, ec);
    if (ec || !go_on) break;
  }
}

/// The connection's protocol: RELP or RFC 6587 syslog frames.
template <class Stream>
asio::awaitable<void> serve_stream(TcpListener::State& state, Stream& stream,
                                   const std::shared_ptr<Session>& session,
                                   const std::string& peer) {
  if (state.config.relp)
    co_await serve_relp(state, stream, session, peer);
  else
    co_await read_frames(state, stream, session, peer);
}

asio::awaitable<void> serve(std::shared_ptr<TcpListener::State> state,
                            std::shared_ptr<Session> session) {
  auto& socket = session->socket;
  const std::string peer = peer_of(socket);
  spdlog::debug("{}: connection from {}", state->config.name, peer);
  if (!state->tls) {
    co_await serve_stream(*state, socket, session, peer);
  } else {
    const auto context = state->tls;
    asio::ssl::stream<tcp::socket&> tls(socket, *context);
    // A short deadline: a peer that opens connections and never finishes the handshake
    // holds a slot of the (separately capped) handshake pool only briefly.
    arm_deadline(session, state->config.handshake_timeout);
    auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, kAwait);
    session->deadline.cancel();
    --state->handshakes;
    if (ec) {
      state->counters.tls_handshake_failures.fetch_add(1, std::memory_order_relaxed);
      if (const auto n = state->handshake_log.occurrence(std::chrono::steady_clock::now()))
        spdlog::warn(
            "{}: TLS handshake with {} failed: {} ({} failed handshake(s) since the last "
            "report)",
            state->config.name, peer, ec.message(), n);
    } else {
      co_await serve_stream(*state, tls, session, peer);
    }
  }
  session->deadline.cancel();
  boost::system::error_code ignored;
  socket.close(ignored);
  state->sessions.erase(session);
  if (const auto it = state->per_address.find(session->address);
      it != state->per_address.end() && --it->second == 0)
    state->per_address.erase(it);
  state->counters.connections_open.fetch_sub(1, std::memory_order_relaxed);
}

/// Why a new connection must be closed at once, or nullptr to serve it.
const char* over_cap(const TcpListener::State& state, const std::string& address) {
  if (state.sessions.size() >= state.config.max_connections) return "max_connections";
  if (const auto it = state.per_address.find(address);
      it != state.per_address.end() && it->second >= state.config.max_connections_per_address)
    return "max_connections_per_address";
  if (state.tls && state.handshakes >= state.config.max_handshakes) return "max_handshakes";
  return nullptr;
}

}  // namespace

TcpListener::TcpListener(asio::any_io_executor executor, ListenerConfig config, MessageSink& sink,
                         IngestCounters& counters)
    : state_(std::make_shared<State>(std::move(executor), std::move(config), sink, counters)) {}

TcpListener::~TcpListener() = default;

Result<void> TcpListener::open() {
  if (auto loaded = reload_tls(); !loaded) return loaded;
  return listen_at(state_->acceptor, state_->config.address, state_->config.port, "ingest",
                   "listener " + state_->config.name);
}

std::uint16_t TcpListener::port() const { return bound_port(state_->acceptor); }

Result<void> TcpListener::reload_tls() {
  if (!state_->config.tls) return {};
  auto ctx =
      make_tls_server_context(*state_->config.tls, "listener " + state_->config.name, "ingest.tls");
  if (!ctx) return tl::unexpected(ctx.error());
  state_->tls = std::make_shared<asio::ssl::context>(std::move(*ctx));
  return {};
}

asio::awaitable<void> TcpListener::run() {
  auto state = state_;
  auto executor = co_await asio::this_coro::executor;
  spdlog::info("{}: listening for syslog on {}:{} ({}, {})", state->config.name,
               state->config.address, port(),
               state->tls
                   ? (state->config.tls->require_client_cert ? "TLS, client certificates" : "TLS")
                   : "plain TCP",
               state->config.relp ? "RELP, acknowledged once stored" : "RFC 6587 framing");
  AcceptBackoff backoff;
  asio::steady_timer pause(executor);
  while (!state->stopping) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAwait);
    if (ec) {
      if (state->stopping || ec == asio::error::operation_aborted) break;
      auto& counters = state->counters;
      counters.accept_failures.fetch_add(1, std::memory_order_relaxed);
      if (is_fd_exhaustion(ec)) counters.accept_fd_exhausted.store(1, std::memory_order_relaxed);
      co_await pause_after_failed_accept(
          pause, backoff, state->accept_log, [&](auto n, auto delay) {
            spdlog::warn(
                "{}: accept failed: {} ({} failure(s) since the last report; pausing up to "
                "{} ms between tries)",
                state->config.name, ec.message(), n, delay.count());
          });
      continue;
    }
    if (backoff.failing()) {
      backoff.succeeded();
      state->counters.accept_fd_exhausted.store(0, std::memory_order_relaxed);
      spdlog::info("{}: accepting connections again", state->config.name);
    }
    boost::system::error_code ignored;
    const auto remote = socket.remote_endpoint(ignored);
    std::string address = ignored ? std::string("unknown") : remote.address().to_string();
    if (const char* cap = over_cap(*state, address)) {
      state->counters.connections_refused.fetch_add(1, std::memory_order_relaxed);
      if (const auto n = state->refusal_log.occurrence(std::chrono::steady_clock::now()))
        spdlog::warn(
            "{}: refused {} ({} open, {} from that address): {} reached ({} refusal(s) "
            "since the last report)",
            state->config.name, peer_of(socket), state->sessions.size(),
            state->per_address.contains(address) ? state->per_address.at(address) : 0, cap, n);
      socket.close(ignored);
      continue;
    }
    state->counters.connections_accepted.fetch_add(1, std::memory_order_relaxed);
    state->counters.connections_open.fetch_add(1, std::memory_order_relaxed);
    // Counted here, not when the coroutine starts: co_spawn runs it later, and a burst of
    // accepts must see every connection already taken.
    ++state->per_address[address];
    if (state->tls) ++state->handshakes;
    auto session = std::make_shared<Session>(std::move(socket), std::move(address));
    state->sessions.insert(session);
    asio::co_spawn(executor, serve(state, std::move(session)), [state](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("{}: connection handler failed: {}", state->config.name, ex.what());
      }
    });
  }
}

void TcpListener::stop() {
  state_->stopping = true;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
  // Cancelling a read makes the session process what it already holds, then close.
  for (const auto& session : state_->sessions) session->socket.cancel(ec);
}

}  // namespace probity::ingest
