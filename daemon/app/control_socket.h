// The running daemon's local door for its own command line: a Unix stream socket in the
// state directory (`control.sock`, 0600) over which `probity alerts ack|...` and `probity
// users ...` act on the live daemon instead of the store it holds locked. Only the daemon's
// own Unix account and root may connect (SO_PEERCRED); the person recorded in the trail is
// the one the kernel names for the peer process (audit::peer_actor), never a claim made in
// the request.
//
// Protocol: one JSON object per line each way. A request is {"op": "...", ...}; the answer
// is {"ok": true, "result": {...}} or {"ok": false, "code": "...", "error": "..."}.
// Requests are at most kMaxControlRequest bytes; a longer line ends the connection.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json_fwd.hpp>

#include "audit/audit.h"
#include "base/result.h"
#include "config/config.h"

namespace probity::app {

inline constexpr std::size_t kMaxControlRequest = 256 * 1024;

/// Where the socket of the daemon using `config` is.
std::filesystem::path control_socket_path(const config::Config& config);

/// Answers one request from `actor`: the "result" object, or an error for the answer's
/// "code" and "error". Runs on the server's executor.
using ControlHandler =
    std::function<Result<nlohmann::json>(const nlohmann::json& request, const audit::Actor& actor)>;

class ControlServer {
 public:
  ControlServer(boost::asio::any_io_executor executor, std::filesystem::path path,
                ControlHandler handler);
  ~ControlServer();
  /// Binds the socket (a file left by a daemon that died is replaced: the state lock says
  /// no other daemon uses this directory) with mode 0600. Errors: control.listen.
  Result<void> open();
  boost::asio::awaitable<void> run();
  /// Closes the socket and every connection, and removes the file.
  void stop();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

/// The command line's side: sends `request` to the daemon and returns its "result".
/// Errors: control.unreachable (no daemon answers at the socket), control.io, and the
/// daemon's own error codes and messages.
Result<nlohmann::json> call_daemon(const std::filesystem::path& socket,
                                   const nlohmann::json& request);

}  // namespace probity::app
