// Helpers for tests that start real programs: temp dirs, free loopback ports, child
// processes that are always stopped, tiny HTTP GETs, and polling with a deadline.
// Test-only; the daemon never links this.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace probity::testing {

/// A fresh directory under $TMPDIR, removed at destruction (kept if PROBITY_KEEP_TMP is set).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "probity-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// A port that was free on 127.0.0.1 a moment ago (bind to 0, read, close).
std::uint16_t pick_free_port();
bool port_accepts(std::uint16_t port);
/// Connects to 127.0.0.1:port and writes all of `bytes` (blocking); false when it could not.
bool send_tcp(std::uint16_t port, std::string_view bytes);

/// Polls `ready` every 20 ms until it is true or the timeout passes.
bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

/// Full path of a program on PATH or in /usr/sbin, or "" when it is not installed.
std::string find_program(const std::string& name);

/// A child process with stdout and stderr sent to a log file. The destructor sends
/// SIGTERM, waits up to 5 s, then SIGKILLs: a failing test never leaves it running.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::filesystem::path log_file,
               std::map<std::string, std::string> extra_env = {},
               std::filesystem::path stdin_file = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  /// Sends SIGTERM and waits; returns the exit status (or 128+signal), -1 on timeout.
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Waits for the process to exit by itself; -1 on timeout.
  int wait(std::chrono::milliseconds timeout);
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  std::filesystem::path log_file_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr together
};
/// Runs a program to completion (60 s limit) with optional stdin text.
CommandResult run_program(const std::vector<std::string>& argv, const std::string& stdin_text = "");

/// GET http://127.0.0.1:port/path with that Host header; returns {status, body} or {0, error}
/// on failure.
std::pair<int, std::string> http_get(std::uint16_t port, const std::string& path,
                                     const std::string& host = "127.0.0.1");

struct HttpReply {
  int status = 0;       ///< 0: no HTTP answer (body says why)
  std::string headers;  ///< the header block, as sent
  std::string body;
  /// The value of the first header `name` (case-insensitive), or "".
  std::string header(const std::string& name) const;
};
/// One request on a fresh connection; `headers` are whole lines without CRLF ("Cookie: a=b").
/// A body is sent with its Content-Length.
HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::vector<std::string>& headers = {}, const std::string& body = {});
/// Value of a Prometheus series (exact name with labels) from /metrics, or -1.
long long metric(std::uint16_t port, const std::string& series);

/// Permission bits of `path` itself (symlinks not followed); 07777 when it is missing.
unsigned mode_of(const std::filesystem::path& path);

/// Sets the process umask for one scope and puts the old one back.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask);
  ~ScopedUmask();
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t old_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace probity::testing
