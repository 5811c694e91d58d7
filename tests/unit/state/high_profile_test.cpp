// The high-profile people register: CSV and JSON import with clear rejections, `state show`,
// the blocking keys its index files entries under, and candidates from the Store.
#include <gtest/gtest.h>

#include "state/describe.h"
#include "state/high_profile_keys.h"
#include "state/import.h"
#include "state/store.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

class HighProfileImport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open({.dir = dir_.path() / "db"});
    ASSERT_RESULT_OK(s);
    store_ = std::move(*s);
  }
  ImportReport import(const std::string& name, const std::string& text) {
    auto r = import_file(*store_, ImportKind::high_profile, dir_.write(name, text), {}, false);
    EXPECT_TRUE(r) << describe(r.error());
    return r ? *r : ImportReport{};
  }
  std::vector<std::string> errors(const ImportReport& report) {
    std::vector<std::string> out;
    for (const auto& e : report.errors) out.push_back(describe(e));
    return out;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

std::vector<std::string> refs(const std::vector<HighProfilePerson>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.ref);
  return out;
}

}  // namespace

TEST(HighProfileKeys, SpellingsAThoughtOfAsOneNameShareAKey) {
  EXPECT_EQ(name_key("Mohammed"), name_key("MUHAMMAD"));
  EXPECT_EQ(name_key("Catherine"), name_key("katherine"));
  EXPECT_EQ(name_key("Stephen"), name_key("Steven"));
  EXPECT_EQ(name_key("Yusuf"), name_key("Jusuf"));
  EXPECT_EQ(name_key("Müller"), name_key("MULLER"));  // the byte of ü is skipped
  EXPECT_NE(name_key("Hartley"), name_key("Smith"));
  EXPECT_EQ(name_key("1234"), "");
}

TEST(HighProfileKeys, TextKeysCoverJoinedWordsAndAreBounded) {
  const auto keys = name_keys("SN:O BRIEN FN:SEAN");
  EXPECT_NE(std::find(keys.begin(), keys.end(), name_key("OBRIEN")), keys.end());
  std::string long_text;
  for (int i = 0; i < 1000; ++i)
    long_text += "word" + std::string(1, static_cast<char>('a' + i % 26)) + " ";
  EXPECT_LE(name_keys(long_text).size(), 2 * kMaxKeyWords);
}

TEST(HighProfileKeys, PostcodeAndStreetKeys) {
  EXPECT_EQ(postcode_key("Flat 2, 14 Moor Road, Harwick, NM2 4LB"), "NM24LB");
  EXPECT_EQ(postcode_key("14 MOOR RD HARWICK nm24lb"), "NM24LB");
  EXPECT_EQ(postcode_key("10 Downing Street, London SW1A 2AA"), "SW1A2AA");
  EXPECT_EQ(postcode_key("14 Moor Road"), "");
  EXPECT_EQ(street_key("Flat 2, 14 Moor Road"), "14 MOOR");
  EXPECT_EQ(street_key("14a moor rd"), "14 MOOR");
  EXPECT_EQ(street_key("The Old Rectory"), "");
}

TEST_F(HighProfileImport, CsvRowsImportShowAndAreFound) {
  const auto report =
      import("hp.csv",
             "ref,category,surname,forenames,aliases,dob,ids,address,added_on,until\n"
             "HP-1,footballer,O'Brien,Sean,Shaun OBrien,02/07/1995,"
             "P0012345;NN0012345,\"Flat 2, 14 Moor Road, Harwick, NM2 4LB\","
             "2026-01-01,\n"
             "HP-2,victim,Hartley,Ruth,,1980-05-01,,,,2026-12-31\n");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  EXPECT_EQ(report.rows_loaded, 2u);
  EXPECT_EQ(refs(store_->high_profile_with_id("p0012345")), std::vector<std::string>{"hp-1"});
  EXPECT_EQ(refs(store_->high_profile_named("HARTLEY/RUTH")), std::vector<std::string>{"hp-2"});
  EXPECT_EQ(refs(store_->high_profile_at("2/14 MOOR RD NM24LB")), std::vector<std::string>{"hp-1"});

  const auto shown = describe_entry(*store_, "high_profile", "HP-1");
  ASSERT_RESULT_OK(shown);
  EXPECT_NE(shown->find("\"surname\": \"O'Brien\""), std::string::npos) << *shown;
  EXPECT_NE(shown->find("nn0012345"), std::string::npos) << *shown;
  EXPECT_EQ(shown->find("Hartley"), std::string::npos) << *shown;
  EXPECT_NE(personal_data_shown(*store_, "high_profile", "").find("sensitive"), std::string::npos);
}

TEST_F(HighProfileImport, JsonIdsMayBeAnArray) {
  const auto report = import("hp.json", R"([{"ref": "HP-9", "surname": "Lee", "forenames": "Ann",
    "ids": ["P1", "NN2"], "dob": "7 Mar 1985"}])");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  EXPECT_EQ(refs(store_->high_profile_with_id("NN2")), std::vector<std::string>{"hp-9"});
}

TEST_F(HighProfileImport, BadRowsAreRejectedByLine) {
  const auto report = import("hp.csv",
                             "ref,surname,forenames,dob,ids,address,added_on,until\n"
                             ",Lee,Ann,1985-03-07,P1,,,\n"
                             "HP-2,,Ann,1985-03-07,P2,,,\n"
                             "HP-3,Lee,Ann,unknown,P3,,,\n"
                             "HP-4,Lee,Ann,,,,,\n"
                             "HP-5,Lee,Ann,,P5,,2026-02-01,2026-01-01\n"
                             "HP-6,Lee,Ann,,P6,,yesterday,\n");
  EXPECT_FALSE(report.ok());
  const auto all = ::testing::PrintToString(errors(report));
  EXPECT_NE(all.find("ref is required"), std::string::npos) << all;
  EXPECT_NE(all.find("surname is required"), std::string::npos) << all;
  EXPECT_NE(all.find("dob 'unknown' is not a date of birth"), std::string::npos) << all;
  EXPECT_NE(all.find("no ids, dob or address"), std::string::npos) << all;
  EXPECT_NE(all.find("until is before added_on"), std::string::npos) << all;
  EXPECT_NE(all.find("added_on 'yesterday' is not a date"), std::string::npos) << all;
  EXPECT_TRUE(store_->registers().high_profile.empty());
}
