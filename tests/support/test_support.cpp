// Implementation of the test helpers: plain POSIX (fork/exec, sockets) so tests can
// drive real programs without extra libraries.
#include "test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace probity::testing {

namespace fs = std::filesystem;

TempDir::TempDir(const std::string& prefix) {
  std::random_device rd;
  const auto base = fs::temp_directory_path();
  for (;;) {
    path_ = base / (prefix + "-" + std::to_string(rd()));
    if (fs::create_directory(path_)) break;
  }
}

TempDir::~TempDir() {
  if (std::getenv("PROBITY_KEEP_TMP")) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

namespace {

// Ports picked by test processes still running: one file each, holding the picker's pid, in a
// directory every test process shares. A test that stops its daemon and starts it again
// keeps its ports in between, when bind() alone would give them to a test running beside it
// (CI saw a restart refused with "Address already in use"). Released when the process exits;
// a file whose process is gone is taken over.
class PortClaims {
 public:
  bool claim(std::uint16_t port) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    const fs::path file = dir_ / std::to_string(port);
    for (int attempt = 0; attempt < 2; ++attempt) {
      const int fd = ::open(file.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
      if (fd >= 0) {
        const std::string pid = std::to_string(::getpid());
        const bool written = ::write(fd, pid.data(), pid.size()) == ssize_t(pid.size());
        ::close(fd);
        if (written) mine_.push_back(file);
        return written;
      }
      // Held by a live process (or one still writing its pid): not ours to take.
      const pid_t holder = std::atoi(read_file(file).c_str());
      if (holder <= 0 || ::kill(holder, 0) == 0 || errno == EPERM) return false;
      fs::remove(file, ec);
    }
    return false;
  }
  ~PortClaims() {
    std::error_code ec;
    for (const auto& file : mine_) fs::remove(file, ec);
  }

 private:
  static std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    std::string text;
    std::getline(in, text);
    return text;
  }
  const fs::path dir_ = fs::temp_directory_path() / "probity-test-ports";
  std::vector<fs::path> mine_;
};

}  // namespace

// Below the kernel's ephemeral range (32768 up on Linux): a port the kernel hands out for
// bind(0) is also what it hands the next outgoing connection, so a daemon started a moment
// later could find it taken by some client. Random, so parallel tests rarely try the same,
// and claimed (PortClaims), so they never hold the same.
std::uint16_t pick_free_port() {
  static std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  static PortClaims claims;
  std::uniform_int_distribution<int> in_range(20000, 32000);
  for (;;) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const auto port = static_cast<std::uint16_t>(in_range(random));
    addr.sin_port = htons(port);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (free && claims.claim(port)) return port;
  }
}

static int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool port_accepts(std::uint16_t port) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

bool send_tcp(std::uint16_t port, std::string_view bytes) {
  const int fd = connect_loopback(port);
  if (fd < 0) return false;
  while (!bytes.empty()) {
    const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes.empty();
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ready();
}

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return fs::exists(name) ? name : "";
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::stringstream ss(path);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

ChildProcess::ChildProcess(std::vector<std::string> argv, fs::path log_file,
                           std::map<std::string, std::string> extra_env, fs::path stdin_file)
    : log_file_(std::move(log_file)) {
  pid_ = ::fork();
  if (pid_ == 0) {
    const int out = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(out, 1);
    ::dup2(out, 2);
    const int in = ::open(stdin_file.empty() ? "/dev/null" : stdin_file.c_str(), O_RDONLY);
    ::dup2(in, 0);
    ::setpgid(0, 0);  // own process group, so stop() reaches its children too
    for (const auto& [k, v] : extra_env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    std::fprintf(stderr, "exec %s failed\n", args[0]);
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && running()) {
    if (stop(std::chrono::seconds(5)) == -1) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
}

bool ChildProcess::running() {
  if (pid_ <= 0 || status_ != -1) return false;
  int st = 0;
  const pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

void ChildProcess::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
  wait_until([&] { return !running(); }, timeout);
  return running() ? -1 : status_;
}

int ChildProcess::stop(std::chrono::milliseconds timeout) {
  if (running()) ::kill(pid_, SIGTERM);
  const int rc = wait(timeout);
  ::kill(-pid_, SIGTERM);  // helpers the child started, if any
  return rc;
}

std::string ChildProcess::log() const { return read_file(log_file_); }

CommandResult run_program(const std::vector<std::string>& argv, const std::string& stdin_text) {
  TempDir tmp("probity-cmd");
  const auto in = tmp / "stdin";
  const auto out = tmp / "out";
  write_file(in, stdin_text);
  ChildProcess child(argv, out, {}, in);
  CommandResult result;
  result.exit_code = child.wait(std::chrono::seconds(60));
  result.output = read_file(out);
  return result;
}

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::vector<std::string>& headers, const std::string& body) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {0, "", "connect failed"};
  bool has_host = false;
  std::string req = method + " " + path + " HTTP/1.1\r\n";
  for (const auto& h : headers) {
    has_host = has_host || h.rfind("Host:", 0) == 0;
    req += h + "\r\n";
  }
  if (!has_host) req += "Host: 127.0.0.1\r\n";
  if (!body.empty() || method == "POST")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "Connection: close\r\n\r\n" + body;
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) < 0) {
    ::close(fd);
    return {0, "", "send failed"};
  }
  std::string resp;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    resp.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (resp.rfind("HTTP/1.1 ", 0) != 0) return {0, "", resp};
  const auto end = resp.find("\r\n\r\n");
  if (end == std::string::npos) return {std::atoi(resp.c_str() + 9), resp, ""};
  return {std::atoi(resp.c_str() + 9), resp.substr(0, end), resp.substr(end + 4)};
}

std::string HttpReply::header(const std::string& name) const {
  std::stringstream ss(headers);
  std::string line;
  while (std::getline(ss, line)) {
    if (line.size() <= name.size() || line[name.size()] != ':') continue;
    if (!std::equal(name.begin(), name.end(), line.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      continue;
    auto value = line.substr(name.size() + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (!value.empty() && value.back() == '\r') value.pop_back();
    return value;
  }
  return "";
}

std::pair<int, std::string> http_get(std::uint16_t port, const std::string& path,
                                     const std::string& host) {
  auto reply = http_request(port, "GET", path, {"Host: " + host});
  return {reply.status, reply.body};
}

long long metric(std::uint16_t port, const std::string& series) {
  const auto [status, body] = http_get(port, "/metrics");
  if (status != 200) return -1;
  std::stringstream ss(body);
  std::string line;
  while (std::getline(ss, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ')
      return std::atoll(line.c_str() + series.size() + 1);
  }
  return -1;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& path, const std::string& text) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

unsigned mode_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 07777;
}

ScopedUmask::ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
ScopedUmask::~ScopedUmask() { ::umask(old_); }

}  // namespace probity::testing
