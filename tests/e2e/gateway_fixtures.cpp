// The gateway fixtures (daemon_fixture.h): a real Postfix on loopback writing its own
// maillog, and a real rsyslog forwarding a log file with imfile. Not for Probity itself.
#include <sys/stat.h>

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "daemon_fixture.h"

namespace probity::testing {

namespace fs = std::filesystem;

RsyslogFileForwarder::RsyslogFileForwarder(fs::path file, std::string tag,
                                           std::uint16_t forward_port, fs::path dir) {
  const auto rsyslogd = require_program("rsyslogd", "rsyslog");
  if (rsyslogd.empty()) return;
  fs::create_directories(dir / "work");
  // No needParse: rsyslog's own parser would take the maillog line's host for a tag.
  // The line travels whole as MSG and Probity's postfix decoder reads its header.
  write_file(dir / "rsyslog.conf",
             "global(workDirectory=\"" + (dir / "work").string() +
                 "\")\n"
                 "module(load=\"imfile\" mode=\"inotify\")\n"
                 "input(type=\"imfile\" file=\"" +
                 file.string() + "\" tag=\"" + tag +
                 "\" "
                 "facility=\"mail\" severity=\"info\" freshStartTail=\"off\")\n"
                 "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" +
                 std::to_string(forward_port) +
                 "\" protocol=\"tcp\" TCP_Framing=\"octet-counted\" "
                 "template=\"RSYSLOG_SyslogProtocol23Format\")\n");
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{rsyslogd, "-n", "-f", (dir / "rsyslog.conf").string(), "-i",
                               (dir / "rsyslog.pid").string()},
      dir / "rsyslog.log");
}

RsyslogFileForwarder::~RsyslogFileForwarder() = default;

namespace {

constexpr const char* kMasterCf = R"(
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
)";

}  // namespace

PostfixServer::PostfixServer(fs::path dir, std::uint16_t smtpd_port, std::uint16_t relay_port)
    : dir_(std::move(dir)), port_(smtpd_port) {
  const auto postfix = require_program("postfix", "postfix");
  if (postfix.empty()) return;
  if (!fs::exists("/usr/lib/postfix/sbin/master")) {
    ADD_FAILURE() << "/usr/lib/postfix/sbin/master is missing: apt-get install postfix";
    return;
  }
  // Postfix's daemons run as the postfix user: the temp dir (mkdtemp makes it 0700) must
  // be searchable, and the data directory theirs. Parents such as /tmp are left alone.
  fs::create_directories(dir_ / "conf");
  fs::create_directories(dir_ / "queue");
  fs::create_directories(dir_ / "data");
  ::chmod(dir_.c_str(), 0755);
  run_program({"/bin/chown", "postfix", (dir_ / "data").string()});
  const std::string d = dir_.string();
  write_file(dir_ / "conf/main.cf",
             "compatibility_level = 3.6\n"
             "queue_directory = " +
                 d +
                 "/queue\n"
                 "data_directory = " +
                 d +
                 "/data\n"
                 "command_directory = /usr/sbin\n"
                 "daemon_directory = /usr/lib/postfix/sbin\n"
                 "mail_owner = postfix\n"
                 "setgid_group = postdrop\n"
                 "inet_interfaces = loopback-only\n"
                 "inet_protocols = ipv4\n"
                 "myhostname = mx1.force.example\n"
                 "mydomain = force.example\n"
                 "myorigin = $mydomain\n"
                 "mydestination =\n"
                 "local_recipient_maps =\n"
                 "alias_maps =\n"
                 "alias_database =\n"
                 "mynetworks = 127.0.0.0/8\n"
                 "relayhost = [127.0.0.1]:" +
                 std::to_string(relay_port) +
                 "\n"
                 "maillog_file = " +
                 d +
                 "/maillog\n"
                 "maillog_file_prefixes = " +
                 d +
                 "\n"
                 "header_checks = regexp:" +
                 d +
                 "/conf/header_checks\n"
                 "smtp_tls_security_level = none\n"
                 "smtpd_tls_security_level = none\n"
                 "smtputf8_enable = no\n"
                 "biff = no\n");
  write_file(dir_ / "conf/header_checks", "/^Subject:/ WARN\n");
  write_file(dir_ / "conf/master.cf",
             "127.0.0.1:" + std::to_string(smtpd_port) + " inet n - n - - smtpd\n" + kMasterCf);
  const auto r = run_program({postfix, "-c", (dir_ / "conf").string(), "start"});
  started_ =
      r.exit_code == 0 && wait_until([&] { return port_accepts(port_); }, std::chrono::seconds(15));
  if (!started_)
    ADD_FAILURE() << "postfix did not start (" << r.exit_code << "):\n" << r.output << log();
}

PostfixServer::~PostfixServer() {
  const auto conf = (dir_ / "conf").string();
  if (fs::exists(dir_ / "queue/pid/master.pid")) {
    const auto r = run_program({"/usr/sbin/postfix", "-c", conf, "stop"});
    if (r.exit_code != 0) run_program({"/usr/sbin/postfix", "-c", conf, "abort"});
  }
  // Belt and braces: a master that survived stop/abort is killed by its pid file.
  std::ifstream pid_file(dir_ / "queue/pid/master.pid");
  long pid = 0;
  if (pid_file >> pid && pid > 1 && ::kill(static_cast<pid_t>(pid), 0) == 0) {
    wait_until([&] { return ::kill(static_cast<pid_t>(pid), 0) != 0; }, std::chrono::seconds(5));
    if (::kill(static_cast<pid_t>(pid), 0) == 0) ::kill(static_cast<pid_t>(pid), SIGKILL);
  }
}

std::string PostfixServer::log() const {
  return fs::exists(maillog()) ? read_file(maillog()) : std::string("(no maillog)");
}

std::string PostfixServer::send(const std::string& from, const std::string& to,
                                const std::string& subject) {
  const std::string script =
      "import smtplib, sys\n"
      "s = smtplib.SMTP('127.0.0.1', " +
      std::to_string(port_) +
      ", timeout=20)\n"
      "msg = ('From: ' + sys.argv[1] + '\\r\\nTo: ' + sys.argv[2] + '\\r\\nSubject: ' +\n"
      "       sys.argv[3] + '\\r\\nMessage-ID: <e2e-1@force.example>\\r\\n\\r\\nhello\\r\\n')\n"
      "s.sendmail(sys.argv[1], [sys.argv[2]], msg)\n"
      "s.quit()\n";
  const auto r = run_program({"/usr/bin/python3", "-c", script, from, to, subject});
  return r.exit_code == 0 ? std::string() : r.output;
}

}  // namespace probity::testing
