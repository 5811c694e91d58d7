// Syslog listeners: accept TCP connections, split each byte stream into frames
// (framing.h) and hand every whole message to a MessageSink on the I/O thread.
// Not for parsing or decoding: the sink does that (app/ wires it to the pipeline).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "base/result.h"
#include "base/tls_server.h"

namespace probity::ingest {

/// RFC 5425 syslog over TLS: the daemon's one TLS policy (base/tls_server.h), with client
/// certificates when ca_file is set.
using TlsConfig = TlsServerConfig;

struct ListenerConfig {
  std::string name = "syslog";
  std::string address = "127.0.0.1";
  std::uint16_t port = 5514;  ///< 0 picks a free port (tests)
  std::size_t max_message_size = 64 * 1024;
  /// app/ lowers it to fit the fd limit (app/fd_budget.h); over it, connections are closed.
  std::size_t max_connections = 1024;
  /// One sender (address) may hold at most this many, so one peer cannot fill the table.
  std::size_t max_connections_per_address = 64;
  /// TLS only: connections still in the handshake, and how long one may take.
  std::size_t max_handshakes = 64;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds idle_timeout{3600};
  std::optional<TlsConfig> tls;  ///< plain TCP when absent
};

/// Where frames go. Called on the I/O thread, one message at a time, in stream order.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  /// `peer` is "address:port" of the sender, for rejection logs.
  virtual void on_message(std::string_view message, std::string_view peer) = 0;
  /// After the frames of one read: a sink that batches hands its batch on here.
  virtual void on_batch_end() {}
};

struct IngestCounters {
  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::uint64_t> connections_refused{0};  ///< over a connection cap
  std::atomic<std::uint64_t> accept_failures{0};      ///< accept() errors (EMFILE, ...)
  /// 1 while accepts fail for want of file descriptors (EMFILE/ENFILE); for /healthz.
  std::atomic<std::uint64_t> accept_fd_exhausted{0};
  std::atomic<std::uint64_t> connections_open{0};
  std::atomic<std::uint64_t> bytes_received{0};
  std::atomic<std::uint64_t> messages_received{0};
  std::atomic<std::uint64_t> rejected_too_long{0};
  std::atomic<std::uint64_t> rejected_bad_frame{0};
  std::atomic<std::uint64_t> read_errors{0};
  std::atomic<std::uint64_t> tls_handshake_failures{0};
};

/// One TCP endpoint. Lives on one io_context; all members are used from its thread.
class TcpListener {
 public:
  TcpListener(boost::asio::any_io_executor executor, ListenerConfig config, MessageSink& sink,
              IngestCounters& counters);
  ~TcpListener();

  /// Loads TLS material (if any), binds and listens; errors name the file or address and
  /// the reason (e.g. port in use, key does not match certificate).
  Result<void> open();
  /// The bound port (useful when configured as 0).
  std::uint16_t port() const;
  /// Accept loop; returns once stop() was called.
  boost::asio::awaitable<void> run();
  /// Stops accepting and asks every session to finish the frames it holds and close.
  void stop();

  struct State;  ///< shared with the connection coroutines (the .cpp's business)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace probity::ingest
