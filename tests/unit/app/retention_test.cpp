// Retention on a real store in a temporary directory: alerts past retention.alerts go with
// their outbox entries, older evidence is stripped, newer alerts are untouched, every
// removal is in the consultation trail first, and the JSONL log rotates and ages out.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "alerts/alerts.h"
#include "app/retention.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using probity::testing::read_file;
using probity::testing::TempDir;
using probity::testing::write_file;
using Json = nlohmann::json;

namespace {

const event::Timestamp kNow = *event::parse_time("2026-12-01T00:00:00Z");

std::string alert_json(const std::string& id, const char* raised_at) {
  alerts::Alert a;
  a.id = id;
  a.rule_id = "lookup-of-declared-associate";
  a.title = "Record look-up of a declared associate";
  a.severity = "high";
  a.message = "pc1 looked up P9";
  a.event_time = *event::parse_time(raised_at);
  a.raised_at = a.event_time;
  a.user_id = "pc1";
  a.events_json = {R"({"event.kind":"access","user.id":"pc1","subject.id":"P9"})"};
  return alerts::to_json(a);
}

class Retention : public ::testing::Test {
 protected:
  void SetUp() override {
    config.state_dir = tmp / "state";
    config.alerts.jsonl_path = config.state_dir / "alerts.jsonl";
    config.retention.alerts = config::RetentionPeriod{std::chrono::days(400), "400d"};
    config.retention.evidence = config::RetentionPeriod{std::chrono::days(90), "90d"};
    auto opened = state::Store::open({.dir = config.state_dir});
    ASSERT_TRUE(opened) << opened.error().message;
    store = std::move(*opened);
    put(state::RuntimeTable::alerts, "old", alert_json("old", "2025-10-01T00:00:00Z"));
    put(state::RuntimeTable::alerts, "mid", alert_json("mid", "2026-06-01T00:00:00Z"));
    put(state::RuntimeTable::alerts, "new", alert_json("new", "2026-11-20T00:00:00Z"));
    put(state::RuntimeTable::outbox, "send:psd-duty:old", "{}");
    put(state::RuntimeTable::outbox, "webhook:old", "{}");
    put(state::RuntimeTable::outbox, "hold:psd-intel:new", "{}");
  }

  void put(state::RuntimeTable t, const std::string& key, const std::string& value) {
    ASSERT_TRUE(store->put(t, key, value));
  }
  std::optional<std::string> get(state::RuntimeTable t, const std::string& key) const {
    auto v = store->get(t, key);
    EXPECT_TRUE(v);
    return v ? *v : std::nullopt;
  }
  std::filesystem::path trail() const { return config.state_dir / "consultations.jsonl"; }

  TempDir tmp{"probity-retention"};
  config::Config config;
  std::unique_ptr<state::Store> store;
};

void set_mtime(const std::filesystem::path& p, const char* time) {
  const auto t = std::chrono::system_clock::to_time_t(*event::parse_time(time));
  const timespec times[2] = {{t, 0}, {t, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
}

}  // namespace

TEST_F(Retention, RemovesAlertsPastThePeriodWithEveryOutboxEntryOfThem) {
  auto report = app::run_retention(*store, config, kNow, /*dry_run=*/false);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(get(state::RuntimeTable::alerts, "old"));
  EXPECT_FALSE(get(state::RuntimeTable::outbox, "send:psd-duty:old"));
  EXPECT_FALSE(get(state::RuntimeTable::outbox, "webhook:old"));
  EXPECT_TRUE(get(state::RuntimeTable::outbox, "hold:psd-intel:new"));
  EXPECT_EQ(report->store.alerts_removed, 1u);
  EXPECT_EQ(report->store.outbox_removed, 2u);
}

TEST_F(Retention, StripsTheEvidenceOfOlderAlertsAndKeepsTheRestOfThem) {
  ASSERT_TRUE(app::run_retention(*store, config, kNow, false));
  const auto mid = get(state::RuntimeTable::alerts, "mid");
  ASSERT_TRUE(mid);
  const auto j = Json::parse(*mid);
  EXPECT_EQ(j["events"], Json::array());
  EXPECT_EQ(j["evidence_purged_at"], event::format_time(kNow));
  EXPECT_EQ(j["message"], "pc1 looked up P9");
  const auto alert = alerts::alert_from_json(*mid);  // still a readable alert
  ASSERT_TRUE(alert) << alert.error().message;
  EXPECT_TRUE(alert->events_json.empty());
}

TEST_F(Retention, LeavesAlertsNewerThanBothPeriodsUntouched) {
  const auto before = get(state::RuntimeTable::alerts, "new");
  ASSERT_TRUE(app::run_retention(*store, config, kNow, false));
  EXPECT_EQ(get(state::RuntimeTable::alerts, "new"), before);
}

TEST_F(Retention, RecordsEachPolicyInTheConsultationTrail) {
  ASSERT_TRUE(app::run_retention(*store, config, kNow, false));
  std::ifstream in(trail());
  std::vector<Json> records;
  for (std::string line; std::getline(in, line);) records.push_back(Json::parse(line));
  ASSERT_EQ(records.size(), 2u) << read_file(trail());
  EXPECT_EQ(records[0]["action"], "retention.purge");
  EXPECT_EQ(records[0]["target"], "1 alerts and 2 outbox entries raised before " +
                                      event::format_time(kNow - std::chrono::days(400)));
  EXPECT_EQ(records[0]["reason"], "retention policy retention.alerts=400d");
  EXPECT_EQ(records[1]["action"], "retention.purge");
  EXPECT_EQ(records[1]["target"], "evidence events of 1 alerts raised before " +
                                      event::format_time(kNow - std::chrono::days(90)));
  EXPECT_EQ(records[1]["reason"], "retention policy retention.evidence=90d");
}

TEST_F(Retention, ARunThatRemovesNothingWritesNoTrailRecord) {
  ASSERT_TRUE(app::run_retention(*store, config, kNow, false));
  const auto after_first = read_file(trail());
  auto second = app::run_retention(*store, config, kNow, false);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->lines.empty());
  EXPECT_EQ(read_file(trail()), after_first);
}

TEST_F(Retention, DryRunSaysWhatWouldGoAndChangesNothing) {
  const auto mid = get(state::RuntimeTable::alerts, "mid");
  auto report = app::run_retention(*store, config, kNow, /*dry_run=*/true);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->lines.size(), 2u);
  EXPECT_TRUE(report->lines[0].starts_with("would remove 1 alerts")) << report->lines[0];
  EXPECT_TRUE(get(state::RuntimeTable::alerts, "old"));
  EXPECT_TRUE(get(state::RuntimeTable::outbox, "send:psd-duty:old"));
  EXPECT_EQ(get(state::RuntimeTable::alerts, "mid"), mid);
  EXPECT_FALSE(std::filesystem::exists(trail()));
}

TEST_F(Retention, RemovesNothingWhenTheTrailCannotBeWritten) {
  std::filesystem::create_directory(trail());  // open(O_WRONLY) on a directory fails
  auto report = app::run_retention(*store, config, kNow, false);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, "audit.open");
  EXPECT_TRUE(get(state::RuntimeTable::alerts, "old"));
  EXPECT_TRUE(get(state::RuntimeTable::outbox, "send:psd-duty:old"));
}

TEST_F(Retention, UnsetPeriodsRemoveNothing) {
  config.retention.alerts.reset();
  config.retention.evidence.reset();
  const auto mid = get(state::RuntimeTable::alerts, "mid");
  auto report = app::run_retention(*store, config, kNow, false);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->lines.empty());
  EXPECT_TRUE(get(state::RuntimeTable::alerts, "old"));
  EXPECT_EQ(get(state::RuntimeTable::alerts, "mid"), mid);
}

TEST_F(Retention, RotatesTheLogAtItsSizeAndRemovesRotatedFilesPastTheShorterPeriod) {
  config.retention.jsonl_rotate_mb = 1;
  const auto log = config.alerts.jsonl_path;
  write_file(log, std::string(1 << 20, 'x'));
  auto stale = log, recent = log, unrelated = log;
  stale += ".20260101T000000Z";
  recent += ".20261125T000000Z";
  unrelated += ".bak";
  for (const auto& p : {stale, recent, unrelated}) write_file(p, "{}\n");
  set_mtime(stale, "2026-01-01T00:00:00Z");  // older than 90d, the shorter period
  set_mtime(recent, "2026-11-25T00:00:00Z");
  set_mtime(unrelated, "2020-01-01T00:00:00Z");  // not a name rotation gives: not ours

  auto report = app::run_retention(*store, config, kNow, false);
  ASSERT_TRUE(report) << report.error().message;
  auto rotated = log;
  rotated += ".20261201T000000Z";
  EXPECT_TRUE(report->log_rotated);
  EXPECT_FALSE(std::filesystem::exists(log));
  EXPECT_EQ(std::filesystem::file_size(rotated), 1u << 20);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(recent));
  EXPECT_TRUE(std::filesystem::exists(unrelated));
  EXPECT_NE(read_file(trail()).find("\"reason\":\"retention policy retention.evidence=90d\""),
            std::string::npos);
  EXPECT_NE(read_file(trail()).find("1 rotated alert log files of " + log.string()),
            std::string::npos)
      << read_file(trail());
}

TEST_F(Retention, DoesNotRotateALogBelowItsSize) {
  config.retention.jsonl_rotate_mb = 1;
  write_file(config.alerts.jsonl_path, "{}\n");
  auto report = app::run_retention(*store, config, kNow, false);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->log_rotated);
  EXPECT_TRUE(std::filesystem::exists(config.alerts.jsonl_path));
}
