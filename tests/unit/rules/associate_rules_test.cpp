// associated(), associated_person() and at_associate_address(): a look-up's subject matched to
// the user's declared associates by an id in any system, by name and date of birth (aliases,
// transliterations, double-barrelled names) and by address; kinds narrow the question; and
// the user's rows are fetched once per event however many rules ask.
#include <gtest/gtest.h>

#include "rules/associate_match.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

std::string rule(const std::string& id, const std::string& condition) {
  return "- detection: " + id + "\n  title: T\n  severity: low\n  condition: '" + condition + "'\n";
}

state::Association ex_partner() {
  state::Association a;
  a.staff_id = "pc1";
  a.party_id = "P9";
  a.party_name = "Joanne Whitfield";
  a.kind = state::AssociationKind::ex_partner;
  a.party_dob = "04/11/1988";
  a.party_aliases = {"Jo Carver-Whitfield"};
  a.party_ids = {"pnc:09/112233k", "niche: n-77"};
  a.party_address = "Flat 2, 14 Moor Road, Harwick, NM2 4LB";
  return a;
}

state::Association relative() {
  state::Association a;
  a.staff_id = "pc1";
  a.party_id = "name:aleksandr petrov/1975-05-21";
  a.party_name = "Aleksandr Petrov";
  a.kind = state::AssociationKind::family;
  a.party_dob = "1975-05-21";
  return a;
}

event::Event lookup(std::string id, std::string name = {}, std::string dob = {},
                    std::string address = {}) {
  event::Event e(event::Kind::access);
  e.set(FieldId::user_id, std::string("PC1"));
  e.set(FieldId::action, std::string("view"));
  e.set(FieldId::subject_id, std::move(id));
  if (!name.empty()) e.set(FieldId::subject_name, std::move(name));
  if (!dob.empty()) e.set(FieldId::subject_dob, std::move(dob));
  if (!address.empty()) e.set(FieldId::subject_address, std::move(address));
  return e;
}

class AssociateRules : public ::testing::Test {
 protected:
  bool holds(const std::string& condition, const event::Event& e) {
    auto rules = load_ok(rule("r", condition));
    if (!rules) return false;
    return !matching(*rules, e, ref_).empty();
  }
  state::MemoryReference ref_{state::ReferenceTables{.associations = {ex_partner(), relative()}}};
};

}  // namespace

TEST(AssociateMatch, IdsCompareWithoutLabelCaseOrSpaces) {
  EXPECT_EQ(without_system_label("PNC:12/345678X"), "12/345678X");
  EXPECT_EQ(without_system_label("Niche RMS: N-1"), " N-1");
  EXPECT_EQ(without_system_label("12:30"), "12:30");  // no letter: not a label
  EXPECT_EQ(without_system_label("x:1"), "x:1");      // one letter: not a label
  EXPECT_TRUE(same_id("PNC:12/345678X", "12/345678x"));
  EXPECT_TRUE(same_id("pnc: 12/345678X", "PND:12/ 345678X"));
  EXPECT_FALSE(same_id("12/345678X", "12/345678Y"));
  EXPECT_FALSE(same_id("PNC:", ""));
  EXPECT_FALSE(same_id("", ""));
}

TEST_F(AssociateRules, AssociatedByAnyDeclaredId) {
  EXPECT_TRUE(holds("associated(user.id, subject.id)", lookup("p9")));
  EXPECT_TRUE(holds("associated(user.id, subject.id, \"ex_partner\")", lookup("09/112233K")));
  EXPECT_TRUE(holds("associated(user.id, subject.id, \"ex-partner\")", lookup("N-77")));
  EXPECT_TRUE(
      holds("associated(user.id, subject.id, \"family\", \"Ex Partner\")", lookup("NICHE:n-77")));
  EXPECT_FALSE(holds("associated(user.id, subject.id, \"family\", \"friend\")", lookup("p9")));
  EXPECT_FALSE(holds("associated(user.id, subject.id)", lookup("p10")));
}

TEST_F(AssociateRules, AssociatedPersonByNameAndDateOfBirth) {
  const std::string ex = "associated_person(user.id, subject.name, subject.dob, \"ex_partner\")";
  EXPECT_TRUE(holds(ex, lookup("x1", "WHITFIELD, Joanne", "1988-11-04")));
  EXPECT_TRUE(holds(ex, lookup("x1", "Joanne WHITFIELD", "4th November 1988")));
  // An alias, double-barrelled, known by one barrel.
  EXPECT_TRUE(holds(ex, lookup("x1", "Jo Carver", "04.11.1988")));
  EXPECT_TRUE(holds(ex, lookup("x1", "Jo Carver-Whitfield", "1988-11-04")));
  // A namesake: another day, or no date at all.
  EXPECT_FALSE(holds(ex, lookup("x1", "Joanne Whitfield", "1988-04-11")));
  EXPECT_FALSE(holds(ex, lookup("x1", "Joanne Whitfield")));
  // Transliterations of a relative declared by name and date of birth only.
  const std::string any = "associated_person(user.id, subject.name, subject.dob)";
  EXPECT_TRUE(holds(any, lookup("x2", "PETROV, Alexander", "21/05/1975")));
  EXPECT_TRUE(holds(any, lookup("x2", "Aleksander Petrov", "21 May 1975")));
  EXPECT_FALSE(holds(any, lookup("x2", "Alexandra Petrova", "21/05/1975")));
  EXPECT_FALSE(holds("associated_person(user.id, subject.name, subject.dob, \"friend\")",
                     lookup("x2", "PETROV, Alexander", "21/05/1975")));
}

TEST_F(AssociateRules, AtAssociateAddressHoweverWritten) {
  const std::string at = "at_associate_address(user.id, subject.address, \"ex_partner\")";
  EXPECT_TRUE(holds(at, lookup("p31", "Dean Carver", "", "FLAT 2 14 MOOR RD HARWICK NM24LB")));
  EXPECT_FALSE(holds(at, lookup("p31", "Dean Carver", "", "Flat 3, 14 Moor Road, Harwick")));
  EXPECT_FALSE(holds(at, lookup("p31", "Dean Carver", "", "16 Moor Road, Harwick, NM2 4LB")));
  EXPECT_FALSE(holds("at_associate_address(user.id, subject.address, \"family\")",
                     lookup("p31", "Dean Carver", "", "Flat 2, 14 Moor Road, Harwick, NM2 4LB")));
}

TEST_F(AssociateRules, SomeoneElsesAssociatesAreNotTheUsers) {
  auto e = lookup("p9", "Joanne Whitfield", "1988-11-04");
  e.set(FieldId::user_id, std::string("pc2"));
  EXPECT_FALSE(holds("associated(user.id, subject.id)", e));
  EXPECT_FALSE(holds("associated_person(user.id, subject.name, subject.dob)", e));
}

TEST_F(AssociateRules, RowsAreFetchedOncePerEvent) {
  auto rules =
      load_ok(rule("a", "associated(user.id, subject.id, \"family\")") +
              rule("b", "associated_person(user.id, subject.name, subject.dob, \"ex_partner\")") +
              rule("c", "at_associate_address(user.id, subject.address)"));
  ASSERT_TRUE(rules);
  const auto hits = matching(*rules, lookup("x1", "Joanne Whitfield", "1988-11-04"), ref_);
  EXPECT_EQ(hits, (std::vector<std::string>{"b"}));
  EXPECT_EQ(ref_.association_lookups(), 1u);
}

TEST(AssociateRulesChecks, KindsMustBeKnownLiterals) {
  const auto report =
      load_errors(rule("r", "associated_person(user.id, subject.name, subject.dob, \"cousin\")"));
  EXPECT_NE(report.find("the association kind must be one of"), std::string::npos) << report;
  const auto by_field =
      load_errors(rule("r", "at_associate_address(user.id, subject.address, subject.type)"));
  EXPECT_NE(by_field.find("the association kind must be one of"), std::string::npos) << by_field;
}
