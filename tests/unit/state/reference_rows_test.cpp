// The row vocabulary import files and inline rule tests share (reference_rows.h): the same
// column names and enum spellings for both, and how much each must say.
#include <gtest/gtest.h>

#include "state/reference_rows.h"

using namespace probity::state;

namespace {

ReferenceRow row(std::vector<std::pair<std::string, std::string>> fields, std::size_t line = 2) {
  return ReferenceRow{line, std::move(fields)};
}

std::vector<std::string> messages(const std::vector<RowProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.column + ": " + p.message);
  return out;
}

}  // namespace

TEST(ReferenceRows, AssociationKindsAreSpeltAlikeEverywhere) {
  for (const std::string kind :
       {"pi", "PI", "private investigator", "private-investigator", "private_investigator"}) {
    for (const auto source : {RowSource::import_file, RowSource::inline_test}) {
      ReferenceTables out;
      std::vector<RowProblem> problems;
      ASSERT_TRUE(validate_rows(ImportKind::associations,
                                {row({{"staff_id", "pc1"}, {"party_id", "f1"}, {"kind", kind}})},
                                source, out, problems))
          << kind << ": " << ::testing::PrintToString(messages(problems));
      ASSERT_EQ(out.associations.size(), 1u);
      EXPECT_EQ(out.associations[0].kind, AssociationKind::private_investigator) << kind;
    }
  }
}

TEST(ReferenceRows, ImportFilesGiveEveryRequiredColumnTestsOnlyTheKeys) {
  const std::vector<ReferenceRow> rows = {row({{"id", "PC1"}, {"vetting_level", "nppv3"}})};
  ReferenceTables from_test;
  std::vector<RowProblem> problems;
  ASSERT_TRUE(validate_rows(ImportKind::staff, rows, RowSource::inline_test, from_test, problems));
  ASSERT_EQ(from_test.staff.size(), 1u);
  EXPECT_EQ(from_test.staff[0].id, "pc1");
  EXPECT_EQ(from_test.staff[0].vetting.level, VettingLevel::nppv3);
  EXPECT_EQ(from_test.staff[0].hr_status, HrStatus::active);

  ReferenceTables from_file;
  EXPECT_FALSE(validate_rows(ImportKind::staff, rows, RowSource::import_file, from_file, problems));
  EXPECT_EQ(messages(problems),
            (std::vector<std::string>{"surname: surname is required",
                                      "hr_status: hr_status is required (active, suspended, "
                                      "leaving, left)"}));
  EXPECT_TRUE(from_file.staff.empty());
}

TEST(ReferenceRows, KeyColumnsAreRequiredFromTestsToo) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  EXPECT_FALSE(validate_rows(ImportKind::tenders, {row({{"tender_id", "T-1"}})},
                             RowSource::inline_test, out, problems));
  EXPECT_EQ(messages(problems),
            (std::vector<std::string>{"supplier_domain: supplier_domain is required"}));
}

TEST(ReferenceRows, BadValuesAreNamedWithTheirColumn) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  EXPECT_FALSE(validate_rows(
      ImportKind::gifts,
      {row({{"staff_id", "pc1"}, {"offeror", "Acme"}, {"date", "soon"}, {"accepted", "maybe"}})},
      RowSource::inline_test, out, problems));
  EXPECT_EQ(messages(problems),
            (std::vector<std::string>{"date: date 'soon' is not a date (YYYY-MM-DD or RFC 3339)",
                                      "accepted: accepted 'maybe' is not yes or no"}));
}

TEST(ReferenceRows, EveryKindHasColumnsAndAName) {
  for (const auto kind : import_kinds()) {
    EXPECT_FALSE(columns_of(kind).empty());
    EXPECT_EQ(*import_kind_from_string(to_string(kind)), kind);
  }
}
