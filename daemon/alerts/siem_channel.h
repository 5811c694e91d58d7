// Internal to alerts/: the SIEM channel, each alert as one RFC 5424 syslog message (CEF or
// JSON) to a collector over TCP or TLS (RFC 5425) on one long-lived connection. Not for
// retries (outbox.h) or for the CEF record itself (cef.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/channel.h"

namespace probity::alerts {

/// Sends each alert's pseudonymised view as one octet-counted syslog message (RFC 6587
/// §3.4.1, RFC 5425 §4.3): "<len> <PRI>1 TIMESTAMP HOSTNAME probity PID alert - MSG".
/// The connection is kept open between alerts; one found closed by the collector (a
/// restart) is replaced before writing, and a write that fails is tried once more on a
/// fresh connection. Syslog has no acknowledgement: "delivered" means written to the
/// socket. TLS verifies the collector's certificate against ca_file and host. Under
/// TLS 1.3 a collector refuses our client certificate only after our side of the handshake
/// is done: that first message is lost unseen, and every later send() fails to connect.
class SiemChannel final : public Channel {
 public:
  /// Errors: alerts.siem for a missing host or port, an unknown format, or a ca, cert or
  /// key file that cannot be read. Does not connect: the first send() does.
  static Result<std::unique_ptr<SiemChannel>> create(SiemConfig config);
  ~SiemChannel() override;
  SiemChannel(const SiemChannel&) = delete;
  SiemChannel& operator=(const SiemChannel&) = delete;

  std::string_view kind() const override { return "siem"; }
  Result<void> send(const Alert& alert) override;
  /// One message per alert, as send(): a SIEM wants one record per alert. Stops at the
  /// first failure; the retried digest sends the earlier ones again (at least once).
  Result<void> send_digest(const std::vector<Alert>& alerts, event::Timestamp now) override;

 private:
  struct Connection;  // the libcurl handle (siem_channel.cpp)
  explicit SiemChannel(SiemConfig config);
  std::string frame(const Alert& alert) const;
  Result<void> deliver(std::string_view frame);
  Result<void> connect();
  Result<void> write_all(std::string_view bytes);
  bool connection_usable();

  SiemConfig config_;
  std::string hostname_;  ///< as the syslog header carries it
  std::unique_ptr<Connection> connection_;
};

}  // namespace probity::alerts
