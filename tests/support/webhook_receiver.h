// A real HTTP(S) webhook receiver for tests: tests/support/webhook_receiver.py on a loopback
// port, saving each request it gets and answering as told. Always stopped by the destructor
// (ChildProcess). Test-only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "test_support.h"

namespace probity::testing {

struct ReceivedRequest {
  std::string head;  ///< request line and headers
  std::string body;
  /// The value of the first header `name` (case-insensitive), or "".
  std::string header(const std::string& name) const {
    const auto lower = [](std::string s) {
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return s;
    };
    const std::string key = lower("\n" + name + ": ");
    const auto at = lower(head).find(key);
    if (at == std::string::npos) return {};
    const auto start = at + key.size();
    return head.substr(start, head.find('\n', start) - start);
  }
};

/// webhook_receiver.py on a port of its own. With `start_now` false the port is picked but
/// nothing listens on it until start(): a receiver that is down when alerts are raised.
class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::string cert = {}, std::string key = {}, bool start_now = true)
      : cert_(std::move(cert)), key_(std::move(key)) {
    std::filesystem::create_directories(dir_ / "received");
    if (start_now) start();
  }

  /// Starts the receiver (again) and waits until it accepts connections.
  bool start() {
    if (!std::filesystem::exists("/usr/bin/python3")) {
      ADD_FAILURE() << "/usr/bin/python3 is missing: install the Debian package python3";
      return false;
    }
    std::vector<std::string> argv{"/usr/bin/python3",
                                  std::string(PROBITY_TEST_SUPPORT_DIR) + "/webhook_receiver.py",
                                  std::to_string(port_), (dir_ / "received").string()};
    if (!cert_.empty()) argv.insert(argv.end(), {cert_, key_});
    child_.reset();
    child_ = std::make_unique<ChildProcess>(argv, dir_ / "receiver.log");
    ready_ = wait_until([&] { return port_accepts(port_) || !child_->running(); },
                        std::chrono::seconds(15)) &&
             child_->running();
    return ready_;
  }

  bool ready() const { return ready_; }
  std::string log() const { return child_ ? child_->log() : ""; }
  std::uint16_t port() const { return port_; }
  std::string url(const std::string& scheme = "http") const {
    return scheme + "://127.0.0.1:" + std::to_string(port_) + "/hook";
  }
  /// The status every later request gets ("503", "302", "hang").
  void answer_with(const std::string& status) { write_file(dir_ / "received" / "status", status); }

  /// The requests received so far, in arrival order.
  std::vector<ReceivedRequest> requests() const {
    std::vector<std::filesystem::path> heads;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "received"))
      if (e.path().extension() == ".headers") heads.push_back(e.path());
    std::sort(heads.begin(), heads.end());
    std::vector<ReceivedRequest> out;
    for (auto p : heads) {
      ReceivedRequest r{read_file(p), {}};
      r.body = read_file(p.replace_extension(".body"));
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  TempDir dir_{"probity-webhook"};
  std::uint16_t port_ = pick_free_port();
  std::string cert_, key_;
  std::unique_ptr<ChildProcess> child_;
  bool ready_ = false;
};

}  // namespace probity::testing
