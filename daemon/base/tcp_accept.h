// What the two TCP servers (ingest/ listeners and http/) share around accept(): opening the
// listening socket and pausing after a failed accept. Header-only and built on Boost.Asio:
// include it only from stages that link Boost::headers. Not the accept loop itself, whose
// per-connection checks and counters differ by server.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/result.h"
#include "base/throttle.h"

namespace probity {

/// Opens, sets SO_REUSEADDR (a restart must not wait out TIME_WAIT), binds and listens; the
/// first step's error, or none.
inline boost::system::error_code listen_on(boost::asio::ip::tcp::acceptor& acceptor,
                                           const boost::asio::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  return ec;
}

/// listen_on() at a configured address and port, with the errors a user reads: `<stage>.
/// bad_address` when the address is not an IP address, `<stage>.listen` when the socket
/// cannot be had (port in use, no permission). `who` starts each message ("http").
inline Result<void> listen_at(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address,
                              std::uint16_t port, std::string_view stage, const std::string& who) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(address, ec);
  if (ec)
    return fail(std::string(stage) + ".bad_address",
                who + ": '" + address + "' is not an IP address");
  ec = listen_on(acceptor, boost::asio::ip::tcp::endpoint(ip, port));
  if (ec)
    return fail(std::string(stage) + ".listen", who + ": cannot listen on " + address + ":" +
                                                    std::to_string(port) + ": " + ec.message());
  return {};
}

/// The port the acceptor is bound to (the one picked when configured as 0); 0 when closed.
inline std::uint16_t bound_port(const boost::asio::ip::tcp::acceptor& acceptor) {
  boost::system::error_code ec;
  return acceptor.local_endpoint(ec).port();
}

/// Whether an accept failed for want of file descriptors (EMFILE, ENFILE).
inline bool is_fd_exhaustion(const boost::system::error_code& ec) {
  return ec == boost::asio::error::no_descriptors ||
         ec == boost::system::errc::too_many_files_open_in_system;
}

/// After a failed accept: out of descriptors the pending connection stays queued and the next
/// accept fails at once, so wait backoff.failed() rather than spin. Calls
/// report(failures, delay) when `log` says a line is due, so a flood costs a few lines.
template <class Report>
boost::asio::awaitable<void> pause_after_failed_accept(boost::asio::steady_timer& pause,
                                                       AcceptBackoff& backoff, LogThrottle& log,
                                                       Report report) {
  const std::chrono::milliseconds delay = backoff.failed();
  if (const std::uint64_t n = log.occurrence(std::chrono::steady_clock::now())) report(n, delay);
  pause.expires_after(delay);
  co_await pause.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace probity
