// A real SMTP server for tests: aiosmtpd with the tests/support/smtp_sink.py handler, on a
// loopback port, saving each message it accepts to a directory. Always stopped by the
// destructor (ChildProcess). Test-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "test_support.h"

namespace probity::testing {

/// Empty when aiosmtpd can run, else what to install (tests FAIL with it, never skip).
inline std::string aiosmtpd_missing() {
  // The first python3 on PATH may be another interpreter without Debian's packages.
  if (!std::filesystem::exists("/usr/bin/python3"))
    return "/usr/bin/python3 is missing: install the Debian package python3";
  const auto r = run_program({"/usr/bin/python3", "-c", "import aiosmtpd"});
  if (r.exit_code != 0)
    return "aiosmtpd is missing for /usr/bin/python3: install the Debian package python3-aiosmtpd";
  return {};
}

struct ReceivedMail {
  std::string envelope;  ///< MAIL FROM, then RCPT TO lines
  std::string message;   ///< raw bytes as received (after dot-unstuffing)
};

class SmtpServer {
 public:
  /// Starts the server on port and waits until it accepts connections.
  SmtpServer(std::uint16_t port, std::filesystem::path dir) : port_(port), dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    if (const auto missing = aiosmtpd_missing(); !missing.empty()) {
      ADD_FAILURE() << missing;
      return;
    }
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3", "-m", "aiosmtpd", "-n", "-c",
                                 "smtp_sink.Saver", "-l", "127.0.0.1:" + std::to_string(port),
                                 (dir_ / "received").string()},
        dir_ / "aiosmtpd.log",
        std::map<std::string, std::string>{{"PYTHONPATH", PROBITY_TEST_SUPPORT_DIR}});
    ready_ = wait_until([&] { return port_accepts(port_) || !child_->running(); },
                        std::chrono::seconds(15)) &&
             child_->running();
  }

  bool ready() const { return ready_; }
  std::string log() const { return child_ ? child_->log() : std::string(); }
  std::uint16_t port() const { return port_; }

  /// Messages received so far, in arrival order.
  std::vector<ReceivedMail> mails() const {
    std::vector<std::filesystem::path> emls;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "received", ec))
      if (e.path().extension() == ".eml") emls.push_back(e.path());
    std::sort(emls.begin(), emls.end());
    std::vector<ReceivedMail> out;
    for (const auto& p : emls) {
      auto env = p;
      env.replace_extension(".env");
      out.push_back({read_file(env), read_file(p)});
    }
    return out;
  }

  /// The raw messages alone, in arrival order.
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (auto& m : mails()) out.push_back(std::move(m.message));
    return out;
  }

 private:
  std::uint16_t port_;
  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> child_;
  bool ready_ = false;
};

}  // namespace probity::testing
