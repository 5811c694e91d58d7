// Inline `tests:` in detections: loading, self-contained reference data, results.
#include <gtest/gtest.h>

#include "fake_reference.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

TEST(RuleInlineTests, RunsMatchAndNoMatchCasesWithTheirOwnReferenceData) {
  auto rules = load_ok(R"(- detection: associate
  title: Look-up of a declared associate
  severity: high
  condition: event.kind == "access" and associated(user.id, subject.id, "family")
  tests:
    - name: family member looked up
      expect: match
      associations: [{staff: pc1, party: P9, kind: family}]
      event: {event.kind: access, user.id: PC1, subject.id: p9}
    - expect: no_match
      event: {event.kind: access, user.id: pc1, subject.id: p10}
    - name: emails never match
      expect: no_match
      event: {event.kind: email, user.id: pc1}
- detection: vetting
  title: Under-vetted
  severity: medium
  condition: staff(user.id).vetting.level < system_vetting(source.system)
  tests:
    - expect: match
      staff: [{id: pc2, surname: Ng, vetting: {level: NPPV2, expires: 2027-01-01}}]
      systems: {PNC: NPPV3}
      event: {event.kind: access, user.id: pc2, source.system: pnc, result.count: 3}
    - name: wrongly expected
      expect: match
      event: {event.kind: access, user.id: pc2, source.system: pnc, raw.terminal: T1}
)");
  ASSERT_TRUE(rules);
  FakeReference ref;
  const auto results = run_inline_tests(*rules, ref);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0].name, "family member looked up");
  EXPECT_TRUE(results[0].passed) << results[0].explanation;
  EXPECT_EQ(results[1].name, "test 2");
  EXPECT_TRUE(results[1].passed);
  EXPECT_TRUE(results[2].passed);
  EXPECT_TRUE(results[3].passed) << results[3].explanation;
  EXPECT_FALSE(results[4].passed);
  EXPECT_EQ(results[4].pos.line, 24u);
  EXPECT_EQ(results[4].explanation,
            "rule vetting: does not match\n"
            "  false  staff(user.id).vetting.level < system_vetting(source.system)\n");
}

TEST(RuleInlineTests, TestListsReplaceStateListsOfTheSameName) {
  FakeReference ref;
  ref.add_list("media_domains", {"news.example"});
  LoadOptions options;
  options.reference = &ref;
  auto rules = load_ok(R"(- detection: media
  title: T
  severity: low
  condition: email.to.domain in list("media_domains")
  tests:
    - expect: match
      lists: {media_domains: [other.example]}
      event: {event.kind: email, email.to.domain: other.example}
    - expect: no_match
      lists: {media_domains: [other.example]}
      event: {event.kind: email, email.to.domain: news.example}
    - expect: match
      event: {event.kind: email, email.to.domain: news.example}
)",
                       options);
  ASSERT_TRUE(rules);
  for (const auto& r : run_inline_tests(*rules, ref))
    EXPECT_TRUE(r.passed) << r.name << r.explanation;
}

TEST(RuleInlineTests, ReportsBadExpectation) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: exists(user.id)
  tests:
    - expect: maybe
      event: {event.kind: access}
)");
  EXPECT_EQ(out,
            "rules.yaml:6:15: error[rules.bad_value]: a test needs 'expect: match' or 'expect: "
            "no_match'\n"
            "      - expect: maybe\n"
            "                ^^^^^\n");
}

TEST(RuleInlineTests, ReportsBadTestEventsAtLoad) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: exists(user.id)
  tests:
    - expect: match
      event: {event.kind: access, user.idd: x, result.count: many}
    - expect: match
      event: {event.kind: fax}
)");
  EXPECT_EQ(
      out,
      "rules.yaml:7:35: error[rules.unknown_field]: unknown field 'user.idd' in a test event\n"
      "        event: {event.kind: access, user.idd: x, result.count: many}\n"
      "                                    ^^^^^^^^\n"
      "  hint: did you mean 'user.id'?\n"
      "rules.yaml:7:48: error[rules.bad_value]: test field 'result.count' needs an integer\n"
      "        event: {event.kind: access, user.idd: x, result.count: many}\n"
      "                                                 ^^^^^^^^^^^^\n"
      "rules.yaml:9:27: error[rules.bad_value]: unknown event kind 'fax'\n"
      "        event: {event.kind: fax}\n"
      "                            ^^^\n"
      "  hint: event.kind is access or email\n");
}
