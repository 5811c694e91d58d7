// Implementation of the e2e fixtures: config file, real peers, and their clean stop.
#include "daemon_fixture.h"

#include <gtest/gtest.h>

namespace probity::testing {

namespace fs = std::filesystem;

std::string require_program(const std::string& name, const std::string& package) {
  const auto path = find_program(name);
  if (path.empty())
    ADD_FAILURE() << name << " is not installed: apt-get install " << package
                  << " (or run deploy/install-deps.sh)";
  return path;
}

ProbityDaemon::ProbityDaemon(DaemonOptions options)
    : syslog_port(pick_free_port()),
      http_port(pick_free_port()),
      smtp_port(pick_free_port()),
      options_(std::move(options)) {
  write_file(dir / "rules/test.yaml", options_.rules_yaml);
  std::string config = "state_dir: " + (dir / "state").string() + "\n" + "rules: [" +
                       (dir / "rules").string() + "]\n" +
                       "listeners:\n  - name: syslog\n    address: 127.0.0.1\n    port: " +
                       std::to_string(syslog_port) + "\n" + options_.listener_extra +
                       "http:\n  address: 127.0.0.1\n  port: " + std::to_string(http_port) + "\n" +
                       options_.http_extra +
                       "alerts:\n  jsonl: alerts.jsonl\n  retry_initial: 200ms\n"
                       "  retry_max: 1s\n  drain_timeout: 1s\n" +
                       options_.alerts_extra +
                       "  email:\n"
                       "    to: psd@force.example\n    from: probity@force.example\n" +
                       options_.email_extra;
  if (options_.smtp) config += "    smtp_url: smtp://127.0.0.1:" + std::to_string(smtp_port) + "\n";
  config += options_.extra_config;
  write_file(dir / "probity.yaml", config);
}

ProbityDaemon::~ProbityDaemon() = default;

CommandResult ProbityDaemon::probity(std::vector<std::string> args) const {
  args.insert(args.begin(), PROBITY_BINARY);
  args.push_back("--config");
  args.push_back((dir / "probity.yaml").string());
  return run_program(args);
}

void ProbityDaemon::import(const std::string& kind, const std::string& file_name,
                           const std::string& text) const {
  const auto file = dir / file_name;
  write_file(file, text);
  const auto r = probity({"state", "import", kind, file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

void ProbityDaemon::add_account(const std::string& name, const std::string& roles,
                                const std::string& password) const {
  const auto file = dir / ("password-" + name);
  write_file(file, password + "\n");
  const auto r = probity({"users", "add", name, "--role", roles, "--password-file", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::filesystem::remove(file);
}

std::pair<std::string, std::string> ProbityDaemon::login(const std::string& name,
                                                         const std::string& password) const {
  const auto reply =
      http_request(http_port, "POST", "/api/login", {"Content-Type: application/json"},
                   "{\"account\":\"" + name + "\",\"password\":\"" + password + "\"}");
  const auto cookie = reply.header("Set-Cookie");
  const auto csrf_at = reply.body.find("\"csrf\":\"");
  if (reply.status != 200 || cookie.empty() || csrf_at == std::string::npos) {
    ADD_FAILURE() << "login as " << name << " refused: " << reply.status << " " << reply.body;
    return {};
  }
  const auto csrf = reply.body.substr(csrf_at + 8, 64);
  return {"Cookie: " + cookie.substr(0, cookie.find(';')), "X-CSRF-Token: " + csrf};
}

HttpReply ProbityDaemon::https(const std::string& method, const std::string& path,
                               const std::vector<std::string>& headers,
                               const std::string& body) const {
  const auto out = dir / "curl-reply";
  const auto sent = dir / "curl-body";
  std::filesystem::remove(out);
  std::vector<std::string> argv{require_program("curl", "curl"),
                                "-sS",
                                "-i",
                                "--http1.1",
                                "--max-time",
                                "10",
                                "--cacert",
                                options_.https_ca,
                                "-X",
                                method,
                                "-o",
                                out.string()};
  for (const auto& h : headers) argv.insert(argv.end(), {"-H", h});
  if (!body.empty() || method == "POST") {
    write_file(sent, body);
    argv.insert(argv.end(), {"--data-binary", "@" + sent.string()});
  }
  argv.push_back("https://127.0.0.1:" + std::to_string(http_port) + path);
  const auto r = run_program(argv);
  const auto reply = read_file(out);
  const auto end = reply.find("\r\n\r\n");
  if (r.exit_code != 0 || reply.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos)
    return {0, "", r.output};
  return {std::atoi(reply.c_str() + 9), reply.substr(0, end), reply.substr(end + 4)};
}

bool ProbityDaemon::start() {
  auto argv = options_.launcher;
  argv.insert(argv.end(), {PROBITY_BINARY, "run", "--config", (dir / "probity.yaml").string()});
  process_ = std::make_unique<ChildProcess>(argv, dir / "probity.log");
  const bool up = wait_until(
      [&] {
        if (!process_->running()) return true;
        if (!options_.https_ca.empty()) return https("GET", "/healthz").status == 200;
        return http_get(http_port, "/healthz").first == 200;
      },
      std::chrono::seconds(60));  // a ThreadSanitizer build on a busy machine starts slowly
  if (!up || !process_->running()) {
    ADD_FAILURE() << "probity did not start:\n" << process_->log();
    return false;
  }
  return true;
}

int ProbityDaemon::stop() { return process_ ? process_->stop() : -1; }

bool ProbityDaemon::wait_metric(const std::string& series, long long value,
                                std::chrono::milliseconds timeout) const {
  return wait_until([&] { return metric(series) >= value; }, timeout);
}

CommandResult ProbityDaemon::log_access(
    std::uint16_t port, const std::vector<std::pair<std::string, std::string>>& params) const {
  std::vector<std::string> argv{require_program("logger", "bsdutils"),
                                "--tcp",
                                "--octet-count",
                                "--rfc5424",
                                "-n",
                                "127.0.0.1",
                                "-P",
                                std::to_string(port),
                                "-t",
                                "audit",
                                "--sd-id",
                                "access@32473"};
  for (const auto& [k, v] : params) {
    argv.push_back("--sd-param");
    argv.push_back(k + "=\"" + v + "\"");
  }
  argv.push_back("record consulted");
  return run_program(argv);
}

namespace {

/// rsyslogd -n on dir/rsyslog.conf, waited for until it listens on `port`.
std::unique_ptr<ChildProcess> start_rsyslogd(const std::string& rsyslogd, const fs::path& dir,
                                             std::uint16_t port) {
  auto process = std::make_unique<ChildProcess>(
      std::vector<std::string>{rsyslogd, "-n", "-f", (dir / "rsyslog.conf").string(), "-i",
                               (dir / "rsyslog.pid").string()},
      dir / "rsyslog.log");
  if (!wait_until([&] { return port_accepts(port); }, std::chrono::seconds(15)))
    ADD_FAILURE() << "rsyslogd did not start:\n" << process->log();
  return process;
}

}  // namespace

RsyslogRelay::RsyslogRelay(std::uint16_t listen_port, std::uint16_t forward_port, fs::path dir)
    : port_(listen_port) {
  const auto rsyslogd = require_program("rsyslogd", "rsyslog");
  fs::create_directories(dir / "work");
  write_file(dir / "rsyslog.conf", "global(workDirectory=\"" + (dir / "work").string() +
                                       "\")\n"
                                       "module(load=\"imtcp\")\n"
                                       "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
                                       std::to_string(listen_port) +
                                       "\")\n"
                                       "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" +
                                       std::to_string(forward_port) +
                                       "\" protocol=\"tcp\" TCP_Framing=\"octet-counted\" "
                                       "template=\"RSYSLOG_SyslogProtocol23Format\")\n");
  process_ = start_rsyslogd(rsyslogd, dir, port_);
}

bool RsyslogRelay::ready() const { return port_accepts(port_); }

RsyslogRelpRelay::RsyslogRelpRelay(std::uint16_t listen_port, std::uint16_t forward_port,
                                   fs::path dir, const std::string& tls)
    : port_(listen_port) {
  const auto rsyslogd = require_program("rsyslogd", "rsyslog");
  if (!fs::exists("/usr/lib/x86_64-linux-gnu/rsyslog/omrelp.so"))
    ADD_FAILURE() << "rsyslog's omrelp is not installed: apt-get install rsyslog-relp";
  fs::create_directories(dir / "work");
  write_file(dir / "rsyslog.conf",
             "global(workDirectory=\"" + (dir / "work").string() +
                 "\")\n"
                 "main_queue(queue.size=\"200000\")\n"
                 "module(load=\"imtcp\")\nmodule(load=\"omrelp\")\n"
                 "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
                 std::to_string(listen_port) +
                 "\")\n"
                 "action(type=\"omrelp\" target=\"127.0.0.1\" port=\"" +
                 std::to_string(forward_port) + "\" " + tls +
                 " template=\"RSYSLOG_SyslogProtocol23Format\" queue.type=\"LinkedList\" "
                 "queue.size=\"200000\" action.resumeRetryCount=\"-1\" "
                 "action.resumeInterval=\"1\")\n");
  process_ = start_rsyslogd(rsyslogd, dir, port_);
}

bool RsyslogRelpRelay::ready() const { return port_accepts(port_); }

}  // namespace probity::testing
