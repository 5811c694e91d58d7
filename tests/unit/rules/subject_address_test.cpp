// subject.address in the rule language: the event's own value, else the subject-address
// register's for (source.system, subject.id). The register itself is state/'s
// (tests/unit/state/memory_reference_test.cpp); here what a rule reads.
#include <gtest/gtest.h>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

const char* kRule = R"(- detection: shows-address
  title: T
  severity: low
  condition: exists(subject.address)
  alert: "{subject.address}"
)";

event::Event view(std::string system, std::string subject_id, std::string address = {}) {
  event::Event e(event::Kind::access);
  e.set(FieldId::user_id, std::string("pc1"));
  e.set(FieldId::source_system, std::move(system));
  e.set(FieldId::subject_id, std::move(subject_id));
  if (!address.empty()) e.set(FieldId::subject_address, std::move(address));
  return e;
}

/// The address the rule read, or "" when it saw none (the rule did not match).
std::string address_read(const event::Event& e, const TestReference& ref) {
  const auto rules = load_ok(kRule);
  if (!rules) return "?";
  std::vector<Match> out;
  rules->evaluate(e, ref, out);
  return out.empty() ? std::string() : out[0].message;
}

/// P0012345: one row for every system, another for PNC.
class SubjectAddress : public ::testing::Test {
 protected:
  void SetUp() override {
    ref_.add_subject_address("P0012345", "14 MOOR RD HARWICK NM2 4LB")
        .add_subject_address("p0012345", "3 Dale View, Oxley", "PNC");
  }
  TestReference ref_;
};

}  // namespace

TEST_F(SubjectAddress, TheEventsOwnValueWins) {
  EXPECT_EQ(address_read(view("PNC", "P0012345", "9 Event Street"), ref_), "9 Event Street");
}

TEST_F(SubjectAddress, TheRegisterFillsInWhenTheEventHasNone) {
  EXPECT_EQ(address_read(view("Niche", "P0012345"), ref_), "14 MOOR RD HARWICK NM2 4LB");
}

TEST_F(SubjectAddress, TheSystemsOwnRowWinsOverTheAnySystemRow) {
  EXPECT_EQ(address_read(view("pnc", "p0012345"), ref_), "3 Dale View, Oxley");
}

TEST_F(SubjectAddress, NoRowNoAddress) {
  EXPECT_EQ(address_read(view("PNC", "P0099999"), ref_), "");
  EXPECT_EQ(address_read(view("PNC", ""), ref_), "");
  EXPECT_EQ(address_read(view("PNC", "P0012345"), TestReference{}), "");
}

TEST_F(SubjectAddress, AMatchReportsItAsALookup) {
  const auto rules = load_ok(kRule);
  ASSERT_TRUE(rules);
  std::vector<Match> out;
  rules->evaluate(view("Niche", "P0012345"), ref_, out);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_EQ(out[0].lookups.size(), 1u);
  EXPECT_EQ(out[0].lookups[0].first, "subject.address");
  EXPECT_EQ(out[0].lookups[0].second, "14 MOOR RD HARWICK NM2 4LB");
}

TEST_F(SubjectAddress, AddressRulesCompareTheRegisteredAddress) {
  const auto rules = load_ok(R"(- detection: near-home
  title: T
  severity: low
  condition: same_postcode_sector(subject.address, staff(user.id).address)
)");
  ASSERT_TRUE(rules);
  ref_.add_staff([] {
    auto s = staff_record("pc1", "Hartley");
    s.address = "Flat 2, 14 Moor Road, Harwick, NM2 4AB";
    return s;
  }());
  EXPECT_EQ(matching(*rules, view("Niche", "P0012345"), ref_),
            std::vector<std::string>{"near-home"});
  EXPECT_TRUE(matching(*rules, view("PNC", "P0012345"), ref_).empty());  // PNC's row: Oxley
}
