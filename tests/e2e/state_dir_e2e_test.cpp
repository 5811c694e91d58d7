// The one state-directory policy (app/state_dir.h), as a user meets it: every command
// that opens the directory gives the same error for one it cannot read, one that is not
// a directory and one open to other accounts; a missing one is created by the writers,
// refused by the readers that need a database and means "no reference data" elsewhere.
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStateDirRules = R"(
- detection: any-query
  title: Any query
  severity: low
  condition: event.kind == "access" and action == "query"
  alert: "{user.id} queried {subject.id}"
)";

// purge opens the store only when a retention period is set.
constexpr const char* kRetention = "retention:\n  alerts: 400d\n";

constexpr const char* kStateDirAssociation =
    "staff_id,party_id,party_name,kind,declared_on\npc1,P9,D H,family,2023-05-02\n";

class StateDirPolicy : public ::testing::Test {
 protected:
  StateDirPolicy() : d_(DaemonOptions(kStateDirRules, /*with_smtp=*/false, kRetention)) {
    write_file(d_.dir / "events.jsonl",
               R"({"event.kind":"access","user.id":"pc1","action":"query","subject.id":"P1"})"
               "\n");
    write_file(d_.dir / "assoc.csv", kStateDirAssociation);
  }

  fs::path state() const { return d_.dir / "state"; }

  /// Every one-shot command that opens the state directory, each given it explicitly
  /// (parse opens it only then).
  std::vector<std::vector<std::string>> commands() const {
    const std::string events = (d_.dir / "events.jsonl").string();
    std::vector<std::vector<std::string>> out = {
        {"parse"},
        {"replay", events},
        {"rules", "check"},
        {"rules", "explain", "any-query"},
        {"rules", "calibrate", events},
        {"learn", "references", events},
        {"alerts", "list"},
        {"alerts", "show", "no-such-alert", "--reason", "PSD-2024-0173"},
        {"state", "import", "associations", (d_.dir / "assoc.csv").string()},
        {"state", "show", "systems"},
        {"state", "purge"},
    };
    for (auto& c : out) c.insert(c.end(), {"--state-dir", state().string()});
    return out;
  }

  /// `probity ARGS --config ...` through `prefix` (setpriv), stdin empty.
  CommandResult probity(const std::vector<std::string>& prefix,
                        const std::vector<std::string>& args) const {
    auto argv = prefix;
    argv.push_back(PROBITY_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--config", (d_.dir / "probity.yaml").string()});
    return run_program(argv);
  }

  /// `probity run` waited for: it must refuse at once, not start.
  std::pair<int, std::string> run_daemon(const std::vector<std::string>& prefix) const {
    auto argv = prefix;
    argv.insert(argv.end(),
                {PROBITY_BINARY, "run", "--config", (d_.dir / "probity.yaml").string()});
    ChildProcess run(argv, d_.dir / "run.log");
    const int code = run.wait(std::chrono::seconds(20));
    return {code, run.log()};
  }

  /// Each command and the daemon exit 2 with `expected` in their output.
  void expect_every_command_refuses(const std::string& expected,
                                    const std::vector<std::string>& prefix = {}) const {
    for (const auto& args : commands()) {
      const auto r = probity(prefix, args);
      EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << ": " << r.output;
      EXPECT_NE(r.output.find(expected), std::string::npos)
          << args[0] << " " << args[1] << ": " << r.output;
    }
    const auto [code, log] = run_daemon(prefix);
    EXPECT_EQ(code, 2) << log;
    EXPECT_NE(log.find(expected), std::string::npos) << log;
  }

  ProbityDaemon d_;
};

}  // namespace

TEST_F(StateDirPolicy, EveryCommandRefusesADirectoryOpenToOtherAccounts) {
  d_.import("associations", "assoc.csv", kStateDirAssociation);
  ASSERT_EQ(::chmod(state().c_str(), 0755), 0);
  expect_every_command_refuses(state().string() + " is open to other local accounts (mode 0755)");
  const auto r = probity({}, {"state", "show", "systems", "--state-dir", state().string()});
  EXPECT_NE(r.output.find("chmod -R g-w,o-rwx " + state().string()), std::string::npos) << r.output;
}

TEST_F(StateDirPolicy, EveryCommandRefusesAPathThatIsNotADirectory) {
  write_file(state(), "not a database\n");
  expect_every_command_refuses("state directory " + state().string() + " is not a directory");
}

TEST_F(StateDirPolicy, EveryCommandRefusesADirectoryItCannotRead) {
  d_.import("associations", "assoc.csv", kStateDirAssociation);
  std::vector<std::string> prefix;
  if (::geteuid() == 0) {
    // Modes do not stop root: run as nobody instead, with the test's files readable to it
    // and the state directory (0750, root's) not.
    const passwd* nobody = ::getpwnam("nobody");
    if (!nobody) GTEST_SKIP() << "as root this needs the stock account nobody";
    const auto setpriv = require_program("setpriv", "util-linux");
    if (setpriv.empty()) return;
    prefix = {setpriv, "--reuid=" + std::to_string(nobody->pw_uid),
              "--regid=" + std::to_string(nobody->pw_gid), "--clear-groups"};
    ASSERT_EQ(::chmod(d_.dir.path().c_str(), 0755), 0);
    ASSERT_EQ(mode_of(state()), 0750u);
  } else {
    ASSERT_EQ(::chmod(state().c_str(), 0), 0);
  }
  expect_every_command_refuses(
      "state directory " + state().string() + " cannot be read: Permission denied", prefix);
  ::chmod(state().c_str(), 0750);
  ::chmod(d_.dir.path().c_str(), 0700);
}

TEST_F(StateDirPolicy, AMissingDirectoryIsCreatedByWritersAndRefusedByReadersThatNeedIt) {
  ASSERT_FALSE(fs::exists(state()));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"alerts", "list"},
        {"alerts", "show", "no-such-alert", "--reason", "PSD-2024-0173"},
        {"state", "show", "systems"}}) {
    const auto r = probity({}, args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << args[1] << ": " << r.output;
    EXPECT_NE(r.output.find("state " + state().string() + ": no state database here"),
              std::string::npos)
        << r.output;
  }
  // Reference data is optional to these: no directory is none, and no error.
  const auto check = probity({}, {"rules", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("named lists not checked: no state directory"), std::string::npos)
      << check.output;
  const auto replay = probity({}, {"replay", (d_.dir / "events.jsonl").string()});
  EXPECT_EQ(replay.exit_code, 0) << replay.output;
  EXPECT_NE(replay.output.find("1 alerts"), std::string::npos) << replay.output;
  EXPECT_FALSE(fs::exists(state())) << "a reader created the state directory";

  const auto import =
      probity({}, {"state", "import", "associations", (d_.dir / "assoc.csv").string()});
  EXPECT_EQ(import.exit_code, 0) << import.output;
  EXPECT_EQ(mode_of(state()), 0750u);
}

}  // namespace probity::testing
