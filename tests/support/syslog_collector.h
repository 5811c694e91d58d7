// A real syslog collector for tests: rsyslogd with imtcp on a loopback port (plain TCP, or
// TLS with mutual x509/name authentication against a TestPki), writing each record it parses
// to a file the test reads back. Always stopped by the destructor (ChildProcess). Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "test_pki.h"
#include "test_support.h"

namespace probity::testing {

/// One record as the collector parsed it (the template below).
struct SyslogRecord {
  std::string pri, version, hostname, app_name, msgid, structured_data, msg;
};

/// rsyslogd with imtcp on a port it keeps across restarts, writing each record it parses
/// to a file. With a TestPki that has issued "collector" (its certificate): TLS only, and
/// only a client presenting probity.test.
class SyslogCollector {
 public:
  explicit SyslogCollector(const TestPki* pki = nullptr) {
    std::string conf = "global(workDirectory=\"" + dir_.path().string() + "\"";
    std::string imtcp = "module(load=\"imtcp\"";
    if (pki) {
      conf += " DefaultNetstreamDriverCAFile=\"" + pki->at("ca.pem") +
              "\" DefaultNetstreamDriverCertFile=\"" + pki->at("collector.pem") +
              "\" DefaultNetstreamDriverKeyFile=\"" + pki->at("collector.key") + "\"";
      imtcp +=
          " StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\""
          " StreamDriver.AuthMode=\"x509/name\" PermittedPeer=[\"probity.test\"]";
    }
    // '\t' between the parts: the CEF message itself is full of '|'.
    conf += ")\n" + imtcp +
            ")\n"
            "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
            std::to_string(port_) +
            "\")\n"
            "template(name=\"record\" type=\"string\" string=\"%pri%\\t%protocol-version%\\t"
            "%hostname%\\t%app-name%\\t%msgid%\\t%structured-data%\\t%msg%\\n\")\n"
            "action(type=\"omfile\" file=\"" +
            (dir_ / "received.log").string() + "\" template=\"record\")\n";
    write_file(dir_ / "rsyslog.conf", conf);
    start();
  }

  /// Starts rsyslogd (again) and waits until it accepts connections.
  bool start() {
    const std::string rsyslogd = find_program("rsyslogd");
    if (rsyslogd.empty()) {
      ADD_FAILURE() << "rsyslogd is missing: install the Debian package rsyslog";
      return false;
    }
    process_.reset();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{rsyslogd, "-n", "-f", (dir_ / "rsyslog.conf").string(), "-i",
                                 (dir_ / "rsyslog.pid").string()},
        dir_ / ("rsyslog-" + std::to_string(++starts_) + ".log"));
    ready_ = wait_until([&] { return port_accepts(port_) || !process_->running(); },
                        std::chrono::seconds(15)) &&
             process_->running();
    return ready_;
  }
  void stop() {
    if (process_) process_->stop();
    process_.reset();
  }

  bool ready() const { return ready_; }
  std::uint16_t port() const { return port_; }
  std::string log() const { return process_ ? process_->log() : ""; }

  std::vector<SyslogRecord> records() const {
    std::vector<SyslogRecord> out;
    std::istringstream in(read_file(dir_ / "received.log"));
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> parts;
      std::size_t start = 0;
      for (int i = 0; i < 6; ++i) {
        const auto tab = line.find('\t', start);
        if (tab == std::string::npos) break;
        parts.push_back(line.substr(start, tab - start));
        start = tab + 1;
      }
      if (parts.size() != 6) {
        ADD_FAILURE() << "unexpected record: " << line;
        continue;
      }
      out.push_back(
          {parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], line.substr(start)});
    }
    return out;
  }
  /// Waits until `count` records have arrived (or 10 s).
  std::vector<SyslogRecord> wait_for(std::size_t count) const {
    wait_until([&] { return records().size() >= count; }, std::chrono::seconds(10));
    return records();
  }

 private:
  TempDir dir_{"probity-collector"};
  std::uint16_t port_ = pick_free_port();
  std::unique_ptr<ChildProcess> process_;
  int starts_ = 0;
  bool ready_ = false;
};

}  // namespace probity::testing
