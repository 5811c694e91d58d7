// HR absences on staff rows: the spellings HR systems export, the checks on the dates, which
// calendar days count as away, and the stored encoding (rows from before absences existed
// still decode).
#include <gtest/gtest.h>

#include "state/codec.h"
#include "state/reference_rows.h"

using namespace probity::state;

namespace {

ReferenceRow staff_row(std::vector<std::pair<std::string, std::string>> extra) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"id", "PC1"}, {"surname", "Ali"}, {"hr_status", "active"}};
  for (auto& f : extra) fields.push_back(std::move(f));
  return ReferenceRow{2, std::move(fields)};
}

std::vector<std::string> problems_of(const ReferenceRow& row,
                                     RowSource source = RowSource::import_file) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  validate_rows(ImportKind::staff, {row}, source, out, problems);
  std::vector<std::string> text;
  for (const auto& p : problems) text.push_back(p.column + ": " + p.message);
  return text;
}

std::int64_t day_of(const char* date) {
  return std::chrono::floor<std::chrono::days>(*probity::event::parse_time(date))
      .time_since_epoch()
      .count();
}

}  // namespace

TEST(StaffAbsence, KindsReadAsHrSystemsWriteThem) {
  EXPECT_EQ(absence_kind_from_string("Sick Leave"), AbsenceKind::sick);
  EXPECT_EQ(absence_kind_from_string("sickness"), AbsenceKind::sick);
  EXPECT_EQ(absence_kind_from_string("MATERNITY LEAVE"), AbsenceKind::maternity);
  EXPECT_EQ(absence_kind_from_string("paternity-leave"), AbsenceKind::paternity);
  EXPECT_EQ(absence_kind_from_string("career-break"), AbsenceKind::career_break);
  EXPECT_EQ(absence_kind_from_string("Phased Return"), AbsenceKind::phased_return);
  EXPECT_EQ(absence_kind_from_string("secondment"), AbsenceKind::secondment);
  EXPECT_FALSE(absence_kind_from_string("leave"));
  EXPECT_FALSE(absence_kind_from_string("holiday"));
  EXPECT_EQ(to_string(AbsenceKind::career_break), "career_break");
}

TEST(StaffAbsence, ImportReadsKindAndDates) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  ASSERT_TRUE(validate_rows(ImportKind::staff,
                            {staff_row({{"absence", "Career Break"},
                                        {"absent_from", "2026-01-05 00:00:00"},
                                        {"absent_to", "2026-12-31"}})},
                            RowSource::import_file, out, problems));
  ASSERT_EQ(out.staff.size(), 1u);
  const auto& a = out.staff[0].absence;
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, AbsenceKind::career_break);
  EXPECT_EQ(a->from, probity::event::parse_time("2026-01-05"));
  EXPECT_EQ(a->to, probity::event::parse_time("2026-12-31"));
}

TEST(StaffAbsence, BadRowsAreNamed) {
  EXPECT_EQ(problems_of(staff_row({{"absence", "gardening leave"}, {"absent_from", "2026-01-05"}})),
            (std::vector<std::string>{
                "absence: absence 'gardening leave' is not one of sick, maternity, paternity, "
                "adoption, parental, career_break, secondment, phased_return"}));
  EXPECT_EQ(problems_of(staff_row({{"absent_from", "2026-01-05"}})),
            (std::vector<std::string>{"absence: absence dates given without an absence kind"}));
  EXPECT_EQ(problems_of(staff_row(
                {{"absence", "sick"}, {"absent_from", "2026-02-05"}, {"absent_to", "2026-02-01"}})),
            (std::vector<std::string>{"absent_to: absent_to is before absent_from"}));
  EXPECT_EQ(problems_of(staff_row({{"absence", "sick"}})),
            (std::vector<std::string>{"absent_from: absence 'sick' needs an absent_from date"}));
  // An inline test may leave the first day out: away since before any event.
  EXPECT_TRUE(problems_of(staff_row({{"absence", "sick"}}), RowSource::inline_test).empty());
}

TEST(StaffAbsence, AwayFromTheFirstToTheLastDayInclusive) {
  const Absence sick{AbsenceKind::sick, probity::event::parse_time("2026-03-09"),
                     probity::event::parse_time("2026-03-13")};
  EXPECT_FALSE(absent_on(sick, day_of("2026-03-08")));
  EXPECT_TRUE(absent_on(sick, day_of("2026-03-09")));
  EXPECT_TRUE(absent_on(sick, day_of("2026-03-13")));
  EXPECT_FALSE(absent_on(sick, day_of("2026-03-14")));
  const Absence open{AbsenceKind::maternity, probity::event::parse_time("2026-03-09"), {}};
  EXPECT_TRUE(absent_on(open, day_of("2027-01-01")));
  const Absence phased{AbsenceKind::phased_return, probity::event::parse_time("2026-03-09"), {}};
  EXPECT_FALSE(absent_on(phased, day_of("2026-03-10")));
}

TEST(StaffAbsence, StoredRowsWithoutAnAbsenceStayAsTheyWere) {
  StaffRecord r;
  r.id = "pc1";
  r.surname = "Ali";
  const std::string old_bytes = encode_staff(r);
  EXPECT_EQ(old_bytes.find("absence"), std::string::npos);  // not written when not recorded
  const auto old_row = decode_staff(old_bytes);
  ASSERT_TRUE(old_row);
  EXPECT_FALSE(old_row->absence);

  r.absence = Absence{AbsenceKind::secondment, probity::event::parse_time("2026-01-05"), {}};
  const auto back = decode_staff(encode_staff(r));
  ASSERT_TRUE(back && back->absence);
  EXPECT_EQ(back->absence->kind, AbsenceKind::secondment);
  EXPECT_EQ(back->absence->from, probity::event::parse_time("2026-01-05"));
  EXPECT_FALSE(back->absence->to);
}
