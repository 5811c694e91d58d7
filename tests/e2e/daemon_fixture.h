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
  std::string rules_yaml;          ///< written to rules/test.yaml
  bool smtp = true;                ///< alerts go to smtp_port (sink may start later)
};

class ProbityDaemon {
 public:
  explicit ProbityDaemon(DaemonOptions options);
  ~ProbityDaemon();

  /// Runs `probity ARGS --state-dir ...` to completion (state import and the like).
  CommandResult probity(std::vector<std::string> args) const;
  void import(const std::string& kind, const std::string& csv_name, const std::string& csv) const;

  /// Starts `probity run` and waits for /healthz; false (with the log) on failure.
  bool start();
  int stop();
  ChildProcess* process() { return process_.get(); }

  long long metric(const std::string& series) const { return testing::metric(http_port, series); }
  /// Waits until the series reaches at least `value`.
  bool wait_metric(const std::string& series, long long value,
                   std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  /// Sends one RFC 5424 access event with the real `logger --tcp --octet-count`.
  CommandResult log_access(std::uint16_t port, const std::vector<std::pair<std::string, std::string>>& params) const;

  TempDir dir{"probity-e2e"};
  std::uint16_t syslog_port;
  std::uint16_t http_port;
  std::uint16_t smtp_port;

 private:
  DaemonOptions options_;
  std::unique_ptr<ChildProcess> process_;
};

/// The aiosmtpd sink from tests/support/smtp_sink.py, saving messages as NNNN.eml.
class SmtpSink {
 public:
  SmtpSink(std::uint16_t port, std::filesystem::path dir);
  bool ready() const;
  std::vector<std::string> messages() const;

 private:
  std::filesystem::path dir_;
  std::uint16_t port_;
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

/// Fails the calling test with the package to install when a program is missing.
std::string require_program(const std::string& name, const std::string& package);

}  // namespace probity::testing
