// Files private by default, with the real binary started from a shell-like umask (0022),
// as outside systemd: everything the CLI and the daemon create in the state directory is
// closed to other accounts, an over-permissive directory is refused with the fix, and
// `state purge` runs retention on demand.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kPrivateFilesRules = R"(
- detection: any-query
  title: Any query
  severity: low
  condition: event.kind == "access" and action == "query"
  alert: "{user.id} queried {subject.id}"
)";

constexpr const char* kRetention = "retention:\n  alerts: 400d\n  evidence: 90d\n";

/// What a login shell gives, so only probity's own umask can make the files private.
class ShellUmask : public ::testing::Test {
 protected:
  void SetUp() override { old_ = ::umask(0022); }
  void TearDown() override { ::umask(old_); }

 private:
  mode_t old_ = 0;
};

using PrivateFilesE2E = ShellUmask;
using StatePurgeE2E = ShellUmask;

}  // namespace

TEST_F(PrivateFilesE2E, NothingTheCliAndDaemonCreateIsOpenToOtherAccounts) {
  ProbityDaemon d(DaemonOptions(kPrivateFilesRules, /*with_smtp=*/false));
  d.import("associations", "assoc.csv",
           "staff_id,party_id,party_name,kind,declared_on\npc1,P9,D H,family,2023-05-02\n");
  ASSERT_TRUE(d.start());
  const auto r =
      d.log_access(d.syslog_port, {{"user.id", "pc1"}, {"action", "query"}, {"subject.id", "P1"}});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto state = d.dir / "state";
  ASSERT_TRUE(wait_until([&] { return std::filesystem::exists(state / "mailbox"); },
                         std::chrono::seconds(10)))
      << d.process()->log();
  ASSERT_EQ(d.stop(), 0) << d.process()->log();

  EXPECT_EQ(mode_of(state), 0750u);
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(state)) {
    seen.insert(entry.path().filename().string());
    // The trail alone is group-writable: CLI users append their consultations to it.
    const unsigned forbidden = entry.path().filename() == "consultations.jsonl" ? 0007 : 0027;
    EXPECT_EQ(mode_of(entry.path()) & forbidden, 0u)
        << entry.path() << " has mode " << std::oct << mode_of(entry.path());
  }
  for (const char* made : {"CURRENT", "alerts.jsonl", "mailbox", "consultations.jsonl"})
    EXPECT_TRUE(seen.contains(made)) << made << " was not created; the walk proves little";
}

TEST_F(PrivateFilesE2E, RefusesAStateDirectoryOthersCanReadAndSaysHowToFixIt) {
  ProbityDaemon d(DaemonOptions(kPrivateFilesRules, /*with_smtp=*/false));
  const auto state = d.dir / "state";
  std::filesystem::create_directory(state);
  ASSERT_EQ(::chmod(state.c_str(), 0755), 0);
  ChildProcess refused({PROBITY_BINARY, "run", "--config", (d.dir / "probity.yaml").string()},
                       d.dir / "refused.log");
  EXPECT_EQ(refused.wait(std::chrono::seconds(20)), 2) << refused.log();
  EXPECT_NE(refused.log().find(state.string() + " is open to other local accounts (mode 0755)"),
            std::string::npos)
      << refused.log();
  EXPECT_NE(refused.log().find("chmod -R g-w,o-rwx " + state.string()), std::string::npos);

  ASSERT_EQ(::chmod(state.c_str(), 0750), 0);  // the fix it names is enough
  ASSERT_TRUE(d.start());
  EXPECT_EQ(d.stop(), 0);
}

TEST_F(StatePurgeE2E, RunsWithTheDaemonStoppedAndIsRefusedBesideIt) {
  ProbityDaemon d(DaemonOptions(kPrivateFilesRules, /*with_smtp=*/false, kRetention));
  ASSERT_TRUE(d.start());
  const auto beside = d.probity({"state", "purge"});
  EXPECT_EQ(beside.exit_code, 2) << beside.output;
  EXPECT_NE(beside.output.find("in use by another process"), std::string::npos) << beside.output;
  ASSERT_EQ(d.stop(), 0);

  const auto dry = d.probity({"state", "purge", "--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("nothing is older than the retention periods; nothing would be "
                            "removed"),
            std::string::npos)
      << dry.output;
}

TEST_F(StatePurgeE2E, SaysSoWhenNoRetentionPeriodIsSet) {
  ProbityDaemon d(DaemonOptions(kPrivateFilesRules, /*with_smtp=*/false));
  const auto r = d.probity({"state", "purge"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("no retention period is set"), std::string::npos) << r.output;
}

}  // namespace probity::testing
