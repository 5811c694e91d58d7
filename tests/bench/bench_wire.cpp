// The benchmark's network side: the sender (send_file, send_keys), the null sink, and the
// completion checks that read each receiver's own output (follow for rsyslog's file,
// await_probity for Probity's /metrics), so no run ends on a guess or a sleep.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench_tool.h"

namespace probity::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

sockaddr_in loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

/// A connected socket, or -1 (reported unless `quiet`: a poll expects refusals).
int connect_to(int port, bool quiet = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const auto addr = loopback(port);
  if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    if (!quiet) std::perror("connect");
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::perror("write"), false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

/// Half-closes, then waits for the receiver to close: it has read everything by then.
void finish(int fd) {
  ::shutdown(fd, SHUT_WR);
  char buf[256];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
  ::close(fd);
}

/// A read-only mapping of a whole file.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      std::perror(path.c_str());
      if (fd >= 0) ::close(fd);
      return;
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      data_ = p == MAP_FAILED ? nullptr : static_cast<const char*>(p);
    }
    ok_ = size_ == 0 || data_ != nullptr;
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool ok() const { return ok_; }
  std::string_view view() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool ok_ = false;
};

/// One message of a stream file: its bytes including its framing (the octet count, or the
/// trailing newline), so a split file is framed as the whole one was.
struct Span {
  std::size_t offset, size;
};

/// The messages of `data`, each framed as it starts: a digit begins an octet count
/// (RFC 6587 octet counting), anything else runs to the newline. Empty lines are skipped;
/// false on an octet count that does not fit the data.
bool index_messages(std::string_view data, std::vector<Span>& out) {
  std::size_t at = 0;
  while (at < data.size()) {
    if (data[at] == '\n') {
      ++at;
      continue;
    }
    std::size_t end;
    if (data[at] >= '0' && data[at] <= '9') {
      std::size_t len = 0, i = at;
      while (i < data.size() && data[i] >= '0' && data[i] <= '9')
        len = len * 10 + static_cast<std::size_t>(data[i++] - '0');
      if (i >= data.size() || data[i] != ' ' || data.size() - i - 1 < len) {
        std::fprintf(stderr, "bad octet count at byte %zu\n", at);
        return false;
      }
      end = i + 1 + len;
    } else {
      const std::size_t nl = data.find('\n', at);
      end = nl == std::string_view::npos ? data.size() : nl + 1;
    }
    out.push_back({at, end - at});
    at = end;
  }
  return true;
}

/// What one connection sends: its messages back to back, and where each ends (for pacing).
struct Share {
  std::string bytes;
  std::vector<std::size_t> ends;
};

/// The syslog HOSTNAME of a message (its third field, after any octet count), or "".
std::string_view host_of(std::string_view message) {
  if (!message.empty() && message[0] >= '0' && message[0] <= '9')
    message.remove_prefix(std::min(message.size(), message.find(' ') + 1));
  for (int field = 0; field < 2; ++field) {
    const auto space = message.find(' ');
    if (space == std::string_view::npos) return {};
    message.remove_prefix(space + 1);
  }
  return message.substr(0, message.find(' '));
}

/// Deals messages over n connections: round-robin, so each connection keeps time order and
/// together they stay close to it, as several relays forwarding one live force would; or
/// by host, each source's lines in order on one connection.
std::vector<Share> deal(std::string_view data, const std::vector<Span>& messages, int n,
                        bool by_host) {
  std::vector<Share> shares(static_cast<std::size_t>(n));
  for (auto& s : shares) s.bytes.reserve(data.size() / static_cast<std::size_t>(n) + 4096);
  for (std::size_t m = 0; m < messages.size(); ++m) {
    const auto message = data.substr(messages[m].offset, messages[m].size);
    const std::size_t to = by_host ? std::hash<std::string_view>{}(host_of(message)) % shares.size()
                                   : m % shares.size();
    shares[to].bytes.append(message);
    shares[to].ends.push_back(shares[to].bytes.size());
  }
  return shares;
}

/// Writes a share at `rate` messages/s (all at once when 0), in 1 ms steps.
bool send_share(int fd, const Share& share, double rate, Clock::time_point start) {
  if (rate <= 0) return write_all(fd, share.bytes.data(), share.bytes.size());
  std::size_t sent = 0, done = 0;  // messages, bytes
  while (sent < share.ends.size()) {
    const auto due =
        std::min(share.ends.size(), static_cast<std::size_t>(seconds_since(start) * rate) + 1);
    if (due > sent) {
      const std::size_t until = share.ends[due - 1];
      if (!write_all(fd, share.bytes.data() + done, until - done)) return false;
      sent = due;
      done = until;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  return true;
}

/// Counter values from a Prometheus text page: by series (name with labels) and, summed
/// over labels, by name.
std::map<std::string, double> parse_metrics(std::string_view text) {
  std::map<std::string, double> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = text.substr(at, nl - at);
    at = nl + 1;
    const std::size_t space = line.rfind(' ');
    if (line.empty() || line[0] == '#' || space == std::string_view::npos) continue;
    const std::string series(line.substr(0, space));
    const double value = std::strtod(std::string(line.substr(space + 1)).c_str(), nullptr);
    out[series] += value;
    if (const auto brace = series.find('{'); brace != std::string::npos)
      out[series.substr(0, brace)] += value;
  }
  return out;
}

/// GET /metrics; false when the daemon does not answer 200.
bool fetch_metrics(int http_port, std::string& body) {
  const int fd = connect_to(http_port, /*quiet=*/true);
  if (fd < 0) return false;
  const std::string request =
      "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(http_port) +
      "\r\nConnection: close\r\n\r\n";
  std::string response;
  if (write_all(fd, request.data(), request.size())) {
    char buf[1 << 16];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) response.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  const auto head_end = response.find("\r\n\r\n");
  if (!response.starts_with("HTTP/1.1 200") || head_end == std::string::npos) return false;
  body = response.substr(head_end + 4);
  return true;
}

}  // namespace

int count_messages(const std::string& path) {
  MappedFile file(path);
  std::vector<Span> messages;
  if (!file.ok() || !index_messages(file.view(), messages)) return 1;
  std::printf("%zu\n", messages.size());
  return 0;
}

int send_file(const std::string& path, int port, const SendOptions& options) {
  MappedFile file(path);
  std::vector<Span> messages;
  if (!file.ok() || !index_messages(file.view(), messages)) return 1;
  const auto shares = deal(file.view(), messages, options.connections, options.by_host);
  // Every connection is open before the first byte, so the receiver serves them together.
  std::vector<int> fds;
  for (int c = 0; c < options.connections; ++c) {
    fds.push_back(connect_to(port));
    if (fds.back() < 0) return 1;
  }
  const auto start = Clock::now();
  // Each share paced by its size, so the total is `rate` however unevenly hosts split.
  const double total = static_cast<double>(messages.size());
  std::atomic<bool> ok{true};
  std::vector<std::thread> senders;
  for (std::size_t c = 0; c < fds.size(); ++c)
    senders.emplace_back([&, c] {
      const double share_rate =
          options.rate * static_cast<double>(shares[c].ends.size()) / std::max(total, 1.0);
      if (!send_share(fds[c], shares[c], share_rate, start)) ok = false;
      finish(fds[c]);
    });
  for (auto& t : senders) t.join();
  std::printf("%zu %.3f\n", messages.size(), seconds_since(start));
  return ok ? 0 : 1;
}

int send_keys(const KeyStream& stream, long first, long count, int port, double rate,
              double seconds) {
  const int fd = connect_to(port);
  if (fd < 0) return 1;
  const auto start = Clock::now();
  long sent = 0;
  std::string batch;
  while (sent < count && (seconds <= 0 || seconds_since(start) < seconds)) {
    // Unpaced: batches of 1000 keep the writes large.
    const long due = rate > 0 ? std::min(count, static_cast<long>(seconds_since(start) * rate) + 1)
                              : std::min(count, sent + 1000);
    if (due <= sent) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    batch.clear();
    for (; sent < due; ++sent) batch += stream.frame(first + sent);
    if (!write_all(fd, batch.data(), batch.size())) return 1;
  }
  finish(fd);
  std::printf("%ld %.3f\n", sent, seconds_since(start));
  return 0;
}

int sink(int port, long long bytes, int connections) {
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const auto addr = loopback(port);
  if (::bind(lfd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(lfd, connections) != 0)
    return std::perror("bind"), 1;
  std::printf("ready\n");
  std::fflush(stdout);
  std::atomic<long long> got{0};
  std::atomic<bool> started{false};
  Clock::time_point start{};
  std::vector<std::thread> readers;
  for (int c = 0; c < connections; ++c) {
    const int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) return std::perror("accept"), 1;
    readers.emplace_back([&, fd] {
      static thread_local char buf[1 << 16];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) {
        // The clock starts at the first byte on any connection.
        if (!started.exchange(true)) start = Clock::now();
        got += n;
      }
      ::close(fd);
    });
  }
  for (auto& t : readers) t.join();
  ::close(lfd);
  std::printf("%lld %.6f\n", got.load(), seconds_since(start));
  return got == bytes ? 0 : 1;
}

int follow(const std::string& path, long lines, double stall) {
  long seen = 0;
  auto last_progress = Clock::now();
  int fd = -1;
  char buf[1 << 16];
  while (seen < lines) {
    if (fd < 0) fd = ::open(path.c_str(), O_RDONLY);  // the receiver creates it on first write
    const ssize_t n = fd < 0 ? 0 : ::read(fd, buf, sizeof buf);
    if (n > 0) {
      seen += std::count(buf, buf + n, '\n');
      last_progress = Clock::now();
      continue;
    }
    if (seconds_since(last_progress) > stall) {
      std::fprintf(stderr, "%s: %ld of %ld lines, none for %.0f s\n", path.c_str(), seen, lines,
                   stall);
      if (fd >= 0) ::close(fd);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(fd);
  return 0;
}

int await_probity(int http_port, long messages, double stall) {
  // Complete when every frame sent was taken (received, or rejected at framing) and the
  // evaluation thread has caught up with what decoding produced. Not events_evaluated ==
  // messages: gateway lines (Postfix, Mimecast) assemble into fewer events, and held ones
  // wait for their last line. Not journal_unevaluated: it follows the correlation
  // checkpoint (every 5 s) and reads 0 before the first.
  double progress = -1;
  auto last_progress = Clock::now();
  std::string body;
  for (;;) {
    if (fetch_metrics(http_port, body)) {
      auto m = parse_metrics(body);
      const double taken = m["probity_events_received_total"] +
                           m["probity_events_rejected_total{reason=\"too_long\"}"] +
                           m["probity_events_rejected_total{reason=\"bad_frame\"}"];
      const double decoded = m["probity_events_decoded_total"];
      const double evaluated = m["probity_events_evaluated_total"];
      if (taken >= static_cast<double>(messages) && evaluated >= decoded) return 0;
      if (taken + evaluated != progress) {
        progress = taken + evaluated;
        last_progress = Clock::now();
      } else if (seconds_since(last_progress) > stall) {
        std::fprintf(stderr,
                     "probity: took %.0f of %ld messages, evaluated %.0f of %.0f events, no "
                     "progress for %.0f s\n",
                     taken, messages, evaluated, decoded, stall);
        return 1;
      }
    } else if (seconds_since(last_progress) > stall) {
      std::fprintf(stderr, "probity: /metrics did not answer for %.0f s\n", stall);
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace probity::bench
