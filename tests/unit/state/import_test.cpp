// Reference-data import end to end: files on disk → validation → a real RocksDB store.
// Bad files must load nothing and name every bad row by file and physical line.
#include "state/import.h"

#include <gtest/gtest.h>

#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open({.dir = dir_.path() / "db"});
    ASSERT_RESULT_OK(s);
    store_ = std::move(*s);
  }

  ImportReport import(ImportKind kind, const std::string& name, const std::string& text,
                      std::string_view list = {}, bool replace = false) {
    auto r = import_file(*store_, kind, dir_.write(name, text), list, replace);
    EXPECT_TRUE(r) << describe(r.error());
    return r ? *r : ImportReport{};
  }

  std::vector<std::string> error_lines(const ImportReport& report) {
    std::vector<std::string> out;
    for (const auto& e : report.errors) out.push_back(describe(e));
    return out;
  }

  std::string file(const std::string& name) { return (dir_.path() / name).string(); }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

constexpr const char* kStaffHeader =
    "id,surname,forenames,emails,department,role,peer_group,address,hr_status,leaving_date,"
    "vetting_level,vetting_granted,vetting_expires,vetting_status\r\n";

}  // namespace

TEST_F(ImportTest, LoadsAGoodStaffCsv) {
  const std::string csv =
      std::string(kStaffHeader) +
      "PC1234,Smith,Jo,Jo.Smith@force.police.uk; j.smith@force.police.uk,CID,DC,cid-east,"
      "\"1 High St, Town\",active,,NPPV3,2023-01-01,2026-01-01,granted\r\n"
      "PC99,\"O'Brien \"\"Bob\"\"\",Robert,,Response,PC,resp,,leaving,2026-12-31,,,,\r\n";
  const auto report = import(ImportKind::staff, "staff.csv", csv);
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(error_lines(report));
  EXPECT_EQ(report.rows_loaded, 2u);

  const auto jo = store_->staff_by_email("J.SMITH@force.police.uk");
  ASSERT_TRUE(jo);
  EXPECT_EQ(jo->id, "pc1234");
  EXPECT_EQ(jo->address, "1 High St, Town");
  EXPECT_EQ(jo->emails.size(), 2u);
  EXPECT_EQ(jo->vetting.level, VettingLevel::nppv3);
  EXPECT_EQ(jo->vetting.expires, event::parse_time("2026-01-01T00:00:00Z"));
  EXPECT_EQ(jo->vetting.status, "granted");
  const auto bob = store_->staff("pc99");
  ASSERT_TRUE(bob);
  EXPECT_EQ(bob->surname, "O'Brien \"Bob\"");
  EXPECT_EQ(bob->hr_status, HrStatus::leaving);
  EXPECT_EQ(bob->leaving_date, event::parse_time("2026-12-31"));
  EXPECT_EQ(bob->vetting.level, VettingLevel::none);
}

TEST_F(ImportTest, ReportsEveryBadCsvRowByLineAndLoadsNothing) {
  const std::string csv =
      std::string(kStaffHeader) +
      "pc1,Smith,Jo,jo@x.uk,,,,,active,,NPPV3,,,\r\n"              // line 2: good
      "pc2,Jones,Al,,,,,\"two\r\nline address\",retired,,,,,\r\n"  // line 3: hr_status
      "pc1,Again,Jo,,,,,,active,,,,,\r\n"                          // line 5: duplicate id
      ",NoId,X,,,,,,active,,XV,,,\r\n"                             // line 6: id, level
      "pc3,Brown,Sam,jo@x.uk,,,,,leaving,,,,,\r\n"                 // line 7: email, date
      "pc4,Green,Lee,,,,,,active,,NPPV2,2024-13-01,,\r\n"          // line 8: bad date
      "pc5,short,row\r\n";                                         // line 9: field count
  const auto report = import(ImportKind::staff, "bad.csv", csv);
  EXPECT_EQ(report.rows_loaded, 0u);
  const std::string f = file("bad.csv");
  EXPECT_EQ(error_lines(report),
            (std::vector<std::string>{
                f + ":3: hr_status 'retired' is not one of active, suspended, leaving, left",
                f + ":5: duplicate staff id 'pc1' (also on line 2)",
                f + ":6: id is required",
                f + ":6: vetting_level 'XV' is not one of RV, MV, NPPV1, NPPV2, NPPV3, CTC, SC, DV",
                f + ":7: duplicate email 'jo@x.uk' (also on line 2)",
                f + ":7: hr_status 'leaving' needs a leaving_date",
                f + ":8: vetting_granted '2024-13-01' is not a date (YYYY-MM-DD or RFC 3339)",
                f + ":9: expected 14 fields, found 3",
            }));
  EXPECT_FALSE(store_->staff("pc1"));  // the good row was not loaded either
}

TEST_F(ImportTest, UnknownAndMissingColumnsAreNamedOnTheHeaderLine) {
  const auto report =
      import(ImportKind::associations, "a.csv", "staff_id,party,colour\npc1,p1,red\n");
  const std::string expected =
      "(expected staff_id, party_id, party_name, kind, declared_on, party_dob, party_aliases, "
      "party_ids, party_address)";
  EXPECT_EQ(error_lines(report), (std::vector<std::string>{
                                     file("a.csv") + ":1: unknown column 'party' " + expected,
                                     file("a.csv") + ":1: unknown column 'colour' " + expected,
                                     file("a.csv") + ":1: missing required column 'kind'",
                                 }));
}

TEST_F(ImportTest, LoadsStaffFromAJsonArrayAndJsonLines) {
  const auto report = import(ImportKind::staff, "staff.json", R"([
  {"id": "PC1", "surname": "Smith", "emails": ["A@x.uk", "b@x.uk"], "hr_status": "active",
   "vetting_level": "sc", "vetting_expires": "2027-03-01T12:00:00+01:00"},
  {"id": 4321, "surname": "Jones", "hr_status": "suspended", "address": null}
])");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(error_lines(report));
  EXPECT_EQ(report.rows_loaded, 2u);
  EXPECT_EQ(store_->staff_by_email("a@x.uk")->vetting.level, VettingLevel::sc);
  EXPECT_EQ(store_->staff("pc1")->vetting.expires, event::parse_time("2027-03-01T11:00:00Z"));
  EXPECT_EQ(store_->staff("4321")->hr_status, HrStatus::suspended);

  const auto lines = import(ImportKind::staff, "more.jsonl",
                            "{\"id\":\"pc2\",\"surname\":\"Lee\",\"hr_status\":\"left\"}\n\n"
                            "{\"id\":\"pc3\",\"surname\":\"Kay\",\"hr_status\":\"active\"}\n");
  ASSERT_TRUE(lines.ok()) << ::testing::PrintToString(error_lines(lines));
  EXPECT_EQ(store_->staff("pc2")->hr_status, HrStatus::left);
  EXPECT_TRUE(store_->staff("pc1"));  // upsert, not replace
}

TEST_F(ImportTest, ReportsBadJsonElementsAtTheLineTheyStart) {
  const auto report = import(ImportKind::staff, "bad.json", R"([
  {"id": "pc1", "surname": "Smith", "hr_status": "active"},
  {"id": "pc2",
   "surname": "Jones", "hr_status": "gone"},
  "not an object",
  {"id": "pc3", "surname": "x", "hr_status": "active", "nickname": "{[,"}
])");
  const std::string f = file("bad.json");
  EXPECT_EQ(error_lines(report),
            (std::vector<std::string>{
                f + ":3: hr_status 'gone' is not one of active, suspended, leaving, left",
                f + ":5: element 3: expected an object, found string",
                f + ":6: unknown column 'nickname' (expected id, surname, forenames, emails, "
                    "department, role, peer_group, address, hr_status, leaving_date, absence, "
                    "absent_from, absent_to, vetting_level, vetting_granted, vetting_expires, "
                    "vetting_status)",
            }));
  EXPECT_FALSE(store_->staff("pc1"));

  const auto syntax = import(ImportKind::staff, "syntax.json", "[\n  {\"id\": \"pc1\",,}\n]\n");
  ASSERT_EQ(syntax.errors.size(), 1u);
  EXPECT_EQ(syntax.errors[0].line, 2u);
  EXPECT_NE(syntax.errors[0].message.find("invalid JSON"), std::string::npos);

  const auto jsonl = import(ImportKind::staff, "x.jsonl",
                            "{\"id\":\"pc1\",\"surname\":\"a\",\"hr_status\":\"active\"}\n{oops\n");
  ASSERT_EQ(jsonl.errors.size(), 1u);
  EXPECT_EQ(jsonl.errors[0].line, 2u);
}

TEST_F(ImportTest, LoadsAssociationsAndSystems) {
  const auto a = import(ImportKind::associations, "assoc.csv",
                        "staff_id,party_id,party_name,kind,declared_on\n"
                        "PC1,P-77,Ann Reporter,media,2024-05-01\n"
                        "pc1,P-78,\"Smith, Ed\",Private Investigator,\n"
                        "pc-unknown,p-1,Someone,family,\n");
  ASSERT_TRUE(a.ok()) << ::testing::PrintToString(error_lines(a));
  EXPECT_EQ(a.rows_loaded, 3u);
  EXPECT_TRUE(store_->associated("pc1", "p-77", AssociationKind::media));
  EXPECT_TRUE(store_->associated("pc1", "p-78", AssociationKind::private_investigator));
  EXPECT_TRUE(store_->associated("pc-unknown", "p-1"));  // staff need not be loaded

  const auto dup = import(ImportKind::associations, "dup.csv",
                          "staff_id,party_id,kind\npc1,p1,media\npc1,P1,MEDIA\npc1,p1,colleague\n");
  EXPECT_EQ(error_lines(dup),
            (std::vector<std::string>{
                file("dup.csv") + ":3: duplicate association 'pc1 / p1 / media' (also on line 2)",
                file("dup.csv") + ":4: kind 'colleague' is not one of media, "
                                  "private_investigator, criminal, family, other, ex_partner, "
                                  "partner, friend, business",
            }));

  const auto s = import(ImportKind::systems, "systems.json",
                        R"([{"system": "PNC", "required_vetting": "NPPV2"},
                            {"system": "Niche", "required_vetting": "none"}])");
  ASSERT_TRUE(s.ok()) << ::testing::PrintToString(error_lines(s));
  EXPECT_EQ(store_->system_required_vetting("pnc"), VettingLevel::nppv2);
  EXPECT_EQ(store_->system_required_vetting("NICHE"), VettingLevel::none);
}

TEST_F(ImportTest, ListsFromTextCsvAndJsonWithReplace) {
  const auto txt = import(ImportKind::list, "media_domains.txt",
                          "# national press\nDailyBugle.example\n\n  tabloid.example  \n"
                          "dailybugle.example\n");
  ASSERT_TRUE(txt.ok());
  EXPECT_EQ(txt.rows_loaded, 2u);                                       // duplicates fold
  EXPECT_TRUE(store_->in_list("media_domains", "dailybugle.example"));  // name from the stem

  ASSERT_TRUE(import(ImportKind::list, "more.csv", "value\nextra.example\n", "media_domains").ok());
  EXPECT_EQ(store_->list_values("media_domains").size(), 3u);

  ASSERT_TRUE(import(ImportKind::list, "new.json", R"(["only.example", {"value": "two.example"}])",
                     "media_domains", /*replace=*/true)
                  .ok());
  EXPECT_EQ(store_->list_values("media_domains"),
            (std::vector<std::string>{"only.example", "two.example"}));

  ASSERT_TRUE(import(ImportKind::list, "empty.txt", "# nothing yet\n", "pi_domains").ok());
  EXPECT_TRUE(store_->list_exists("pi_domains"));
}

TEST_F(ImportTest, FileLevelProblemsAreErrorsNotRowReports) {
  auto ext = import_file(*store_, ImportKind::staff, dir_.write("staff.xlsx", "x"));
  ASSERT_FALSE(ext);
  EXPECT_EQ(ext.error().code, "state.import_format");
  auto txt = import_file(*store_, ImportKind::staff, dir_.write("staff.txt", "x"));
  ASSERT_FALSE(txt);
  auto missing = import_file(*store_, ImportKind::staff, dir_.path() / "nope.csv");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "state.import_read");
}

TEST(ImportKindNames, ParseAndPrint) {
  EXPECT_EQ(*import_kind_from_string("Staff"), ImportKind::staff);
  EXPECT_EQ(*import_kind_from_string("association"), ImportKind::associations);
  EXPECT_EQ(*import_kind_from_string("lists"), ImportKind::list);
  EXPECT_EQ(to_string(ImportKind::systems), "systems");
  auto bad = import_kind_from_string("expenses");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "state.import_kind");
}

TEST(ReferenceEnums, RoundTripAndAcceptAnyCase) {
  EXPECT_EQ(vetting_level_from_string("nppv3"), VettingLevel::nppv3);
  EXPECT_EQ(to_string(VettingLevel::ctc), "CTC");
  EXPECT_FALSE(vetting_level_from_string(""));
  EXPECT_EQ(hr_status_from_string("Suspended"), HrStatus::suspended);
  EXPECT_EQ(association_kind_from_string("private-investigator"),
            AssociationKind::private_investigator);
  EXPECT_EQ(to_string(AssociationKind::private_investigator), "private_investigator");
  EXPECT_EQ(association_kind_from_string("friend"), AssociationKind::friend_);
  EXPECT_FALSE(association_kind_from_string("colleague"));
}
