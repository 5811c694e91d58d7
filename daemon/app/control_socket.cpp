// ControlServer and call_daemon (control_socket.h).
#include "app/control_socket.h"
#include "base/await.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

namespace probity::app {

namespace asio = boost::asio;
using Json = nlohmann::json;
using Local = asio::local::stream_protocol;
// A command line that has not finished its request by then has stalled or is not ours.
constexpr auto kRequestTimeout = std::chrono::seconds(30);

std::filesystem::path control_socket_path(const config::Config& config) {
  return config.state_dir / "control.sock";
}

struct ControlServer::State {
  std::filesystem::path path;
  ControlHandler handler;
  Local::acceptor acceptor;
  std::set<std::shared_ptr<Local::socket>> connections;
  bool stopping = false;

  State(asio::any_io_executor ex, std::filesystem::path p, ControlHandler h)
      : path(std::move(p)), handler(std::move(h)), acceptor(ex) {}
};

namespace {

Json error_answer(std::string_view code, std::string_view message) {
  return Json{{"ok", false}, {"code", code}, {"error", message}};
}

// Who is at the other end, as the kernel says: only this daemon's account and root may
// act through the socket, as only they could open the state directory themselves.
std::optional<audit::Actor> trusted_peer(Local::socket& socket) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(socket.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
    return std::nullopt;
  if (cred.uid != ::geteuid() && cred.uid != 0) return std::nullopt;
  return audit::peer_actor(cred.uid, cred.pid);
}

Json answer(ControlServer::State& state, std::string_view line, const audit::Actor& actor) {
  const Json request = Json::parse(line, nullptr, false);
  if (!request.is_object() || !request.contains("op") || !request["op"].is_string())
    return error_answer("control.bad_request", "a request is a JSON object with an \"op\"");
  try {
    auto result = state.handler(request, actor);
    if (!result) return error_answer(result.error().code, result.error().message);
    return Json{{"ok", true}, {"result", std::move(*result)}};
  } catch (const Json::exception& e) {
    // A member of the wrong type in an otherwise well-formed request.
    return error_answer("control.bad_request", e.what());
  }
}

asio::awaitable<void> serve(std::shared_ptr<ControlServer::State> state,
                            std::shared_ptr<Local::socket> socket) {
  boost::system::error_code ignored;
  const auto actor = trusted_peer(*socket);
  if (!actor) {
    spdlog::warn("control socket: a process of another account was refused");
    const std::string refusal =
        error_answer("control.refused", "only the daemon's account and root may use this socket")
            .dump() +
        "\n";
    co_await asio::async_write(*socket, asio::buffer(refusal), kAwait);
  } else {
    std::string buffer;
    asio::steady_timer deadline(socket->get_executor());
    for (;;) {
      deadline.expires_after(kRequestTimeout);
      deadline.async_wait([socket](boost::system::error_code ec) {
        boost::system::error_code closed;
        if (!ec) socket->close(closed);
      });
      auto [ec, n] = co_await asio::async_read_until(
          *socket, asio::dynamic_buffer(buffer, kMaxControlRequest), '\n', kAwait);
      deadline.cancel();
      if (ec) break;
      const std::string out = answer(*state, std::string_view(buffer).substr(0, n - 1), *actor)
                                  .dump(-1, ' ', false, Json::error_handler_t::replace) +
                              "\n";
      buffer.erase(0, n);
      auto [wec, wn] = co_await asio::async_write(*socket, asio::buffer(out), kAwait);
      if (wec) break;
    }
  }
  socket->close(ignored);
  state->connections.erase(socket);
}

}  // namespace

ControlServer::ControlServer(asio::any_io_executor executor, std::filesystem::path path,
                             ControlHandler handler)
    : state_(std::make_shared<State>(std::move(executor), std::move(path), std::move(handler))) {}

ControlServer::~ControlServer() = default;

Result<void> ControlServer::open() {
  auto& s = *state_;
  if (s.path.native().size() >= sizeof(sockaddr_un::sun_path))
    return fail("control.listen", "control socket path " + s.path.string() +
                                      " is too long for a Unix socket; use a shorter state_dir");
  std::error_code gone;
  std::filesystem::remove(s.path, gone);
  boost::system::error_code ec;
  // Created without any access for others, so no moment exists where another account
  // could connect before the chmod.
  const auto mask = ::umask(0177);
  s.acceptor.open(Local(), ec);
  if (!ec) s.acceptor.bind(Local::endpoint(s.path.string()), ec);
  ::umask(mask);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("control.listen",
                "cannot listen on control socket " + s.path.string() + ": " + ec.message());
  return {};
}

asio::awaitable<void> ControlServer::run() {
  auto state = state_;
  auto executor = co_await asio::this_coro::executor;
  spdlog::info("control socket: {}", state->path.string());
  while (!state->stopping) {
    auto [ec, socket] = co_await state->acceptor.async_accept(kAwait);
    if (ec) {
      if (state->stopping || ec == asio::error::operation_aborted) break;
      // Out of descriptors or a signal: the socket stays; try again shortly.
      asio::steady_timer pause(executor, std::chrono::milliseconds(200));
      co_await pause.async_wait(kAwait);
      continue;
    }
    if (state->connections.size() >= 16) continue;  // closed by going out of scope
    auto connection = std::make_shared<Local::socket>(std::move(socket));
    state->connections.insert(connection);
    asio::co_spawn(executor, serve(state, connection), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("control socket: connection handler failed: {}", ex.what());
      }
    });
  }
}

void ControlServer::stop() {
  state_->stopping = true;
  boost::system::error_code ec;
  state_->acceptor.close(ec);
  for (const auto& c : state_->connections) c->close(ec);
  std::error_code gone;
  std::filesystem::remove(state_->path, gone);
}

Result<Json> call_daemon(const std::filesystem::path& socket, const Json& request) {
  const auto unreachable = [&](int err) {
    return fail("control.unreachable",
                "no daemon answers at " + socket.string() + ": " + std::strerror(err));
  };
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket.native().size() >= sizeof address.sun_path) return unreachable(ENAMETOOLONG);
  std::memcpy(address.sun_path, socket.c_str(), socket.native().size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return unreachable(errno);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    return unreachable(errno);
  // A password hash takes the daemon a fraction of a second; a minute means it is stuck.
  const timeval limit{60, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  const std::string line = request.dump() + "\n";
  std::string send_error;
  for (std::size_t sent = 0; sent < line.size();) {
    const auto n = ::send(fd, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      // The daemon may have answered and closed already (a refusal): read that answer.
      send_error = std::string("sending to the daemon: ") + std::strerror(errno);
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string reply;
  char chunk[4096];
  while (reply.find('\n') == std::string::npos) {
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      if (!send_error.empty()) return fail("control.io", send_error);
      return fail("control.io",
                  n == 0 ? std::string("the daemon closed the connection")
                         : std::string("reading the daemon's answer: ") + std::strerror(errno));
    }
    reply.append(chunk, static_cast<std::size_t>(n));
  }
  const Json answer = Json::parse(reply.substr(0, reply.find('\n')), nullptr, false);
  if (!answer.is_object() || !answer.contains("ok") || !answer["ok"].is_boolean())
    return fail("control.io", "the daemon's answer is not understood");
  if (!answer["ok"].get<bool>())
    return fail(answer.value("code", "control.error"), answer.value("error", "failed"));
  return answer.value("result", Json::object());
}

}  // namespace probity::app
