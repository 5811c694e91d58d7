// staff(...).absent and .absence: an HR absence is a run of calendar days in the rules'
// zone, a phased return is work, and absence literals are HR's spellings.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

std::string rule(const std::string& condition) {
  return "- detection: r\n  title: T\n  severity: low\n  condition: '" + condition + "'\n";
}

/// pc1, away from `from` to `to` (none: open-ended).
void add_away(TestReference& ref, state::AbsenceKind kind, const char* from,
              const char* to = nullptr) {
  auto r = staff_record("pc1", "Ali");
  r.absence =
      state::Absence{kind, event::parse_time(from), to ? event::parse_time(to) : std::nullopt};
  ref.add_staff(r);
}

bool holds_at(const std::string& condition, const char* time, const TestReference& ref,
              const LoadOptions& options = {}) {
  auto rules = load_ok(rule(condition), options);
  if (!rules) return false;
  event::Event e(event::Kind::access);
  e.set(FieldId::user_id, std::string("PC1"));
  if (time) e.set(FieldId::event_time, *event::parse_time(time));
  return !matching(*rules, e, ref).empty();
}

}  // namespace

TEST(StaffAbsentRule, TheEventsDayIsInTheAbsence) {
  TestReference ref;
  add_away(ref, state::AbsenceKind::sick, "2026-03-09", "2026-03-13");
  EXPECT_FALSE(holds_at("staff(user.id).absent", "2026-03-08T23:59:00Z", ref));
  EXPECT_TRUE(holds_at("staff(user.id).absent", "2026-03-09T00:00:00Z", ref));
  EXPECT_TRUE(holds_at("staff(user.id).absent", "2026-03-13T23:59:00Z", ref));
  EXPECT_FALSE(holds_at("staff(user.id).absent", "2026-03-14T00:01:00Z", ref));
  EXPECT_FALSE(holds_at("staff(user.id).absent", nullptr, ref));  // no time, no day
  EXPECT_FALSE(holds_at("staff(\"nobody\").absent", "2026-03-10T10:00:00Z", ref));
}

TEST(StaffAbsentRule, DaysAreLocalToTheRulesZone) {
  ASSERT_TRUE(std::filesystem::exists("/usr/share/zoneinfo/Europe/London"))
      << "this test needs the tzdata package (apt-get install tzdata)";
  LoadOptions london;
  london.time_zone = "Europe/London";
  TestReference ref;
  add_away(ref, state::AbsenceKind::maternity, "2026-07-02");
  // 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
  EXPECT_FALSE(holds_at("staff(user.id).absent", "2026-07-01T23:30:00Z", ref));
  EXPECT_TRUE(holds_at("staff(user.id).absent", "2026-07-01T23:30:00Z", ref, london));
}

TEST(StaffAbsentRule, APhasedReturnIsWork) {
  TestReference ref;
  add_away(ref, state::AbsenceKind::phased_return, "2026-03-09");
  EXPECT_FALSE(holds_at("staff(user.id).absent", "2026-03-10T10:00:00Z", ref));
  EXPECT_TRUE(holds_at("staff(user.id).absence == \"Phased Return\"", "2026-03-10T10:00:00Z", ref));
}

TEST(StaffAbsentRule, AbsenceLiteralsTakeHrSpellings) {
  TestReference ref;
  add_away(ref, state::AbsenceKind::career_break, "2026-01-05");
  EXPECT_TRUE(holds_at("staff(user.id).absence == \"career-break\"", "2026-03-10T10:00:00Z", ref));
  EXPECT_TRUE(holds_at("staff(user.id).absence in (\"Sick Leave\", \"Career Break\")",
                       "2026-03-10T10:00:00Z", ref));
  EXPECT_TRUE(holds_at("staff(user.id).absent_from < event.time", "2026-03-10T10:00:00Z", ref));
  EXPECT_NE(load_errors(rule("staff(user.id).absence == \"holiday\""))
                .find("unknown absence \"holiday\""),
            std::string::npos);
}
