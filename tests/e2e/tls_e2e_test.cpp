// Syslog over TLS (RFC 5425) end to end: a real rsyslog with the GnuTLS driver and a
// client certificate forwards to `probity run`; a client without a certificate is refused.
#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kRules = R"(
- detection: any-access
  title: Any access
  severity: low
  condition: event.kind == "access"
)";

/// A throwaway CA, a server certificate for "probity.test" and a client certificate.
struct TestPki {
  TempDir dir{"probity-pki"};
  bool ok = true;

  void openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{require_program("openssl", "openssl")};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_program(argv);
    if (r.exit_code != 0) {
      ok = false;
      ADD_FAILURE() << "openssl failed: " << r.output;
    }
  }
  std::string at(const std::string& name) const { return (dir / name).string(); }

  TestPki() {
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
             "/CN=Probity Test CA", "-keyout", at("ca.key"), "-out", at("ca.pem")});
    for (const std::string who : {"server", "client"}) {
      const std::string cn = who == "server" ? "probity.test" : "relay.test";
      openssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn, "-keyout",
               at(who + ".key"), "-out", at(who + ".csr")});
      write_file(dir / (who + ".ext"), "subjectAltName=DNS:" + cn + "\n");
      openssl({"x509", "-req", "-in", at(who + ".csr"), "-CA", at("ca.pem"), "-CAkey",
               at("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", at(who + ".ext"),
               "-out", at(who + ".pem")});
    }
  }
};

TEST(TlsE2E, RsyslogWithClientCertificateIsAcceptedAndPlainClientsAreRefused) {
  TestPki pki;
  ASSERT_TRUE(pki.ok);
  DaemonOptions options(kRules, false);
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
             "global(workDirectory=\"" + relay_dir.path().string() + "\"\n"
             "  DefaultNetstreamDriverCAFile=\"" + pki.at("ca.pem") + "\"\n"
             "  DefaultNetstreamDriverCertFile=\"" + pki.at("client.pem") + "\"\n"
             "  DefaultNetstreamDriverKeyFile=\"" + pki.at("client.key") + "\")\n"
             "module(load=\"imtcp\")\n"
             "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + std::to_string(relay_port) + "\")\n"
             "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" +
             std::to_string(daemon.syslog_port) + "\" protocol=\"tcp\" StreamDriver=\"gtls\" "
             "StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/name\" "
             "StreamDriverPermittedPeers=\"probity.test\" TCP_Framing=\"octet-counted\" "
             "template=\"RSYSLOG_SyslogProtocol23Format\")\n");
  ChildProcess rsyslog({require_program("rsyslogd", "rsyslog"), "-n", "-f",
                        (relay_dir / "rsyslog.conf").string(), "-i",
                        (relay_dir / "rsyslog.pid").string()},
                       relay_dir / "rsyslog.log");
  ASSERT_TRUE(wait_until([&] { return port_accepts(relay_port); }, std::chrono::seconds(15)))
      << rsyslog.log();
  const auto sent = daemon.log_access(relay_port, {{"user.id", "PC1001"}, {"subject.id", "P1"}});
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_TRUE(daemon.wait_metric("probity_rule_matches_total", 1))
      << "probity:\n" << daemon.process()->log() << "\nrsyslog:\n" << rsyslog.log();
  EXPECT_EQ(daemon.metric("probity_events_rejected_total{reason=\"parse\"}"), 0);
  (void)plain;
  (void)no_cert;
}

TEST(TlsE2E, StartFailsClearlyWhenTheKeyFileIsMissing) {
  DaemonOptions options(kRules, false);
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
