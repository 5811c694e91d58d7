// Syslog over TLS (RFC 5425) end to end: a real rsyslog with the GnuTLS driver and a
// client certificate forwards to `probity run`; a client without a certificate is refused.
#include <gtest/gtest.h>

#include "daemon_fixture.h"
#include "test_pki.h"

namespace probity::testing {
namespace {

constexpr const char* kTlsRules = R"(
- detection: any-access
  title: Any access
  severity: low
  condition: event.kind == "access"
)";

/// The daemon's certificate for "probity.test" and a sender's for "relay.test".
void issue_peers(TestPki& pki) {
  pki.issue("server", "probity.test", "DNS:probity.test");
  pki.issue("client", "relay.test", "DNS:relay.test");
}

TEST(TlsE2E, RsyslogWithClientCertificateIsAcceptedAndPlainClientsAreRefused) {
  TestPki pki;
  issue_peers(pki);
  ASSERT_TRUE(pki.ok());
  DaemonOptions options(kTlsRules, false);
  options.listener_extra = "    protocol: tls\n    tls:\n      cert_file: " + pki.at("server.pem") +
                           "\n      key_file: " + pki.at("server.key") +
                           "\n      ca_file: " + pki.at("ca.pem") +
                           "\n      require_client_cert: true\n";
  ProbityDaemon daemon(options);
  ASSERT_TRUE(daemon.start());

  // A sender that speaks plain TCP, or TLS without a certificate, gets nothing in.
  const auto plain = daemon.log_access(daemon.syslog_port, {{"user.id", "PC9"}});
  const auto no_cert = run_program(
      {require_program("openssl", "openssl"), "s_client", "-connect",
       "127.0.0.1:" + std::to_string(daemon.syslog_port), "-CAfile", pki.at("ca.pem"), "-quiet"},
      "<110>1 - h a - - [access@32473 user.id=\"PC9\"] x\n");
  ASSERT_TRUE(daemon.wait_metric("probity_tls_handshake_failures_total", 2))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_events_evaluated_total"), 0);

  // rsyslog, GnuTLS driver, mutual authentication with names checked on both sides.
  const auto relay_port = pick_free_port();
  TempDir relay_dir("probity-rsyslog-tls");
  write_file(relay_dir / "rsyslog.conf",
             "global(workDirectory=\"" + relay_dir.path().string() +
                 "\"\n"
                 "  DefaultNetstreamDriverCAFile=\"" +
                 pki.at("ca.pem") +
                 "\"\n"
                 "  DefaultNetstreamDriverCertFile=\"" +
                 pki.at("client.pem") +
                 "\"\n"
                 "  DefaultNetstreamDriverKeyFile=\"" +
                 pki.at("client.key") +
                 "\")\n"
                 "module(load=\"imtcp\")\n"
                 "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
                 std::to_string(relay_port) +
                 "\")\n"
                 "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" +
                 std::to_string(daemon.syslog_port) +
                 "\" protocol=\"tcp\" StreamDriver=\"gtls\" "
                 "StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/name\" "
                 "StreamDriverPermittedPeers=\"probity.test\" TCP_Framing=\"octet-counted\" "
                 "template=\"RSYSLOG_SyslogProtocol23Format\")\n");
  ChildProcess rsyslog(
      {require_program("rsyslogd", "rsyslog"), "-n", "-f", (relay_dir / "rsyslog.conf").string(),
       "-i", (relay_dir / "rsyslog.pid").string()},
      relay_dir / "rsyslog.log");
  ASSERT_TRUE(wait_until([&] { return port_accepts(relay_port); }, std::chrono::seconds(15)))
      << rsyslog.log();
  const auto sent = daemon.log_access(relay_port, {{"user.id", "PC1001"}, {"subject.id", "P1"}});
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_TRUE(daemon.wait_metric("probity_rule_matches_total", 1))
      << "probity:\n"
      << daemon.process()->log() << "\nrsyslog:\n"
      << rsyslog.log();
  EXPECT_EQ(daemon.metric("probity_events_rejected_total{reason=\"parse\"}"), 0);
  (void)plain;
  (void)no_cert;
}

/// The listener settings for a mutual-TLS listener with `pki`, plus `extra` tls keys.
std::string mutual_tls(const TestPki& pki, const std::string& extra = {}) {
  return "    protocol: tls\n    tls:\n      cert_file: " + pki.at("server.pem") +
         "\n      key_file: " + pki.at("server.key") + "\n      ca_file: " + pki.at("ca.pem") +
         "\n      require_client_cert: true\n" + extra;
}

/// One access event sent with `openssl s_client` and the client certificate, offering only
/// `protocol_and_suite` (e.g. {"-tls1_2", "-cipher", "AES128-SHA"}).
CommandResult send_with_s_client(const ProbityDaemon& daemon, const TestPki& pki,
                                 std::vector<std::string> protocol_and_suite,
                                 const std::string& user) {
  std::vector<std::string> argv{require_program("openssl", "openssl"),
                                "s_client",
                                "-connect",
                                "127.0.0.1:" + std::to_string(daemon.syslog_port),
                                "-CAfile",
                                pki.at("ca.pem"),
                                "-cert",
                                pki.at("client.pem"),
                                "-key",
                                pki.at("client.key"),
                                "-quiet",
                                "-no_ign_eof"};
  argv.insert(argv.end(), protocol_and_suite.begin(), protocol_and_suite.end());
  const std::string msg =
      "<110>1 2026-11-24T20:00:00Z h audit - - [access@32473 user.id=\"" + user + "\"] x";
  return run_program(argv, std::to_string(msg.size()) + " " + msg);
}

// Static-RSA key exchange (no forward secrecy) and CBC with SHA-1 MACs were accepted.
TEST(TlsE2E, OnlyEcdheWithAeadOrTls13IsAccepted) {
  TestPki pki;
  issue_peers(pki);
  ASSERT_TRUE(pki.ok());
  DaemonOptions options(kTlsRules, false);
  options.listener_extra = mutual_tls(pki);
  ProbityDaemon daemon(options);
  ASSERT_TRUE(daemon.start());

  send_with_s_client(daemon, pki, {"-tls1_2", "-cipher", "AES128-SHA"}, "PC1");
  send_with_s_client(daemon, pki, {"-tls1_2", "-cipher", "AES128-GCM-SHA256"}, "PC2");
  send_with_s_client(daemon, pki, {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"}, "PC3");
  ASSERT_TRUE(daemon.wait_metric("probity_tls_handshake_failures_total", 3))
      << daemon.process()->log();

  const auto strong =
      send_with_s_client(daemon, pki, {"-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"}, "PC4");
  const auto tls13 = send_with_s_client(daemon, pki, {"-tls1_3"}, "PC5");
  EXPECT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 2))
      << strong.output << tls13.output << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_events_evaluated_total"), 2);
  EXPECT_EQ(daemon.metric("probity_tls_handshake_failures_total"), 3);
}

TEST(TlsE2E, AllowedNamesAndTheCrlDecideWhichCertificatesGetIn) {
  TestPki pki;
  issue_peers(pki);
  ASSERT_TRUE(pki.ok());
  {
    DaemonOptions options(kTlsRules, false);
    options.listener_extra = mutual_tls(pki, "      allowed_names: [other.test]\n");
    ProbityDaemon daemon(options);
    ASSERT_TRUE(daemon.start());
    send_with_s_client(daemon, pki, {}, "PC1");  // relay.test: a valid certificate, not listed
    ASSERT_TRUE(daemon.wait_metric("probity_tls_handshake_failures_total", 1))
        << daemon.process()->log();
    EXPECT_EQ(daemon.metric("probity_events_evaluated_total"), 0);
  }
  {
    DaemonOptions options(kTlsRules, false);
    options.listener_extra = mutual_tls(pki, "      allowed_names: [other.test, relay.test]\n");
    ProbityDaemon daemon(options);
    ASSERT_TRUE(daemon.start());
    send_with_s_client(daemon, pki, {}, "PC2");
    EXPECT_TRUE(daemon.wait_metric("probity_events_evaluated_total", 1)) << daemon.process()->log();
  }
  // The CA revokes the client certificate; with its CRL configured the client is refused.
  const auto crl = pki.revoke("client");
  ASSERT_TRUE(pki.ok());
  DaemonOptions options(kTlsRules, false);
  options.listener_extra = mutual_tls(pki, "      crl_file: " + crl + "\n");
  ProbityDaemon daemon(options);
  ASSERT_TRUE(daemon.start());
  send_with_s_client(daemon, pki, {}, "PC3");
  ASSERT_TRUE(daemon.wait_metric("probity_tls_handshake_failures_total", 1))
      << daemon.process()->log();
  EXPECT_EQ(daemon.metric("probity_events_evaluated_total"), 0);
}

TEST(TlsE2E, StartFailsClearlyWhenTheKeyFileIsMissing) {
  DaemonOptions options(kTlsRules, false);
  options.listener_extra =
      "    protocol: tls\n    tls:\n      cert_file: /nonexistent/server.pem\n"
      "      key_file: /nonexistent/server.key\n";
  ProbityDaemon daemon(options);
  const auto r = daemon.probity({"run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("cannot load certificate chain /nonexistent/server.pem"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace probity::testing

namespace probity::testing {
namespace {

/// The subject of the certificate the daemon's listener presents now.
std::string presented_subject(const ProbityDaemon& daemon, const TestPki& pki) {
  const auto r =
      run_program({require_program("openssl", "openssl"), "s_client", "-connect",
                   "127.0.0.1:" + std::to_string(daemon.syslog_port), "-CAfile", pki.at("ca.pem"),
                   "-cert", pki.at("client.pem"), "-key", pki.at("client.key")},
                  "");
  const auto at = r.output.find("subject=");
  return at == std::string::npos ? r.output : r.output.substr(at, r.output.find('\n', at) - at);
}

TEST(TlsE2E, ARotatedCertificateIsTakenByReloadWithoutARestart) {
  TestPki pki;
  issue_peers(pki);
  pki.issue("rotated", "probity-rotated.test", "DNS:probity.test");
  ASSERT_TRUE(pki.ok());
  DaemonOptions options(kTlsRules, false);
  options.listener_extra = mutual_tls(pki);
  ProbityDaemon daemon(options);
  ASSERT_TRUE(daemon.start());
  EXPECT_NE(presented_subject(daemon, pki).find("CN = probity.test"), std::string::npos);

  // The renewal lands at the same paths, as certbot or a PKI agent does it.
  write_file(pki.at("server.pem"), read_file(pki.at("rotated.pem")));
  write_file(pki.at("server.key"), read_file(pki.at("rotated.key")));
  const auto reloaded = daemon.probity({"reload"});
  ASSERT_EQ(reloaded.exit_code, 0) << reloaded.output;
  EXPECT_NE(presented_subject(daemon, pki).find("probity-rotated.test"), std::string::npos);

  // A broken renewal keeps the certificate that works, and says so.
  write_file(pki.at("server.key"), "not a key\n");
  const auto refused = daemon.probity({"reload"});
  EXPECT_NE(refused.output.find("TLS files that did not load"), std::string::npos)
      << refused.output;
  EXPECT_NE(presented_subject(daemon, pki).find("probity-rotated.test"), std::string::npos);
  EXPECT_EQ(daemon.stop(), 0);
}

}  // namespace
}  // namespace probity::testing
