// `probity rules calibrate` as a force runs it before go-live: its own logs (two files,
// merged by time), the per-rule counts and rates, the top users and values, the what-ifs
// and the budget line.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "daemon_fixture.h"

namespace probity::testing {
namespace {

constexpr const char* kCalibrateRules = R"(
- detection: lookup
  title: Look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: view-of-vip
  title: View of a VIP record
  severity: medium
  condition: event.kind == "access" and action == "view" and subject.id == "VIP1"
  fields: [user.id, subject.id]
  suppress: {by: [user.id], for: 1h}
- correlation: bulk
  title: Many look-ups in an hour
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 4}
)";

std::string access_line(const std::string& time, const std::string& user, const std::string& action,
                        const std::string& subject) {
  return R"({"event.kind":"access","event.time":")" + time + R"(","user.id":")" + user +
         R"(","action":")" + action + R"(","subject.id":")" + subject + "\"}\n";
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

/// Day 1: pc1 looks up 8 records in 35 minutes, pc2 3 in 20. Day 2: pc3 views the VIP at
/// 10:00, again at 10:10 (a repeat inside the 1 h suppression) and at 12:00; pc1 at 11:00.
void write_logs(const std::filesystem::path& dir) {
  std::string lookups, views;
  for (int i = 0; i < 8; ++i)
    lookups += access_line("2026-11-02T09:" + two_digits(i * 5) + ":00Z", "pc1", "query",
                           "S" + std::to_string(i));
  for (int i = 0; i < 3; ++i)
    lookups += access_line("2026-11-02T14:" + two_digits(i * 10) + ":00Z", "pc2", "query",
                           "T" + std::to_string(i));
  for (const auto& [time, user] : {std::pair{"10:00", "pc3"}, std::pair{"10:10", "pc3"},
                                   std::pair{"11:00", "pc1"}, std::pair{"12:00", "pc3"}})
    views += access_line(std::string("2026-11-03T") + time + ":00Z", user, "view", "VIP1");
  write_file(dir / "lookups.jsonl", lookups);
  write_file(dir / "views.jsonl", views);
}

const nlohmann::json& rule(const nlohmann::json& report, const std::string& id) {
  for (const auto& r : report["rules"])
    if (r["rule"] == id) return r;
  ADD_FAILURE() << "no rule " << id << " in " << report.dump(2);
  static const nlohmann::json none;
  return none;
}

TEST(RulesCalibrate, CountsAlertsPerRuleWithTopUsersValuesAndWhatIfs) {
  ProbityDaemon d(DaemonOptions(kCalibrateRules, false));
  write_logs(d.dir.path());
  const auto r = d.probity({"rules", "calibrate", "--staff", "10", "--format", "json",
                            (d.dir / "views.jsonl").string(), (d.dir / "lookups.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto report = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  EXPECT_EQ(report["events"], 15);
  EXPECT_EQ(report["days"], 2);
  EXPECT_EQ(report["staff"], 10);
  EXPECT_EQ(report["staff_from"], "--staff");
  ASSERT_EQ(report["rules"].size(), 2u) << "building blocks are not listed";

  const auto& vip = rule(report, "view-of-vip");
  EXPECT_EQ(vip["alerts"], 3);
  EXPECT_EQ(vip["repeats"], 1);
  EXPECT_EQ(vip["users"], 2);
  EXPECT_EQ(vip["top_users"][0]["user"], "pc3");
  EXPECT_EQ(vip["top_users"][0]["alerts"], 2);
  EXPECT_EQ(vip["top_values"][0]["value"], "subject.id=VIP1");
  EXPECT_EQ(vip["top_values"][0]["alerts"], 3);
  EXPECT_DOUBLE_EQ(vip["alerts_per_day"].get<double>(), 1.5);
  EXPECT_DOUBLE_EQ(vip["alerts_per_1000_staff_days"].get<double>(), 150.0);
  EXPECT_FALSE(vip.contains("what_if"));

  const auto& bulk = rule(report, "bulk");
  EXPECT_EQ(bulk["alerts"], 2);
  EXPECT_EQ(bulk["top_users"][0]["user"], "pc1");
  EXPECT_EQ(bulk["top_users"][0]["alerts"], 2);
  // Each count alert consumes its matches: pc1's 8 look-ups and pc2's 3 at each threshold.
  EXPECT_EQ(bulk["what_if"]["key"], "threshold");
  std::vector<std::pair<int, int>> runs;
  for (const auto& run : bulk["what_if"]["runs"])
    runs.emplace_back(run["threshold"], run["alerts"]);
  EXPECT_EQ(runs, (std::vector<std::pair<int, int>>{{2, 5}, {3, 3}, {4, 2}, {6, 1}, {8, 1}}));

  EXPECT_EQ(report["total"]["alerts"], 5);
  EXPECT_DOUBLE_EQ(report["total"]["alerts_per_1000_staff_days"].get<double>(), 250.0);
  EXPECT_EQ(report["budget"]["over"], true);
  // No side effects: nothing stored.
  EXPECT_FALSE(std::filesystem::exists(d.dir / "state" / "alerts.jsonl"));
}

TEST(RulesCalibrate, TextReportTakesStaffFromStateAndSaysWhetherOverBudget) {
  ProbityDaemon d(DaemonOptions(kCalibrateRules, false));
  d.import(
      "staff", "staff.csv", "id,surname,hr_status,vetting_level\n" + [] {
        std::string rows;
        for (int i = 1; i <= 2000; ++i)
          rows += "pc" + std::to_string(i) + ",Surname,active,NPPV2\n";
        return rows;
      }());
  write_logs(d.dir.path());
  const auto r = d.probity({"rules", "calibrate", "--budget", "2", (d.dir / "views.jsonl").string(),
                            (d.dir / "lookups.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("2000 staff (staff records in state)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("top users: pc3 (2), pc1 (1)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("what-if threshold: x0.5 (2): 5, x0.75 (3): 3, x1 (4): 2"),
            std::string::npos)
      << r.output;
  // 5 alerts over 2 days of 2000 staff: 1.25 per 1,000 staff-days, under a budget of 2.
  EXPECT_NE(r.output.find("within budget (1.25)"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace probity::testing
