// Calibrate's bookkeeping: alerts and repeats per rule, top users and values, the days and
// users the logs cover, and the rates.
#include "app/calibration.h"

#include <gtest/gtest.h>

using namespace probity;

namespace {

event::Event calibration_access(const std::string& user, const std::string& time) {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::event_time, *event::parse_time(time));
  return e;
}

rules::Match match(const std::string& rule, std::uint64_t repeat,
                   std::vector<std::pair<std::string, std::string>> shown) {
  rules::Match m;
  m.rule_id = rule;
  m.repeat = repeat;
  m.shown_fields = std::move(shown);
  return m;
}

}  // namespace

TEST(TallyingSink, CountsAlertsRepeatsUsersAndShownValues) {
  app::TallyingSink sink({"bulk"});
  const auto e1 = calibration_access("PC1", "2026-11-02T10:00:00Z");
  const auto e2 = calibration_access("pc2", "2026-11-02T11:00:00Z");
  sink.on_match(match("vip", 0, {{"user.id", "pc1"}, {"subject.id", "VIP1"}}), e1);
  sink.on_match(match("vip", 1, {{"user.id", "pc1"}, {"subject.id", "VIP1"}}), e1);
  sink.on_match(match("vip", 0,
                      {{"user.id", "pc1"},
                       {"subject.id", "VIP2"},
                       {"event.time", "2026-11-02T10:00:00Z"},
                       {"email.subject", "-"}}),
                e1);
  sink.on_match(match("vip", 0, {{"user.id", "pc2"}, {"subject.id", "VIP1"}}), e2);
  sink.on_match(match("bulk", 0, {{"user.id", "pc2"}, {"count", "50 in 1h (...)"}}), e2);

  const auto& vip = sink.by_rule().at("vip");
  EXPECT_EQ(vip.alerts, 3u);
  EXPECT_EQ(vip.repeats, 1u);
  EXPECT_EQ(vip.users, (std::map<std::string, std::uint64_t>{{"pc1", 2}, {"pc2", 1}}));
  EXPECT_EQ(vip.values,
            (std::map<std::string, std::uint64_t>{{"subject.id=VIP1", 2}, {"subject.id=VIP2", 1}}));
  EXPECT_TRUE(sink.by_rule().at("bulk").values.empty());  // a correlation's detail is not a value
}

TEST(LogSpan, CountsDistinctUtcDaysAndUsers) {
  app::LogSpan span;
  span.add(calibration_access("PC1", "2026-11-02T23:59:59Z"));
  span.add(calibration_access("pc1", "2026-11-03T00:00:00Z"));
  span.add(calibration_access("pc2", "2026-11-05T12:00:00Z"));
  EXPECT_EQ(span.days(), 3u);
  EXPECT_EQ(span.users(), 2u);
  EXPECT_EQ(span.first_day(), "2026-11-02");
  EXPECT_EQ(span.last_day(), "2026-11-05");
}

TEST(Calibration, RatesPerDayAndPerThousandStaffDays) {
  EXPECT_DOUBLE_EQ(app::per_day(14, 7), 2.0);
  EXPECT_DOUBLE_EQ(app::per_1000_staff_days(7, 500, 7), 2.0);
  EXPECT_DOUBLE_EQ(app::per_1000_staff_days(7, 0, 7), 0.0);
  EXPECT_DOUBLE_EQ(app::per_day(3, 0), 0.0);
}

TEST(Calibration, TopIsLargestFirstThenByName) {
  const std::map<std::string, std::uint64_t> counts{{"b", 2}, {"a", 2}, {"c", 5}, {"d", 1}};
  const auto best = app::top(counts, 3);
  ASSERT_EQ(best.size(), 3u);
  EXPECT_EQ(best[0].first, "c");
  EXPECT_EQ(best[1].first, "a");
  EXPECT_EQ(best[2].first, "b");
}
