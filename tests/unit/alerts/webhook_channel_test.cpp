// WebhookChannel against a real HTTP(S) receiver (tests/support/webhook_receiver.py) on a
// loopback port: the signed body, the answers that count as delivered, and the failures.
#include "alerts/webhook_channel.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/hex.h"
#include "test_pki.h"
#include "test_support.h"
#include "webhook_receiver.h"

using namespace probity;
using namespace probity::alerts;
using namespace probity::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSecret = "correct-horse-battery-staple";

Alert stored_alert(const std::string& id) {
  Alert a;
  a.id = id;
  a.rule_id = "pnc-lookup-of-declared-associate";
  a.title = "PNC lookup of a declared associate";
  a.severity = "high";
  a.message = "real.person looked up P-77 on PNC";
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  a.raised_at = a.event_time;
  a.user_id = "real.person";
  a.fields = {{"subject.id", "P-77"}};
  a.shown = ShownAlert{.key_id = "k1",
                       .user = "u-1a2b",
                       .message = "u-1a2b looked up a person on PNC",
                       .fields = {{"subject.id", "withheld"}},
                       .events_json = {},
                       .lookups = {}};
  return a;
}

class WebhookChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir_ / "secret", std::string(kSecret) + "\n");
    std::filesystem::permissions(
        dir_ / "secret", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  WebhookConfig config(const std::string& url) const {
    return {.name = "case-system",
            .url = url,
            .secret_file = dir_ / "secret",
            .ca_file = {},
            .timeout = 5s};
  }
  std::unique_ptr<WebhookChannel> channel(const WebhookConfig& c) const {
    auto made = WebhookChannel::create(c);
    if (!made) ADD_FAILURE() << made.error().message;
    return made ? std::move(*made) : nullptr;
  }
  TempDir dir_{"probity-webhook-config"};
};

// Recomputed here, the way a receiver would check it.
std::string expected_signature(const ReceivedRequest& r) {
  const std::string signed_text = r.header("X-Probity-Timestamp") + "." + r.body;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(std::string_view(kSecret).size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), md, &n);
  return "sha256=" + to_hex(md, n);
}

TEST_F(WebhookChannelTest, PostsTheShownAlertSignedWithTheSecret) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto ch = channel(config(receiver.url()));
  ASSERT_TRUE(ch);
  EXPECT_EQ(ch->kind(), "webhook");

  const auto sent = ch->send(stored_alert("A1"));
  ASSERT_TRUE(sent) << sent.error().message << receiver.log();
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_TRUE(r.head.starts_with("POST /hook HTTP/1.1\n")) << r.head;
  EXPECT_EQ(r.header("Content-Type"), "application/json");
  EXPECT_EQ(r.header("X-Probity-Alert-Id"), "A1");
  EXPECT_EQ(r.header("X-Probity-Signature"), expected_signature(r)) << r.head;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_LE(std::abs(now - std::stoll(r.header("X-Probity-Timestamp"))), 60) << r.head;

  // The body is the pseudonymised alert alone: no real identity, no second copy in "shown".
  EXPECT_EQ(r.body.find("real.person"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("P-77"), std::string::npos) << r.body;
  EXPECT_EQ(r.head.find(kSecret), std::string::npos);
  const auto decoded = alert_from_json(r.body);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->id, "A1");
  EXPECT_EQ(decoded->user_id, "u-1a2b");
  EXPECT_EQ(decoded->message, "u-1a2b looked up a person on PNC");
  EXPECT_FALSE(decoded->shown.has_value());
}

TEST_F(WebhookChannelTest, A503IsAnErrorAndTheNextAttemptAfter200IsDelivered) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto ch = channel(config(receiver.url()));
  ASSERT_TRUE(ch);

  receiver.answer_with("503");
  const auto refused = ch->send(stored_alert("A1"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "webhook case-system: HTTP 503 from " + receiver.url());

  receiver.answer_with("200");
  const auto sent = ch->send(stored_alert("A1"));
  EXPECT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST_F(WebhookChannelTest, AnyTwoHundredCountsAsDelivered) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto ch = channel(config(receiver.url()));
  ASSERT_TRUE(ch);
  receiver.answer_with("204");
  const auto sent = ch->send(stored_alert("A1"));
  EXPECT_TRUE(sent) << sent.error().message;
}

TEST_F(WebhookChannelTest, ARedirectIsAnErrorAndIsNotFollowed) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto ch = channel(config(receiver.url()));
  ASSERT_TRUE(ch);
  receiver.answer_with("302");
  const auto sent = ch->send(stored_alert("A1"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().message, "webhook case-system: HTTP 302 from " + receiver.url());
  std::this_thread::sleep_for(200ms);  // a followed redirect would arrive by now
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].head.starts_with("POST /hook ")) << requests[0].head;
}

TEST_F(WebhookChannelTest, ADownReceiverFailsQuickly) {
  const auto port = pick_free_port();
  auto ch = channel(config("http://127.0.0.1:" + std::to_string(port) + "/hook"));
  ASSERT_TRUE(ch);
  const auto start = std::chrono::steady_clock::now();
  const auto sent = ch->send(stored_alert("A1"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ASSERT_FALSE(sent);
  EXPECT_TRUE(sent.error().message.starts_with("webhook case-system: ")) << sent.error().message;
  EXPECT_NE(sent.error().message.find("http://127.0.0.1:" + std::to_string(port) + "/hook"),
            std::string::npos)
      << sent.error().message;
}

TEST_F(WebhookChannelTest, AReceiverThatNeverAnswersTimesOut) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto c = config(receiver.url());
  c.timeout = 1s;
  auto ch = channel(c);
  ASSERT_TRUE(ch);
  receiver.answer_with("hang");
  const auto start = std::chrono::steady_clock::now();
  const auto sent = ch->send(stored_alert("A1"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().message.find("timed out"), std::string::npos) << sent.error().message;
}

TEST_F(WebhookChannelTest, ErrorsNeverShowTheUrlsUserinfo) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto ch = channel(
      config("http://probity:hunter2@127.0.0.1:" + std::to_string(receiver.port()) + "/hook"));
  ASSERT_TRUE(ch);
  receiver.answer_with("500");
  const auto sent = ch->send(stored_alert("A1"));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().message, "webhook case-system: HTTP 500 from " + receiver.url());
}

TEST_F(WebhookChannelTest, ADigestIsOneSignedPostOfEveryShownAlert) {
  WebhookReceiver receiver;
  ASSERT_TRUE(receiver.ready()) << receiver.log();
  auto ch = channel(config(receiver.url()));
  ASSERT_TRUE(ch);
  const auto sent = ch->send_digest({stored_alert("A1"), stored_alert("A2")},
                                    *event::parse_time("2026-11-24T20:10:00Z"));
  ASSERT_TRUE(sent) << sent.error().message;
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.header("X-Probity-Signature"), expected_signature(r));
  EXPECT_EQ(r.header("X-Probity-Alert-Id"), "");
  EXPECT_EQ(r.body.find("real.person"), std::string::npos) << r.body;
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body.at("digest"), true);
  ASSERT_EQ(body.at("alerts").size(), 2u);
  EXPECT_EQ(body["alerts"][0].at("id"), "A1");
  EXPECT_EQ(body["alerts"][1].at("id"), "A2");
  EXPECT_EQ(body["alerts"][1].at("user_id"), "u-1a2b");
}

TEST_F(WebhookChannelTest, HttpsVerifiesTheReceiverAgainstTheCaFile) {
  TestPki pki;
  pki.issue("receiver", "127.0.0.1", "IP:127.0.0.1");
  ASSERT_TRUE(pki.ok());
  WebhookReceiver receiver(pki.at("receiver.pem"), pki.at("receiver.key"));
  ASSERT_TRUE(receiver.ready()) << receiver.log();

  auto trusted_config = config(receiver.url("https"));
  trusted_config.ca_file = pki.at("ca.pem");
  auto trusted = channel(trusted_config);
  auto untrusted = channel(config(receiver.url("https")));
  ASSERT_TRUE(trusted && untrusted);
  const auto sent = trusted->send(stored_alert("A1"));
  EXPECT_TRUE(sent) << sent.error().message << receiver.log();

  const auto refused = untrusted->send(stored_alert("A2"));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(receiver.url("https")), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(WebhookChannelTest, CreateAcceptsOnlyHttpUrlsAndAReadableSecret) {
  for (const char* url : {"ftp://127.0.0.1/hook", "file:///etc/passwd", "not a url", ""}) {
    const auto made = WebhookChannel::create(config(url));
    ASSERT_FALSE(made) << url;
    EXPECT_EQ(made.error().message, "webhook case-system: url must be an http:// or https:// URL");
  }
  auto missing = config("https://hooks.example/probity");
  missing.secret_file = dir_ / "no-such-secret";
  const auto unreadable = WebhookChannel::create(missing);
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().message,
            "webhook case-system: cannot read secret file " + missing.secret_file.string());

  write_file(dir_ / "empty", "\n");
  auto empty = config("https://hooks.example/probity");
  empty.secret_file = dir_ / "empty";
  EXPECT_FALSE(WebhookChannel::create(empty));
}

}  // namespace
