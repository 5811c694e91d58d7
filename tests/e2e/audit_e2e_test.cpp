// The audited door and the consultation trail, through the real binary: personal entries
// need a reason and are recorded first; `audit verify` names a broken record; and, as root,
// the CLI run by a group member or through sudo records the real caller in the trail the
// daemon created in the systemd unit's layout (state dir 0750, daemon user and group).
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAuditRules = R"(
- detection: lookup-of-declared-associate
  title: Record look-up of a declared associate
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id)
  alert: "{user.id} looked up {subject.id}"
)";

constexpr const char* kStaff =
    "id,surname,forenames,address,hr_status,vetting_level\n"
    "PC1001,Hartley,James,\"12 Mill Lane, Exton\",active,NPPV2\n";
constexpr const char* kAssociation =
    "staff_id,party_id,party_name,kind,declared_on\nPC1001,P0042117,Daniel Hartley,family,"
    "2023-05-02\n";

/// The trail's records of what was shown: the imports each test sets up with are recorded
/// too (state.import), and left out here.
std::vector<nlohmann::json> trail_records(const fs::path& state) {
  std::vector<nlohmann::json> out;
  std::ifstream in(state / "consultations.jsonl");
  for (std::string line; std::getline(in, line);) {
    auto record = nlohmann::json::parse(line);
    if (record.value("action", "") != "state.import") out.push_back(std::move(record));
  }
  return out;
}

bool mentions(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

/// Starts the daemon, sends one look-up of a declared associate, returns the alert's id.
std::string raise_alert(ProbityDaemon& d) {
  if (!d.start()) return {};
  const auto sent = d.log_access(d.syslog_port, {{"user.id", "PC1001"},
                                                 {"source.system", "PNC"},
                                                 {"action", "query"},
                                                 {"subject.id", "P0042117"}});
  EXPECT_EQ(sent.exit_code, 0) << sent.output;
  const auto jsonl = d.dir / "state" / "alerts.jsonl";
  if (!wait_until([&] { return !read_file(jsonl).empty(); }, std::chrono::seconds(20))) {
    ADD_FAILURE() << "no alert was raised:\n" << d.process()->log();
    return {};
  }
  const auto first = read_file(jsonl);
  return nlohmann::json::parse(first.substr(0, first.find('\n'))).value("id", std::string());
}

TEST(ProbityStateShow, StaffNeedsAReasonAndIsRecordedBeforeItIsShown) {
  ProbityDaemon d(DaemonOptions(kAuditRules, false));
  d.import("staff", "staff.csv", kStaff);
  const auto state = d.dir / "state";

  const auto bare = d.probity({"state", "show", "staff", "pc1001"});
  EXPECT_NE(bare.exit_code, 0);
  EXPECT_TRUE(mentions(bare.output, "--reason")) << bare.output;
  EXPECT_FALSE(mentions(bare.output, "Hartley")) << bare.output;

  const auto weak = d.probity({"state", "show", "staff", "pc1001", "--reason", "because"});
  EXPECT_NE(weak.exit_code, 0);
  EXPECT_TRUE(mentions(weak.output, "PSD-2024-0173")) << weak.output;  // says what is expected
  EXPECT_FALSE(mentions(weak.output, "Mill Lane")) << weak.output;
  EXPECT_TRUE(trail_records(state).empty());

  const auto shown = d.probity({"state", "show", "staff", "pc1001", "--reason", "PSD-2024-0173"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_TRUE(mentions(shown.output, "Mill Lane")) << shown.output;
  const auto records = trail_records(state);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["seq"], 2);  // after the import's record
  EXPECT_EQ(records[0]["action"], "state.show");
  EXPECT_EQ(records[0]["target"], "staff/pc1001");
  EXPECT_EQ(records[0]["shown"], "staff record");
  EXPECT_EQ(records[0]["reason"], "PSD-2024-0173");
  EXPECT_EQ(records[0]["uid"], ::geteuid());

  // The same rule for the staff record reached by a mail address and for associations.
  EXPECT_NE(d.probity({"state", "show", "associations", "pc1001"}).exit_code, 0);
  EXPECT_EQ(d.probity({"state", "show", "associations", "pc1001", "--reason",
                       "checking a declared association"})
                .exit_code,
            0);
  EXPECT_EQ(trail_records(state).size(), 2u);
}

TEST(ProbityStateShow, SystemsAndDomainListsNeedNoReasonButSubjectListsDo) {
  ProbityDaemon d(DaemonOptions(kAuditRules, false));
  d.import("systems", "systems.csv", "system,required_vetting\nPNC,NPPV2\n");
  write_file(d.dir / "media.txt", "dailyclarion.co.uk\n");
  write_file(d.dir / "subjects.txt", "P0077001\n");
  ASSERT_EQ(d.probity({"state", "import", "list", (d.dir / "media.txt").string(), "--list",
                       "media_domains"})
                .exit_code,
            0);
  ASSERT_EQ(d.probity({"state", "import", "list", (d.dir / "subjects.txt").string(), "--list",
                       "watchlist_subjects"})
                .exit_code,
            0);
  const auto systems = d.probity({"state", "show", "systems", "pnc"});
  EXPECT_EQ(systems.exit_code, 0) << systems.output;
  const auto media = d.probity({"state", "show", "lists", "media_domains"});
  EXPECT_EQ(media.exit_code, 0) << media.output;
  EXPECT_TRUE(mentions(media.output, "dailyclarion.co.uk")) << media.output;
  const auto subjects = d.probity({"state", "show", "lists", "watchlist_subjects"});
  EXPECT_NE(subjects.exit_code, 0);
  EXPECT_FALSE(mentions(subjects.output, "P0077001")) << subjects.output;
  EXPECT_TRUE(trail_records(d.dir / "state").empty());
}

TEST(ProbityStateShow, AlertsWithoutAReasonShowNoIdentity) {
  ProbityDaemon d(DaemonOptions(kAuditRules, false));
  d.import("associations", "assoc.csv", kAssociation);
  const auto id = raise_alert(d);
  ASSERT_FALSE(id.empty());

  const auto bare = d.probity({"state", "show", "alerts", id});
  EXPECT_NE(bare.exit_code, 0);
  EXPECT_FALSE(mentions(bare.output, "PC1001")) << bare.output;
  EXPECT_FALSE(mentions(bare.output, "pc1001")) << bare.output;

  const auto shown = d.probity({"state", "show", "alerts", id, "--reason", "CO/00123/24"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_TRUE(mentions(shown.output, "PC1001") || mentions(shown.output, "pc1001")) << shown.output;
  const auto records = trail_records(d.dir / "state");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["target"], "alerts/" + id);
  EXPECT_EQ(records[0]["shown"], "alert evidence");
}

TEST(ProbityAudit, VerifyPassesOnAnUntouchedTrailAndNamesAnEditedRecord) {
  ProbityDaemon d(DaemonOptions(kAuditRules, false));
  d.import("staff", "staff.csv", kStaff);
  for (const auto* reason : {"PSD-2024-0173", "PSD-2024-0174", "PSD-2024-0175"})
    ASSERT_EQ(d.probity({"state", "show", "staff", "pc1001", "--reason", reason}).exit_code, 0);

  const auto ok = d.probity({"audit", "verify"});
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(mentions(ok.output, "4 records, chain intact")) << ok.output;  // import + 3
  const auto listed = d.probity({"audit", "show", "--last", "2"});
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  EXPECT_TRUE(mentions(listed.output, "PSD-2024-0175")) << listed.output;
  EXPECT_FALSE(mentions(listed.output, "PSD-2024-0173")) << listed.output;

  const auto file = d.dir / "state" / "consultations.jsonl";
  auto text = read_file(file);
  text.replace(text.find("PSD-2024-0174"), 13, "PSD-2024-9999");
  write_file(file, text);
  const auto bad = d.probity({"audit", "verify"});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_TRUE(mentions(bad.output, "consultations.jsonl:3: edited (seq 3)")) << bad.output;

  const auto other =
      run_program({PROBITY_BINARY, "audit", "verify", "--file", (d.dir / "absent.jsonl").string()});
  EXPECT_EQ(other.exit_code, 2) << other.output;
}

// ---- As other users, in the systemd unit's layout (needs root) ---------------------------

/// The unit's layout with Debian's stock accounts standing in: `daemon` runs probity (as
/// User=/Group=probity would), `nobody` is an analyst in the daemon's group.
class UnitLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "runs the CLI as other users: needs root";
    // getpwnam's result is overwritten by the next call: copy it at once.
    const passwd* service = ::getpwnam("daemon");
    if (!service) GTEST_SKIP() << "needs the stock account daemon";
    service_uid_ = service->pw_uid;
    service_gid_ = service->pw_gid;
    const passwd* analyst = ::getpwnam("nobody");
    if (!analyst) GTEST_SKIP() << "needs the stock account nobody";
    analyst_uid_ = analyst->pw_uid;
    analyst_gid_ = analyst->pw_gid;
    ASSERT_NE(service_uid_, analyst_uid_);
    setpriv_ = require_program("setpriv", "util-linux");
    if (setpriv_.empty()) return;

    DaemonOptions options(kAuditRules, false);
    options.launcher = {setpriv_, "--reuid=" + std::to_string(service_uid_),
                        "--regid=" + std::to_string(service_gid_), "--clear-groups"};
    d_ = std::make_unique<ProbityDaemon>(options);
    d_->import("associations", "assoc.csv", kAssociation);
    // The set-up import is recorded in a trail root made; these tests are about the trail
    // the daemon's account creates, so it starts without one.
    fs::remove(d_->dir / "state" / "consultations.jsonl");
    // StateDirectory=probity, StateDirectoryMode=0750: owned by the daemon's user and group.
    state_ = d_->dir / "state";
    for (const auto& entry : fs::recursive_directory_iterator(state_))
      ASSERT_EQ(::chown(entry.path().c_str(), service_uid_, service_gid_), 0);
    ASSERT_EQ(::chown(state_.c_str(), service_uid_, service_gid_), 0);
    fs::permissions(state_, fs::perms(0750));
    ASSERT_FALSE(fs::exists(state_ / "consultations.jsonl"));
    alert_id_ = raise_alert(*d_);
  }

  /// `probity alerts show` with a reason, run through `prefix` (setpriv, sudo, sh -c).
  std::vector<std::string> alerts_show(std::vector<std::string> prefix) const {
    prefix.insert(prefix.end(), {PROBITY_BINARY, "alerts", "show", alert_id_, "--reason",
                                 "PSD-2024-0173", "--config", (d_->dir / "probity.yaml").string()});
    return prefix;
  }
  std::vector<std::string> as_analyst_in_group() const {
    return {setpriv_, "--reuid=" + std::to_string(analyst_uid_),
            "--regid=" + std::to_string(analyst_gid_), "--groups=" + std::to_string(service_gid_)};
  }
  static std::string shell_quote(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& a : argv) out += (out.empty() ? "'" : " '") + a + "'";
    return out;
  }

  std::unique_ptr<ProbityDaemon> d_;
  fs::path state_;
  std::string alert_id_, setpriv_;
  uid_t service_uid_ = 0, analyst_uid_ = 0;
  gid_t service_gid_ = 0, analyst_gid_ = 0;
};

TEST_F(UnitLayout, AGroupMemberAppendsToTheTrailTheDaemonCreated) {
  ASSERT_FALSE(alert_id_.empty());
  struct stat st {};
  ASSERT_EQ(::stat((state_ / "consultations.jsonl").c_str(), &st), 0)
      << "the daemon did not create the trail:\n"
      << d_->process()->log();
  EXPECT_EQ(st.st_uid, service_uid_);
  EXPECT_EQ(st.st_gid, service_gid_);
  EXPECT_EQ(st.st_mode & 0777, 0660);

  const auto r = run_program(alerts_show(as_analyst_in_group()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(mentions(r.output, "PC1001") || mentions(r.output, "pc1001")) << r.output;
  const auto records = trail_records(state_);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["actor"], "nobody");
  EXPECT_EQ(records[0]["account"], "nobody");
  EXPECT_EQ(records[0]["uid"], analyst_uid_);
  EXPECT_EQ(records[0]["target"], alert_id_);
}

TEST_F(UnitLayout, RefusesToShowWhenTheCallerCannotAppend) {
  ASSERT_FALSE(alert_id_.empty());
  fs::permissions(state_ / "consultations.jsonl", fs::perms(0640));
  const auto r = run_program(alerts_show(as_analyst_in_group()));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(mentions(r.output, "cannot open the consultation trail")) << r.output;
  EXPECT_TRUE(mentions(r.output, "nothing was shown")) << r.output;
  EXPECT_FALSE(mentions(r.output, "P0042117")) << r.output;
  EXPECT_TRUE(trail_records(state_).empty());
}

TEST_F(UnitLayout, SudoToTheServiceAccountRecordsTheLoggedInPerson) {
  ASSERT_FALSE(alert_id_.empty());
  const auto sudo = require_program("sudo", "sudo");
  if (sudo.empty()) return;
  // pam_loginuid sets the login uid when the analyst logs in; sudo keeps it.
  const auto probe = run_program({"sh", "-c", "echo 0 > /proc/self/loginuid"});
  if (probe.exit_code != 0)
    GTEST_SKIP() << "cannot set a login uid here (no CAP_AUDIT_CONTROL): " << probe.output;
  const auto r =
      run_program({"sh", "-c",
                   "echo " + std::to_string(analyst_uid_) + " > /proc/self/loginuid && exec " +
                       shell_quote(alerts_show({sudo, "-u", "daemon"}))});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto records = trail_records(state_);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["actor"], "nobody");
  EXPECT_EQ(records[0]["actor_from"], "loginuid");
  EXPECT_EQ(records[0]["account"], "daemon");
}

TEST_F(UnitLayout, SudoWithoutALoginUidRecordsTheSudoUser) {
  ASSERT_FALSE(alert_id_.empty());
  const auto sudo = require_program("sudo", "sudo");
  if (sudo.empty()) return;
  // As a service or container shell would: no login uid, so sudo's SUDO_USER names root.
  const auto probe = run_program({"sh", "-c", "echo 4294967295 > /proc/self/loginuid"});
  if (probe.exit_code != 0)
    GTEST_SKIP() << "cannot clear the login uid here (no CAP_AUDIT_CONTROL): " << probe.output;
  const auto r = run_program({"sh", "-c",
                              "echo 4294967295 > /proc/self/loginuid && exec " +
                                  shell_quote(alerts_show({sudo, "-u", "daemon"}))});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto records = trail_records(state_);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["actor"], "root");
  EXPECT_EQ(records[0]["actor_from"], "sudo_user");
  EXPECT_EQ(records[0]["account"], "daemon");
}

}  // namespace
}  // namespace probity::testing
