// The webhook channel: a signed HTTP POST per alert through libcurl. Not for what an
// alert shows (as_shown, identity_mask.h) or for retries (outbox.h).
#include "alerts/webhook_channel.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "alerts/shown_json.h"
#include "alerts/sinks.h"
#include "base/hex.h"

namespace probity::alerts {

namespace {

struct CurlUrl {
  CURLU* h = curl_url();
  ~CurlUrl() { curl_url_cleanup(h); }
};

struct CurlRequest {
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  ~CurlRequest() {
    curl_slist_free_all(headers);
    if (h) curl_easy_cleanup(h);
  }
};

// The receiver's reply body is of no use to us; without this curl writes it to stdout.
std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &n);
  return to_hex(md, n);
}

}  // namespace

Result<std::unique_ptr<WebhookChannel>> WebhookChannel::create(WebhookConfig config) {
  const std::string where = "webhook " + config.name + ": ";
  // curl's URL parser, so what we accept is exactly what curl will request.
  CurlUrl url;
  char* scheme = nullptr;
  char* shown = nullptr;
  const bool parsed = url.h && curl_url_set(url.h, CURLUPART_URL, config.url.c_str(), 0) == 0 &&
                      curl_url_get(url.h, CURLUPART_SCHEME, &scheme, 0) == 0;
  const std::string scheme_text = scheme ? scheme : "";
  curl_free(scheme);
  if (!parsed || (scheme_text != "http" && scheme_text != "https"))
    return fail("alerts.webhook", where + "url must be an http:// or https:// URL");
  // Whatever user:password someone put in the URL stays out of every error message.
  curl_url_set(url.h, CURLUPART_USER, nullptr, 0);
  curl_url_set(url.h, CURLUPART_PASSWORD, nullptr, 0);
  std::string shown_url;
  if (curl_url_get(url.h, CURLUPART_URL, &shown, 0) == 0) shown_url = shown;
  curl_free(shown);

  auto secret = read_password_file(config.secret_file);
  if (!secret)
    return fail("alerts.password_file",
                where + "cannot read secret file " + config.secret_file.string());
  if (secret->empty())
    return fail("alerts.webhook",
                where + "secret file " + config.secret_file.string() + " has an empty first line");
  return std::unique_ptr<WebhookChannel>(
      new WebhookChannel(std::move(config), std::move(*secret), std::move(shown_url)));
}

WebhookChannel::WebhookChannel(WebhookConfig config, std::string secret, std::string shown_url)
    : config_(std::move(config)), secret_(std::move(secret)), shown_url_(std::move(shown_url)) {}

Result<void> WebhookChannel::send(const Alert& alert) { return post(shown_json(alert), alert.id); }

Result<void> WebhookChannel::send_digest(const std::vector<Alert>& alerts, event::Timestamp) {
  std::string body = R"({"digest":true,"alerts":[)";
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    if (i) body += ',';
    body += shown_json(alerts[i]);
  }
  body += "]}";
  return post(body, {});
}

Result<void> WebhookChannel::post(const std::string& body, std::string_view alert_id) {
  const std::string where = "webhook " + config_.name + ": ";
  CurlRequest req;
  if (!req.h) return fail("alerts.webhook", where + "curl_easy_init failed");

  // Signed when sent, not when raised: the receiver may reject old timestamps as replays.
  const std::string timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  const std::string lines[] = {
      "Content-Type: application/json",
      "X-Probity-Timestamp: " + timestamp,
      "X-Probity-Signature: sha256=" + hmac_sha256_hex(secret_, timestamp + "." + body),
      alert_id.empty() ? std::string() : "X-Probity-Alert-Id: " + std::string(alert_id),
      "Expect:",  // no 100-continue round trip before a large body
  };
  for (const auto& line : lines)
    if (!line.empty()) req.headers = curl_slist_append(req.headers, line.c_str());

  char error[CURL_ERROR_SIZE] = {0};
  CURL* h = req.h;
  curl_easy_setopt(h, CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, req.headers);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
  if (!config_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(std::chrono::milliseconds(config_.timeout).count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM from a delivery thread
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);

  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK)
    return fail("alerts.webhook",
                where + (error[0] ? error : curl_easy_strerror(rc)) + " (" + shown_url_ + ")");
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299)
    return fail("alerts.webhook", where + "HTTP " + std::to_string(status) + " from " + shown_url_);
  return {};
}

}  // namespace probity::alerts
