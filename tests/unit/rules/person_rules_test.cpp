// same_person() and same_name() in rules: type-checked, compiled, and answering inline tests
// with the spellings and date formats one person is recorded under.
#include <gtest/gtest.h>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

TEST(PersonRules, SamePersonAndSameNameAnswerInlineTests) {
  auto rules = load_ok(R"(- detection: associate-by-identity
  title: Look-up of a person given by name and date of birth
  severity: high
  condition: >
    event.kind == "access" and
    same_person(subject.name, subject.dob, raw("declared_name"), raw("declared_dob"))
  tests:
    - expect: match
      event: {event.kind: access, user.id: pc1, subject.name: "MUHAMMAD KHAN", subject.dob: 07/03/1985, raw.declared_name: "Mohammed Khan | Mo Khan", raw.declared_dob: 1985-03-07}
    - expect: match
      event: {event.kind: access, user.id: pc1, subject.name: "SMITH JONES, A", subject.dob: 19850307, raw.declared_name: "Anna Smith-Jones", raw.declared_dob: 7 Mar 1985}
    - name: the day and month swapped
      expect: no_match
      event: {event.kind: access, user.id: pc1, subject.name: "KHAN, Mohammed", subject.dob: 03/07/1985, raw.declared_name: "Mohammed Khan", raw.declared_dob: 1985-03-07}
    - name: no date of birth on the look-up
      expect: no_match
      event: {event.kind: access, user.id: pc1, subject.name: "KHAN, Mohammed", raw.declared_name: "Mohammed Khan", raw.declared_dob: 1985-03-07}
- detection: namesake
  title: Names alone
  severity: low
  condition: event.kind == "access" and same_name(subject.name, raw("declared_name"))
  tests:
    - expect: match
      event: {event.kind: access, user.id: pc1, subject.name: "O'BRIEN, Seán", raw.declared_name: "Sean O Brien"}
    - expect: no_match
      event: {event.kind: access, user.id: pc1, subject.name: "BRIEN, Ian", raw.declared_name: "Ann Brien"}
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  const auto results = run_inline_tests(*rules, ref.tables());
  ASSERT_EQ(results.size(), 6u);
  for (const auto& r : results) EXPECT_TRUE(r.passed) << r.name << ": " << r.explanation;
}

TEST(PersonRules, ArgumentsMustBeText) {
  EXPECT_NE(load_errors("- detection: r\n  title: T\n  severity: low\n"
                        "  condition: same_person(subject.name, event.time, subject.name, "
                        "subject.dob)\n"),
            "");
  EXPECT_NE(load_errors("- detection: r\n  title: T\n  severity: low\n"
                        "  condition: same_name(subject.name)\n"),
            "");
}
