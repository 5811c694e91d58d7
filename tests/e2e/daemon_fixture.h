// A Probity daemon started for real by a test: its own temp state dir, config, rules
// and loopback ports, plus the real peers a test may start beside it (an aiosmtpd sink,
// an rsyslog relay). Everything started here is stopped by the destructors.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "test_support.h"

namespace probity::testing {

struct DaemonOptions {
  DaemonOptions(std::string rules, bool with_smtp = true, std::string extra = {})
      : rules_yaml(std::move(rules)), smtp(with_smtp), extra_config(std::move(extra)) {}
  std::string rules_yaml;      ///< written to rules/test.yaml
  bool smtp = true;            ///< alerts go to smtp_port (sink may start later)
  std::string extra_config;    ///< appended to probity.yaml (top-level keys)
  std::string listener_extra;  ///< appended under the syslog listener (indented 4)
  std::string alerts_extra;    ///< appended under alerts: (indented 2), before its email:
  std::string email_extra;     ///< appended under alerts.email: (indented 4)
  std::string http_extra;      ///< appended under http: (indented 2), e.g. a tls: block
  /// With HTTPS configured: the CA curl checks the server against (start() waits on
  /// https:///healthz, and https() uses it).
  std::string https_ca;
  /// Put before `probity run` (e.g. setpriv --reuid=daemon ...) to run it as another user.
  std::vector<std::string> launcher;
};

class ProbityDaemon {
 public:
  explicit ProbityDaemon(DaemonOptions options);
  ~ProbityDaemon();

  /// Runs `probity ARGS --state-dir ...` to completion (state import and the like).
  CommandResult probity(std::vector<std::string> args) const;
  void import(const std::string& kind, const std::string& csv_name, const std::string& csv) const;

  /// `probity users add NAME --role ROLES` with the password in a file (before start()).
  void add_account(const std::string& name, const std::string& roles,
                   const std::string& password) const;
  /// Logs in over the API; the session's Cookie and X-CSRF-Token header lines, or two
  /// empty strings (and a test failure) when the login is refused.
  std::pair<std::string, std::string> login(const std::string& name,
                                            const std::string& password) const;

  /// A request over HTTPS to the daemon with the real curl, checking the certificate
  /// against options.https_ca; status 0 (and curl's message as body) when none came back.
  HttpReply https(const std::string& method, const std::string& path,
                  const std::vector<std::string>& headers = {}, const std::string& body = {}) const;

  /// Starts `probity run` and waits for /healthz; false (with the log) on failure.
  bool start();
  int stop();
  ChildProcess* process() { return process_.get(); }

  long long metric(const std::string& series) const { return testing::metric(http_port, series); }
  /// Waits until the series reaches at least `value`.
  bool wait_metric(const std::string& series, long long value,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  /// Sends one RFC 5424 access event with the real `logger --tcp --octet-count`.
  CommandResult log_access(std::uint16_t port,
                           const std::vector<std::pair<std::string, std::string>>& params) const;

  TempDir dir{"probity-e2e"};
  std::uint16_t syslog_port;
  std::uint16_t http_port;
  std::uint16_t smtp_port;

 private:
  DaemonOptions options_;
  std::unique_ptr<ChildProcess> process_;
};

/// A real rsyslogd relay: imtcp on `listen_port`, forwarding everything to `forward_port`
/// with omfwd over TCP, octet-counted, RFC 5424.
class RsyslogRelay {
 public:
  RsyslogRelay(std::uint16_t listen_port, std::uint16_t forward_port, std::filesystem::path dir);
  bool ready() const;
  std::string log() const { return process_->log(); }

 private:
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

/// A real rsyslogd relay that forwards by RELP: imtcp on `listen_port`, omrelp to
/// `forward_port` (RFC 5424), with an in-memory action queue that holds what the target has
/// not acknowledged and retries for ever, as a site would run it in front of Probity.
/// `tls` is added to the omrelp action (e.g. tls="on" tls.caCert=...).
class RsyslogRelpRelay {
 public:
  RsyslogRelpRelay(std::uint16_t listen_port, std::uint16_t forward_port, std::filesystem::path dir,
                   const std::string& tls = {});
  bool ready() const;
  std::string log() const { return process_->log(); }

 private:
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> process_;
};

/// A real rsyslogd following a log file with imfile and forwarding each line to
/// `forward_port` with omfwd over TCP, octet-counted, RFC 5424, the line as MSG and `tag`
/// as the app-name: how a site forwards a product's log file to Probity.
class RsyslogFileForwarder {
 public:
  RsyslogFileForwarder(std::filesystem::path file, std::string tag, std::uint16_t forward_port,
                       std::filesystem::path dir);
  ~RsyslogFileForwarder();
  bool running() { return process_ && process_->running(); }
  std::string log() const { return process_ ? process_->log() : std::string(); }

 private:
  std::unique_ptr<ChildProcess> process_;
};

/// A real Postfix on loopback with its own config and queue directories under `dir`:
/// smtpd on `smtpd_port`, every message relayed to [127.0.0.1]:relay_port, its log written
/// by postlogd to maillog() (no system syslog), subjects logged by a header_checks WARN.
/// Started with `postfix -c DIR start`; the destructor always runs `postfix stop` (then
/// abort, then kills the master by its pid file).
class PostfixServer {
 public:
  PostfixServer(std::filesystem::path dir, std::uint16_t smtpd_port, std::uint16_t relay_port);
  ~PostfixServer();
  bool started() const { return started_; }
  std::filesystem::path maillog() const { return dir_ / "maillog"; }
  std::string log() const;
  /// Sends one message through smtpd with Python's smtplib; "" or the error text.
  std::string send(const std::string& from, const std::string& to, const std::string& subject);

 private:
  std::filesystem::path dir_;
  std::uint16_t port_;
  bool started_ = false;
};

/// Fails the calling test with the package to install when a program is missing.
std::string require_program(const std::string& name, const std::string& package);

}  // namespace probity::testing
