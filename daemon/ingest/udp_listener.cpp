// UdpListener: one receive coroutine over a UDP socket (RFC 5426), and make_listener.
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/await.h"
#include "base/throttle.h"
#include "ingest/ingest.h"

namespace probity::ingest {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {
constexpr int kReceiveBuffer = 4 << 20;  // a burst of a few thousand lines waits here
constexpr std::size_t kMaxDatagram = 65'535;
}  // namespace

struct UdpListener::State {
  State(const asio::any_io_executor& executor, ListenerConfig c, MessageSink& s, IngestCounters& k)
      : config(std::move(c)), sink(s), counters(k), socket(executor) {}
  ListenerConfig config;
  MessageSink& sink;
  IngestCounters& counters;
  udp::socket socket;
  bool stopping = false;
  LogThrottle oversize_log{std::chrono::seconds(60)};
};

UdpListener::UdpListener(asio::any_io_executor executor, ListenerConfig config, MessageSink& sink,
                         IngestCounters& counters)
    : state_(std::make_shared<State>(std::move(executor), std::move(config), sink, counters)) {}

UdpListener::~UdpListener() = default;

Result<void> UdpListener::open() {
  auto& s = *state_;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(s.config.address, ec);
  if (ec)
    return fail("ingest.address", "listener " + s.config.name + ": bad address '" +
                                      s.config.address + "': " + ec.message());
  const udp::endpoint endpoint(address, s.config.port);
  s.socket.open(endpoint.protocol(), ec);
  if (!ec) s.socket.bind(endpoint, ec);
  if (ec)
    return fail("ingest.bind", "listener " + s.config.name + ": cannot bind UDP " +
                                   s.config.address + ":" + std::to_string(s.config.port) + ": " +
                                   ec.message());
  // The kernel may grant less (net.core.rmem_max); what it grants is still the most it can.
  s.socket.set_option(asio::socket_base::receive_buffer_size(kReceiveBuffer), ec);
  return {};
}

std::uint16_t UdpListener::port() const {
  boost::system::error_code ec;
  const auto local = state_->socket.local_endpoint(ec);
  return ec ? 0 : local.port();
}

asio::awaitable<void> UdpListener::run() {
  auto state = state_;
  spdlog::warn(
      "{}: listening for syslog on UDP {}:{} (RFC 5426): no acknowledgement, so a message "
      "lost on the way or in a full socket buffer is not re-sent; use TCP or TLS where the "
      "sender can",
      state->config.name, state->config.address, port());
  std::vector<char> buffer(kMaxDatagram + 1);
  const std::size_t limit = std::min(state->config.max_message_size, kMaxDatagram);
  while (!state->stopping) {
    udp::endpoint from;
    auto [ec, n] = co_await state->socket.async_receive_from(asio::buffer(buffer), from, kAwait);
    if (ec) {
      if (state->stopping || ec == asio::error::operation_aborted) break;
      state->counters.read_errors.fetch_add(1, std::memory_order_relaxed);
      continue;  // ICMP errors and the like end nothing on a datagram socket
    }
    auto& counters = state->counters;
    counters.bytes_received.fetch_add(n, std::memory_order_relaxed);
    counters.udp_datagrams.fetch_add(1, std::memory_order_relaxed);
    std::string_view message(buffer.data(), n);
    while (!message.empty() && (message.back() == '\n' || message.back() == '\0'))
      message.remove_suffix(1);
    const std::string peer = from.address().to_string() + ":" + std::to_string(from.port());
    if (message.size() > limit) {
      counters.rejected_too_long.fetch_add(1, std::memory_order_relaxed);
      if (const auto refused = state->oversize_log.occurrence(LogThrottle::Clock::now()))
        spdlog::warn(
            "{}: refused a {}-byte datagram from {} (max_message_size {}; {} refused "
            "since the last report)",
            state->config.name, n, peer, limit, refused);
      continue;
    }
    if (message.empty()) continue;
    counters.messages_received.fetch_add(1, std::memory_order_relaxed);
    state->sink.on_message(message, peer);
    state->sink.on_batch_end();
  }
}

void UdpListener::stop() {
  state_->stopping = true;
  boost::system::error_code ec;
  state_->socket.close(ec);
}

std::unique_ptr<Listener> make_listener(asio::any_io_executor executor, ListenerConfig config,
                                        MessageSink& sink, IngestCounters& counters) {
  if (config.udp)
    return std::make_unique<UdpListener>(std::move(executor), std::move(config), sink, counters);
  return std::make_unique<TcpListener>(std::move(executor), std::move(config), sink, counters);
}

}  // namespace probity::ingest
