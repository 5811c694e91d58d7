// The SIEM channel: RFC 5424 messages, octet-counted, over one libcurl CONNECT_ONLY
// connection (plain TCP, or TLS with curl's certificate and name checks). Not for what an
// alert shows (as_shown) or for the CEF record (cef.cpp).
#include "alerts/siem_channel.h"

#include <curl/curl.h>
#include <poll.h>
#include <unistd.h>

#include <array>

#include "alerts/cef.h"
#include "alerts/shown_json.h"

namespace probity::alerts {

namespace {

// RFC 5424 §6.2.1 facility 10, security/authorization (private): alerts about named staff
// belong with the authpriv messages that syslog setups keep in a restricted file, should
// a relay between us and the SIEM file messages by facility.
constexpr int kFacility = 10;

// RFC 5424 §6.2.1 severities: critical 2 (crit), high 3 (err), medium 4 (warning),
// low 5 (notice), anything else 6 (informational).
int syslog_severity(std::string_view severity) {
  if (severity == "critical") return 2;
  if (severity == "high") return 3;
  if (severity == "medium") return 4;
  if (severity == "low") return 5;
  return 6;
}

// RFC 5424 §6.2.4: HOSTNAME is 1 to 255 printable US-ASCII characters, or "-".
std::string header_hostname(std::string name) {
  if (name.empty()) {
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) == 0) name = buf.data();
  }
  if (name.size() > 255) name.resize(255);
  for (char& c : name)
    if (c < 33 || c > 126) c = '_';
  return name.empty() ? "-" : name;
}

}  // namespace

struct SiemChannel::Connection {
  CURL* h = curl_easy_init();
  curl_socket_t socket = CURL_SOCKET_BAD;
  char error[CURL_ERROR_SIZE] = {0};  // curl writes here for as long as the handle lives
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() {
    if (h) curl_easy_cleanup(h);
  }
};

Result<std::unique_ptr<SiemChannel>> SiemChannel::create(SiemConfig config) {
  const std::string where = "siem " + config.name + ": ";
  if (config.host.empty() || config.port == 0)
    return fail("alerts.siem", where + "a collector host and port are needed");
  if (config.format != "cef" && config.format != "json")
    return fail("alerts.siem", where + "format must be cef or json, not " + config.format);
  // A mistyped path fails here, at start-up, not as a handshake error on the first alert.
  for (const auto* path : {&config.ca_file, &config.cert_file, &config.key_file})
    if (!path->empty() && ::access(path->c_str(), R_OK) != 0)
      return fail("alerts.siem", where + "cannot read " + path->string());
  return std::unique_ptr<SiemChannel>(new SiemChannel(std::move(config)));
}

SiemChannel::SiemChannel(SiemConfig config)
    : config_(std::move(config)), hostname_(header_hostname(config_.hostname)) {}

SiemChannel::~SiemChannel() = default;

Result<void> SiemChannel::send(const Alert& alert) { return deliver(frame(alert)); }

Result<void> SiemChannel::send_digest(const std::vector<Alert>& alerts, event::Timestamp) {
  for (const auto& alert : alerts)
    if (auto r = deliver(frame(alert)); !r) return r;
  return {};
}

std::string SiemChannel::frame(const Alert& alert) const {
  // The syslog TIMESTAMP is when the alert was raised, so a retry keeps it.
  const auto raised = alert.raised_at == event::Timestamp{}
                          ? std::chrono::time_point_cast<std::chrono::microseconds>(
                                std::chrono::system_clock::now())
                          : alert.raised_at;
  // RFC 5424 §6: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG. MSG has no
  // BOM: CEF and JSON parsers at the collector expect "CEF:" or "{" as the first bytes.
  std::string message =
      "<" + std::to_string(kFacility * 8 + syslog_severity(alert.severity)) + ">1 " +
      event::format_time(raised) + " " + hostname_ + " probity " + std::to_string(::getpid()) +
      " alert - " +
      (config_.format == "json" ? shown_json(alert)
                                : to_cef(as_shown(alert), config_.product_version));
  // RFC 6587 §3.4.1 (RFC 5425 §4.3): octet counting, "MSG-LEN SP SYSLOG-MSG".
  return std::to_string(message.size()) + " " + message;
}

Result<void> SiemChannel::deliver(std::string_view frame) {
  if (connection_ && !connection_usable()) connection_.reset();
  const bool fresh = !connection_;
  if (fresh)
    if (auto c = connect(); !c) return c;
  auto written = write_all(frame);
  if (written) return {};
  connection_.reset();
  if (fresh) return written;
  // The old connection died without showing it (a collector restart noticed only now):
  // one more try on a fresh one, so the restart does not cost a whole retry interval.
  if (auto c = connect(); !c) return c;
  written = write_all(frame);
  if (!written) connection_.reset();
  return written;
}

Result<void> SiemChannel::connect() {
  const std::string where = "siem " + config_.name + ": ";
  auto c = std::make_unique<Connection>();
  if (!c->h) return fail("alerts.siem", where + "curl_easy_init failed");
  // CONNECT_ONLY: curl connects (and with https:// does the TLS handshake and checks the
  // certificate and name) and then leaves the stream to curl_easy_send.
  const bool ipv6 = config_.host.find(':') != std::string::npos && config_.host.front() != '[';
  const std::string url = std::string(config_.tls ? "https://" : "http://") +
                          (ipv6 ? "[" + config_.host + "]" : config_.host) + ":" +
                          std::to_string(config_.port);
  const long timeout_ms = static_cast<long>(std::chrono::milliseconds(config_.timeout).count());
  CURL* h = c->h;
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);  // a collector gone silently shows up
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);       // no SIGALRM from a delivery thread
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->error);
  if (config_.tls) {
    if (!config_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
    if (!config_.cert_file.empty()) curl_easy_setopt(h, CURLOPT_SSLCERT, config_.cert_file.c_str());
    if (!config_.key_file.empty()) curl_easy_setopt(h, CURLOPT_SSLKEY, config_.key_file.c_str());
  }
  if (const CURLcode rc = curl_easy_perform(h); rc != CURLE_OK)
    return fail("alerts.siem", where + "cannot connect to " + config_.host + ":" +
                                   std::to_string(config_.port) + ": " +
                                   (c->error[0] ? c->error : curl_easy_strerror(rc)));
  curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &c->socket);
  connection_ = std::move(c);
  return {};
}

Result<void> SiemChannel::write_all(std::string_view bytes) {
  const std::string where = "siem " + config_.name + ": write to " + config_.host + ":" +
                            std::to_string(config_.port) + " failed: ";
  const auto deadline = std::chrono::steady_clock::now() + config_.timeout;
  while (!bytes.empty()) {
    std::size_t sent = 0;
    const CURLcode rc = curl_easy_send(connection_->h, bytes.data(), bytes.size(), &sent);
    if (rc == CURLE_AGAIN) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{connection_->socket, POLLOUT, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
        return fail("alerts.siem", where + "timed out");
      continue;
    }
    if (rc != CURLE_OK) return fail("alerts.siem", where + curl_easy_strerror(rc));
    bytes.remove_prefix(sent);
  }
  return {};
}

// A collector sends us nothing, so a readable socket means it closed the connection (EOF
// or reset), unless it is TLS housekeeping such as a TLS 1.3 session ticket, which
// curl_easy_recv consumes and answers with CURLE_AGAIN. Without this check the first
// write after a collector restart would "succeed" into a dead socket and be lost.
bool SiemChannel::connection_usable() {
  pollfd p{connection_->socket, POLLIN, 0};
  const int ready = ::poll(&p, 1, 0);
  if (ready == 0) return true;
  if (ready < 0) return false;
  std::array<char, 512> buf{};
  std::size_t n = 0;
  const CURLcode rc = curl_easy_recv(connection_->h, buf.data(), buf.size(), &n);
  return rc == CURLE_AGAIN || (rc == CURLE_OK && n > 0);
}

}  // namespace probity::alerts
