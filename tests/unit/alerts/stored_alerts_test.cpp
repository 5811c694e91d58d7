// The alerts table read back for a reader (alerts.h: for_each_stored_alert,
// stored_alert_document), as `probity alerts list|show` uses it.
#include <gtest/gtest.h>

#include "alerts/alerts.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using probity::testing::TempDir;

namespace {

std::unique_ptr<state::Store> store_with(
    const std::vector<std::pair<std::string, std::string>>& rows, const TempDir& dir) {
  auto s = state::Store::open({.dir = dir / "state"});
  EXPECT_TRUE(s) << s.error().message;
  for (const auto& [key, value] : rows)
    EXPECT_TRUE((*s)->put(state::RuntimeTable::alerts, key, value));
  return std::move(*s);
}

alerts::Alert alert(const std::string& id, const std::string& rule) {
  alerts::Alert a;
  a.id = id;
  a.rule_id = rule;
  a.severity = "high";
  return a;
}

}  // namespace

TEST(StoredAlerts, ListsDecodedAlertsInIdOrderAndReportsTheUnreadable) {
  TempDir dir;
  const auto store = store_with({{"2", alerts::to_json(alert("2", "second"))},
                                 {"1", alerts::to_json(alert("1", "first"))},
                                 {"3", "not json"}},
                                dir);
  std::vector<std::string> rules, unreadable;
  auto ok = alerts::for_each_stored_alert(
      *store, [&](const alerts::Alert& a) { rules.push_back(a.rule_id); },
      [&](std::string_view id, const Error&) { unreadable.emplace_back(id); });
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(rules, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(unreadable, std::vector<std::string>{"3"});
}

TEST(StoredAlerts, ShowsOneAlertIndentedWithEveryStoredMember) {
  TempDir dir;
  const auto store =
      store_with({{"1", R"({"id":"1","added_by_a_newer_build":true})"}, {"2", "not json"}}, dir);
  const auto one = alerts::stored_alert_document(*store, "1");
  ASSERT_TRUE(one && *one);
  EXPECT_EQ(**one, "{\n  \"added_by_a_newer_build\": true,\n  \"id\": \"1\"\n}");
  const auto raw = alerts::stored_alert_document(*store, "2");
  ASSERT_TRUE(raw && *raw);
  EXPECT_EQ(**raw, "not json");
  const auto none = alerts::stored_alert_document(*store, "9");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
}
