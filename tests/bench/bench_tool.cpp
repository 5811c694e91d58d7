// Load tool for the throughput benchmark (tests/bench/throughput.sh):
//   generate N FILE [STAFF]  write N octet-counted RFC 5424 access events (deterministic)
//   send FILE PORT           stream FILE to 127.0.0.1:PORT over one TCP connection; prints MB/s
//   sink PORT BYTES          accept one connection, discard BYTES bytes, print the rate
// Not part of ctest: a benchmark, not a test.
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

int generate(long count, const char* path, long staff) {
  FILE* out = std::fopen(path, "wb");
  if (!out) return std::perror(path), 1;
  const char* systems[] = {"PNC", "PND", "Niche", "STORM", "ANPR"};
  const char* actions[] = {"query", "view", "view", "print", "update"};
  const char* reasons[] = {"INC", "CRIME", "INTEL", "CUSTODY", "ADMIN"};
  std::uint64_t x = 88172645463325252ull;  // xorshift: same stream every run
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  char msg[1024];
  for (long i = 0; i < count; ++i) {
    const auto r = next();
    const long sec = i / 2000;  // 2000 events per second of event time
    const int len = std::snprintf(
        msg, sizeof msg,
        "<110>1 2026-11-02T%02ld:%02ld:%02ld.%06ldZ app%02lu.force.police.uk audit - ACCESS "
        "[access@32473 user.id=\"pc%05lu\" source.system=\"%s\" action=\"%s\" "
        "subject.type=\"person\" subject.id=\"P%07lu\" reason.code=\"%s\" "
        "reason.ref=\"REF/%lu/26\" outcome=\"success\"] record consulted",
        (8 + sec / 3600) % 24, (sec / 60) % 60, sec % 60, (i % 2000) * 500, r % 40,
        (r >> 8) % static_cast<std::uint64_t>(staff), systems[(r >> 20) % 5],
        actions[(r >> 24) % 5], (r >> 28) % 5000000, reasons[(r >> 52) % 5], (r >> 40) % 90000);
    std::fprintf(out, "%d %.*s", len, len, msg);
  }
  return std::fclose(out) == 0 ? 0 : 1;
}

int connect_to(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::perror("connect");
    std::exit(1);
  }
  return fd;
}

int send_file(const char* path, int port) {
  const int in = ::open(path, O_RDONLY);
  if (in < 0) return std::perror(path), 1;
  struct stat st{};
  ::fstat(in, &st);
  const int fd = connect_to(port);
  const auto start = Clock::now();
  off_t offset = 0;
  while (offset < st.st_size) {
    const ssize_t n = ::sendfile(fd, in, &offset, static_cast<std::size_t>(st.st_size - offset));
    if (n <= 0) return std::perror("sendfile"), 1;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  ::shutdown(fd, SHUT_WR);
  char buf[256];
  while (::read(fd, buf, sizeof buf) > 0) {  // wait for the receiver to close
  }
  ::close(fd);
  std::printf("%.3f\n", secs);
  return 0;
}

int sink(int port, long long bytes) {
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(lfd, 1) != 0)
    return std::perror("bind"), 1;
  std::printf("ready\n");
  std::fflush(stdout);
  const int fd = ::accept(lfd, nullptr, nullptr);
  static char buf[1 << 16];
  long long got = 0;
  Clock::time_point start{};
  while (got < bytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    if (got == 0) start = Clock::now();
    got += n;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  ::close(fd);
  std::printf("%lld %.3f\n", got, secs);
  return got == bytes ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "generate" && argc >= 4)
    return generate(std::atol(argv[2]), argv[3], argc > 4 ? std::atol(argv[4]) : 5000);
  if (mode == "send" && argc == 4) return send_file(argv[2], std::atoi(argv[3]));
  if (mode == "sink" && argc == 4) return sink(std::atoi(argv[2]), std::atoll(argv[3]));
  std::fprintf(stderr,
               "usage: bench_tool generate N FILE [STAFF] | send FILE PORT | sink PORT BYTES\n");
  return 2;
}
