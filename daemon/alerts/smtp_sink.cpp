// The SMTP sink: one alert email handed to a relay through libcurl (RFC 5321), with
// STARTTLS or SMTPS as configured. Not for retries: a failure goes back to the outbox.
#include <curl/curl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

#include "alerts/email_message.h"
#include "alerts/sinks.h"

namespace probity::alerts {

namespace {

struct ReadCursor {
  std::string_view rest;
};

// CURLOPT_READFUNCTION: hands curl the message in chunks; curl does the dot-stuffing
// (RFC 5321 §4.5.2) and appends the terminating CRLF.CRLF itself.
std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* cursor = static_cast<ReadCursor*>(user);
  const std::size_t n = std::min(size * count, cursor->rest.size());
  std::memcpy(buffer, cursor->rest.data(), n);
  cursor->rest.remove_prefix(n);
  return n;
}

std::vector<std::string> split_recipients(std::string_view to) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= to.size()) {
    auto comma = to.find(',', start);
    if (comma == std::string_view::npos) comma = to.size();
    auto item = to.substr(start, comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    // "Name <a@b>" in the header; the envelope wants only <a@b>.
    if (const auto lt = item.find('<'); lt != std::string_view::npos) {
      const auto gt = item.find('>', lt);
      item = item.substr(lt, gt == std::string_view::npos ? item.npos : gt - lt + 1);
    }
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

std::string envelope_address(std::string_view from) {
  if (const auto lt = from.find('<'); lt != std::string_view::npos) {
    const auto gt = from.find('>', lt);
    return std::string(from.substr(lt, gt == std::string_view::npos ? from.npos : gt - lt + 1));
  }
  return "<" + std::string(from) + ">";
}

// For log lines: drops any user:password@ someone put in the URL despite password_file.
std::string redacted_url(std::string_view url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string_view::npos || at == std::string_view::npos || at < scheme)
    return std::string(url);
  return std::string(url.substr(0, scheme + 3)) + "***@" + std::string(url.substr(at + 1));
}

struct CurlEasy {
  CURL* h = curl_easy_init();
  curl_slist* rcpt = nullptr;
  ~CurlEasy() {
    if (rcpt) curl_slist_free_all(rcpt);
    if (h) curl_easy_cleanup(h);
  }
};

}  // namespace

Result<std::string> read_password_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("alerts.password_file", "cannot read SMTP password file " + path.string());
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IROTH))
    spdlog::warn("alerts: SMTP password file {} is world-readable; chmod 0600 it", path.string());
  return line;
}

SmtpSink::SmtpSink(EmailConfig cfg, std::string password)
    : cfg_(std::move(cfg)), password_(std::move(password)) {}

Result<void> SmtpSink::deliver(const std::string& message, std::string_view recipients) {
  CurlEasy curl;
  if (!curl.h) return fail("alerts.smtp", "curl_easy_init failed");
  for (const auto& r : split_recipients(recipients))
    curl.rcpt = curl_slist_append(curl.rcpt, r.c_str());
  if (!curl.rcpt) return fail("alerts.smtp", "no recipient in email.to");

  ReadCursor cursor{message};
  char error[CURL_ERROR_SIZE] = {0};
  const std::string from = envelope_address(cfg_.from);
  CURL* h = curl.h;
  curl_easy_setopt(h, CURLOPT_URL, cfg_.smtp_url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, curl.rcpt);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
  curl_easy_setopt(h, CURLOPT_READDATA, &cursor);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  // Opportunistic STARTTLS unless TLS is required; smtps:// is TLS from the first byte.
  curl_easy_setopt(h, CURLOPT_USE_SSL, cfg_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  if (!cfg_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, cfg_.ca_file.c_str());
  if (!cfg_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, cfg_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, password_.c_str());
  }
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(cfg_.connect_timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(cfg_.total_timeout.count() * 1000));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM from a worker thread
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    std::string why = error[0] ? error : curl_easy_strerror(rc);
    if (code >= 400) why += " (SMTP " + std::to_string(code) + ")";
    return fail("alerts.smtp",
                "SMTP delivery to " + redacted_url(cfg_.smtp_url) + " failed: " + why);
  }
  return {};
}

}  // namespace probity::alerts
