// The live page and API over HTTPS end to end: a real curl checks a throwaway certificate,
// logs in, gets a Secure cookie, lists alerts, follows the live stream and acts with a
// bearer token; plain HTTP to the port gets nothing, and a client that never finishes its
// handshake is dropped after the handshake timeout.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kHttpTlsRules = R"(- detection: colleague-lookup
  title: Look-up of a colleague
  severity: high
  condition: event.kind == "access" and user.id == "pc1"
)";

/// A self-signed certificate for 127.0.0.1 (its own CA), made with the real openssl.
struct HttpsCertificate {
  TempDir dir{"probity-https"};
  std::string cert = (dir / "http.pem").string();
  std::string key = (dir / "http.key").string();
  bool ok = false;
  HttpsCertificate() {
    const auto r =
        run_program({require_program("openssl", "openssl"), "req", "-x509", "-newkey", "rsa:2048",
                     "-nodes", "-days", "2", "-subj", "/CN=probity.test", "-addext",
                     "subjectAltName=IP:127.0.0.1,DNS:probity.test", "-keyout", key, "-out", cert});
    ok = r.exit_code == 0;
    EXPECT_TRUE(ok) << r.output;
  }
};

DaemonOptions https_options(const HttpsCertificate& pki) {
  DaemonOptions options(kHttpTlsRules, /*with_smtp=*/false);
  options.http_extra = "  tls:\n    cert_file: " + pki.cert + "\n    key_file: " + pki.key + "\n";
  options.https_ca = pki.cert;
  return options;
}

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

TEST(HttpsE2E, LogsInWithASecureCookieListsStreamsAndActsOverTls) {
  HttpsCertificate pki;
  ASSERT_TRUE(pki.ok);
  ProbityDaemon daemon(https_options(pki));
  daemon.add_account("ana", "analyst", "ana's long password");
  const auto issued = daemon.probity({"users", "token", "ana", "--label", "soc-script"});
  ASSERT_EQ(issued.exit_code, 0) << issued.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(issued.output, m, std::regex("probity_[0-9a-f]{64}")));
  const std::string token = m[0].str();
  ASSERT_TRUE(daemon.start());
  ASSERT_EQ(daemon.log_access(daemon.syslog_port, {{"user.id", "pc1"}}).exit_code, 0);
  // /metrics over HTTPS, as a scraper with the CA would read it.
  ASSERT_TRUE(wait_until(
      [&] {
        return daemon.https("GET", "/metrics").body.find("probity_alerts_stored_total 1\n") !=
               std::string::npos;
      },
      std::chrono::seconds(20)))
      << daemon.process()->log();
  EXPECT_EQ(daemon.https("GET", "/healthz").status, 200);

  // Plain HTTP to the TLS port gets no HTTP answer at all.
  EXPECT_EQ(http_request(daemon.http_port, "GET", "/healthz").status, 0);

  const auto login = daemon.https("POST", "/api/login", {"Content-Type: application/json"},
                                  R"({"account":"ana","password":"ana's long password"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string cookie = login.header("Set-Cookie");
  EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  const std::string cookie_header = "Cookie: " + cookie.substr(0, cookie.find(';'));
  const auto list = daemon.https("GET", "/api/alerts", {cookie_header});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find("colleague-lookup"), std::string::npos) << list.body;

  // The live stream over TLS: curl follows it until its time limit.
  const auto stream = run_program(
      {require_program("curl", "curl"), "-sS", "-N", "--max-time", "3", "--cacert", pki.cert, "-H",
       cookie_header, "https://127.0.0.1:" + std::to_string(daemon.http_port) + "/events"});
  EXPECT_NE(stream.output.find("event: alert"), std::string::npos) << stream.output;

  // A script with a token: no cookie, no CSRF token.
  const std::string bearer = "Authorization: Bearer " + token;
  std::smatch id;
  ASSERT_TRUE(std::regex_search(list.body, id, std::regex("\"id\":\"([^\"]+)\"")));
  const auto ack = daemon.https("POST", "/api/alerts/" + id[1].str() + "/acknowledge",
                                {bearer, "Content-Type: application/json"}, "{}");
  EXPECT_EQ(ack.status, 200) << ack.body;
  const auto big =
      daemon.https("POST", "/api/alerts/" + id[1].str() + "/note",
                   {bearer, "Content-Type: application/json"}, std::string(100 * 1024, ' '));
  EXPECT_EQ(big.status, 413) << big.body;
}

TEST(HttpsE2E, OldProtocolsAreRefusedAndAStalledHandshakeIsDropped) {
  HttpsCertificate pki;
  ASSERT_TRUE(pki.ok);
  ProbityDaemon daemon(https_options(pki));
  ASSERT_TRUE(daemon.start());
  const std::string at = "127.0.0.1:" + std::to_string(daemon.http_port);
  const auto openssl = require_program("openssl", "openssl");
  // A TLS 1.2 client offering only a CBC suite without forward secrecy is refused.
  const auto cbc = run_program({openssl, "s_client", "-connect", at, "-tls1_2", "-cipher",
                                "AES128-SHA", "-CAfile", pki.cert},
                               "");
  EXPECT_NE(cbc.exit_code, 0) << cbc.output;
  const auto tls13 =
      run_program({openssl, "s_client", "-connect", at, "-tls1_3", "-CAfile", pki.cert}, "");
  EXPECT_EQ(tls13.exit_code, 0) << tls13.output;

  // Slowloris: connect, send nothing; the server closes within the handshake timeout.
  const int fd = connect_to(daemon.http_port);
  ASSERT_GE(fd, 0);
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto started = std::chrono::steady_clock::now();
  char byte = 0;
  const auto n = ::read(fd, &byte, 1);
  const auto waited = std::chrono::steady_clock::now() - started;
  ::close(fd);
  EXPECT_EQ(n, 0) << "the stalled connection was not closed by the server";
  EXPECT_GE(waited, std::chrono::seconds(8));
  EXPECT_LE(waited, std::chrono::seconds(15));
  EXPECT_EQ(daemon.https("GET", "/healthz").status, 200);  // and the server still serves
}

TEST(HttpsE2E, PlainHttpOnANonLoopbackAddressIsRefusedUnlessAllowed) {
  DaemonOptions options(kHttpTlsRules, /*with_smtp=*/false);
  ProbityDaemon daemon(options);
  const auto config = daemon.dir / "probity.yaml";
  std::string text = read_file(config);
  const auto at = text.find("  address: 127.0.0.1\n  port: " + std::to_string(daemon.http_port));
  ASSERT_NE(at, std::string::npos) << text;
  text.replace(at, std::string("  address: 127.0.0.1").size(), "  address: 0.0.0.0");
  write_file(config, text);
  const auto refused = daemon.probity({"run"});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find("refusing plain HTTP on 0.0.0.0"), std::string::npos)
      << refused.output;

  // The operator's explicit choice: served, with a warning nobody can miss in the log.
  const std::string port_line = "  port: " + std::to_string(daemon.http_port) + "\n";
  text.replace(text.find(port_line), port_line.size(), port_line + "  allow_plaintext: true\n");
  write_file(config, text);
  ASSERT_TRUE(daemon.start());
  EXPECT_NE(daemon.process()->log().find("SERVING PLAIN HTTP ON 0.0.0.0"), std::string::npos)
      << daemon.process()->log();
}

}  // namespace probity::testing
