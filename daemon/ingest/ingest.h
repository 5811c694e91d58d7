// Syslog listeners: accept TCP connections, split each byte stream into frames
// (framing.h) or RELP frames (relp_session.h), or receive UDP datagrams, and hand every
// whole message to a MessageSink on the I/O thread.
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
  /// RFC 5426 syslog over UDP instead of TCP: one message per datagram, no acknowledgement
  /// and no flow control, so datagrams are lost when the sender outruns the socket buffer.
  /// For legacy senders only; tls and the connection limits do not apply.
  bool udp = false;
  /// RELP (rsyslog's omrelp) instead of RFC 6587 framing: each message is acknowledged to
  /// the sender once the sink made it durable (MessageSink::make_durable), so a sender
  /// re-sends whatever a crash or a broken connection left unacknowledged. TLS and the
  /// connection limits apply as for TCP.
  bool relp = false;
};

/// Where frames go. Called on the I/O thread, one message at a time, in stream order.
class MessageSink {
 public:
  virtual ~MessageSink() = default;
  /// `peer` is "address:port" of the sender, for rejection logs.
  virtual void on_message(std::string_view message, std::string_view peer) = 0;
  /// After the frames of one read: a sink that batches hands its batch on here.
  virtual void on_batch_end() {}

  /// A message the sender keeps until it is acknowledged (RELP). `may_be_resent`: it came
  /// early in a session, where a sender re-sends what a broken session left unanswered, so
  /// the sink may recognise one it already holds and skip it.
  virtual void on_acknowledged_message(std::string_view message, std::string_view peer,
                                       bool may_be_resent) {
    (void)may_be_resent;
    on_message(message, peer);
  }
  /// Returns once everything handed on so far survives a crash of the process and of the
  /// machine; false when it could not be made so (the sender must then re-send).
  virtual bool make_durable() { return true; }
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
  std::atomic<std::uint64_t> udp_datagrams{0};      ///< received on UDP listeners (also messages)
  std::atomic<std::uint64_t> relp_acknowledged{0};  ///< RELP messages answered "200 OK"
  std::atomic<std::uint64_t> relp_refused{0};       ///< answered with an error: not durable
  std::atomic<std::uint64_t> relp_protocol_errors{0};  ///< sessions closed for broken RELP
};

/// One syslog endpoint. Lives on one io_context; all members are used from its thread.
class Listener {
 public:
  virtual ~Listener() = default;
  /// Loads TLS material (if any) and binds; errors name the file or address and the reason
  /// (e.g. port in use, key does not match certificate).
  virtual Result<void> open() = 0;
  /// The bound port (useful when configured as 0).
  virtual std::uint16_t port() const = 0;
  /// Receives until stop(); then returns once what was received is handed on.
  virtual boost::asio::awaitable<void> run() = 0;
  virtual void stop() = 0;
  /// Reads the TLS certificate, key, CA and CRL files again (a rotation): new connections
  /// use them, open ones keep theirs. On error the running ones stay. On the I/O thread.
  virtual Result<void> reload_tls() { return {}; }
};

/// A TcpListener or, for `udp`, a UdpListener.
std::unique_ptr<Listener> make_listener(boost::asio::any_io_executor executor,
                                        ListenerConfig config, MessageSink& sink,
                                        IngestCounters& counters);

/// TCP or TLS (RFC 5425) with RFC 6587 framing.
class TcpListener final : public Listener {
 public:
  TcpListener(boost::asio::any_io_executor executor, ListenerConfig config, MessageSink& sink,
              IngestCounters& counters);
  ~TcpListener() override;

  Result<void> open() override;
  std::uint16_t port() const override;
  /// Accept loop; returns once stop() was called.
  boost::asio::awaitable<void> run() override;
  /// Stops accepting and asks every session to finish the frames it holds and close.
  void stop() override;
  Result<void> reload_tls() override;

  struct State;  ///< shared with the connection coroutines (the .cpp's business)

 private:
  std::shared_ptr<State> state_;
};

/// RFC 5426: each datagram is one message (a trailing LF or NUL is dropped). One past
/// max_message_size is refused whole (rejected_too_long), never cut. Datagrams the socket
/// buffer overflows are lost before Probity sees them: the kernel counts them
/// (`RcvbufErrors` in /proc/net/snmp). The receive buffer is raised to 4 MiB to make that rare.
class UdpListener final : public Listener {
 public:
  UdpListener(boost::asio::any_io_executor executor, ListenerConfig config, MessageSink& sink,
              IngestCounters& counters);
  ~UdpListener() override;

  Result<void> open() override;
  std::uint16_t port() const override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace probity::ingest
