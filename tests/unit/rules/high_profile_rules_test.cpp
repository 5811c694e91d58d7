// high_profile_id / _person / _search / _address: the variants a look-up reaches a listed
// person by, and the near-misses that must not (a namesake, a surname alone, an entry no
// longer listed). Reference data is a MemoryReference, which answers as the Store does.
#include <gtest/gtest.h>

#include "rules/high_profile.h"
#include "state/memory_reference.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

state::HighProfilePerson striker() {
  state::HighProfilePerson p;
  p.ref = "hp-1";
  p.category = "footballer";
  p.surname = "O'Brien";
  p.forenames = "Seán Patrick";
  p.aliases = "Shaun Brien";
  p.dob = "1995-07-02";
  p.ids = {"p0012345", "nn0012345"};
  p.address = "Flat 2, 14 Moor Road, Harwick, NM2 4LB";
  p.added_on = event::parse_time("2026-01-01");
  p.until = event::parse_time("2026-06-30");
  return p;
}

class HighProfileRules : public ::testing::Test {
 protected:
  void SetUp() override {
    auto mp = striker();
    mp.ref = "hp-2";
    mp.surname = "Mohammed";
    mp.forenames = "Yusuf";
    mp.aliases.clear();
    mp.dob = "12/03/1970";
    mp.ids = {};
    mp.address = "3 Dale View, Exton";
    mp.until.reset();
    ref_.add({.high_profile = {striker(), mp}});
  }

  bool holds(const std::string& condition,
             std::initializer_list<std::pair<FieldId, const char*>> fields,
             const char* time = "2026-03-01T10:00:00Z") {
    auto rules =
        load_ok("- detection: r\n  title: T\n  severity: low\n  condition: '" + condition + "'\n");
    if (!rules) return false;
    event::Event e(event::Kind::access);
    e.set(FieldId::user_id, std::string("pc1"));
    if (time) e.set(FieldId::event_time, *event::parse_time(time));
    for (const auto& [id, text] : fields) e.set(id, std::string(text));
    return !matching(*rules, e, ref_).empty();
  }

  state::MemoryReference ref_;
};

}  // namespace

TEST_F(HighProfileRules, ById) {
  EXPECT_TRUE(holds("high_profile_id(subject.id)", {{FieldId::subject_id, "P0012345"}}));
  EXPECT_TRUE(holds("high_profile_id(subject.id)", {{FieldId::subject_id, "nn0012345"}}));
  EXPECT_FALSE(holds("high_profile_id(subject.id)", {{FieldId::subject_id, "P0012346"}}));
  EXPECT_FALSE(holds("high_profile_id(subject.id)", {}));
}

TEST_F(HighProfileRules, OnlyWhileListed) {
  const std::pair<FieldId, const char*> id{FieldId::subject_id, "P0012345"};
  EXPECT_TRUE(holds("high_profile_id(subject.id)", {id}, "2026-06-30T23:00:00Z"));  // last day
  EXPECT_FALSE(holds("high_profile_id(subject.id)", {id}, "2026-07-01T00:00:01Z"));
  EXPECT_FALSE(holds("high_profile_id(subject.id)", {id}, "2025-12-31T12:00:00Z"));
  EXPECT_TRUE(holds("high_profile_id(subject.id)", {id}, nullptr));  // no time: listed
}

TEST_F(HighProfileRules, ByNameAndDateOfBirth) {
  const std::string c = "high_profile_person(subject.name, subject.dob)";
  EXPECT_TRUE(
      holds(c, {{FieldId::subject_name, "OBRIEN, SEAN"}, {FieldId::subject_dob, "02/07/1995"}}));
  EXPECT_TRUE(
      holds(c, {{FieldId::subject_name, "Sean O Brien"}, {FieldId::subject_dob, "2 Jul 1995"}}));
  EXPECT_TRUE(
      holds(c, {{FieldId::subject_name, "MUHAMMAD Yousuf"}, {FieldId::subject_dob, "1970-03-12"}}));
  // A namesake: another date of birth; a name with no date never matches.
  EXPECT_FALSE(
      holds(c, {{FieldId::subject_name, "Sean O'Brien"}, {FieldId::subject_dob, "1988-01-09"}}));
  EXPECT_FALSE(holds(c, {{FieldId::subject_name, "Sean O'Brien"}}));
}

TEST_F(HighProfileRules, BySearchTerms) {
  const std::string c = "high_profile_search(query.terms)";
  EXPECT_TRUE(holds(c, {{FieldId::query_terms, "OBRIEN/SEAN"}}));
  EXPECT_TRUE(holds(c, {{FieldId::query_terms, "SN:O BRIEN FN:SEAN"}}));
  EXPECT_TRUE(holds(c, {{FieldId::query_terms, "sean o'brien 02/07/1995"}}));
  EXPECT_TRUE(holds(c, {{FieldId::query_terms, "SN:OBRIEN DOB:02.07.1995"}}));  // surname + dob
  EXPECT_TRUE(holds(c, {{FieldId::query_terms, "BRIEN, SHAUN"}}));              // an alias
  EXPECT_TRUE(holds(c, {{FieldId::query_terms, "yusuf muhammad"}}));            // a spelling
  EXPECT_FALSE(holds(c, {{FieldId::query_terms, "OBRIEN"}}));                   // surname alone
  EXPECT_FALSE(holds(c, {{FieldId::query_terms, "SN:OBRIEN FN:S%"}}));
  EXPECT_FALSE(holds(c, {{FieldId::query_terms, "OBRIEN/SEAN/1988-01-09"}}));  // a namesake
  EXPECT_FALSE(holds(c, {{FieldId::query_terms, "OBRIEN/PATRICIA"}}));
}

TEST_F(HighProfileRules, ByAddressWrittenDifferently) {
  const std::string c = "high_profile_address(subject.address)";
  EXPECT_TRUE(holds(c, {{FieldId::subject_address, "FLAT 2 14 MOOR RD HARWICK NM24LB"}}));
  EXPECT_TRUE(holds(c, {{FieldId::subject_address, "3 DALE VIEW"}}));
  EXPECT_FALSE(holds(c, {{FieldId::subject_address, "16 Moor Road, Harwick, NM2 4LB"}}));
  EXPECT_FALSE(holds(c, {{FieldId::subject_address, "Flat 3, 14 Moor Road, NM2 4LB"}}));
}

TEST_F(HighProfileRules, LongHostileTermsAreBoundedAndDoNotMatch) {
  std::string terms;
  for (int i = 0; i < 5000; ++i) terms += "OBRIEN ";
  EXPECT_FALSE(search_names_entry(terms, striker()));
  terms += "SEAN";  // past the words read
  EXPECT_FALSE(search_names_entry(terms, striker()));
  EXPECT_TRUE(search_names_entry("SEAN " + terms, striker()));
}
