// Inline `tests:` in detections: loading, self-contained reference data, results.
#include <gtest/gtest.h>

#include "test_reference_builder.h"

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
      associations: [{staff_id: pc1, party_id: P9, kind: family}]
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
      staff: [{id: pc2, surname: Ng, vetting_level: NPPV2, vetting_expires: 2027-01-01}]
      systems: {PNC: NPPV3}
      event: {event.kind: access, user.id: pc2, source.system: pnc, result.count: 3}
    - name: wrongly expected
      expect: match
      event: {event.kind: access, user.id: pc2, source.system: pnc, raw.terminal: T1}
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  const auto results = run_inline_tests(*rules, ref.tables());
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
  TestReference ref;
  ref.add_list("media_domains", {"news.example"});
  LoadOptions options;
  options.reference = &ref.memory();
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
  for (const auto& r : run_inline_tests(*rules, ref.tables()))
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

namespace {

// One detection whose test brings an association, a gift and a staff row, in `rows`.
std::string detection_with_test_rows(const std::string& rows) {
  return R"(- detection: conflicted
  title: PI associate with a gift
  severity: high
  condition: >
    associated(user.id, subject.id, "private_investigator")
    and gift_within(user.id, subject.id, 365d)
    and staff(user.id).vetting.level == "NPPV2"
  tests:
    - expect: match
)" + rows +
         R"(
      event: {event.kind: access, user.id: pc1, subject.id: firm.example, event.time: "2026-03-01T10:00:00Z"}
)";
}

struct Loaded {
  std::unique_ptr<RuleSet> rules;
  LoadReport report;
};

Loaded load(const std::string& yaml) {
  Loaded out;
  out.rules = load_rules_from_string(yaml, "rules.yaml", {}, out.report);
  return out;
}

}  // namespace

TEST(RuleInlineTests, TestRowsUseTheImportColumnsWithoutWarnings) {
  const auto loaded = load(detection_with_test_rows(R"(
      staff: [{id: pc1, vetting_level: NPPV2, vetting_expires: 2027-01-01}]
      associations: [{staff_id: pc1, party_id: firm.example, kind: private investigator}]
      gifts: [{staff_id: pc1, offeror: Firm, offeror_domain: firm.example, date: 2026-01-10}])"));
  ASSERT_TRUE(loaded.rules) << loaded.report.format();
  EXPECT_EQ(loaded.report.warning_count(), 0u) << loaded.report.format();
  const auto results = run_inline_tests(*loaded.rules, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].passed) << results[0].explanation;
}

TEST(RuleInlineTests, OldTestKeysStillLoadWithADeprecationWarning) {
  const auto loaded = load(detection_with_test_rows(R"(
      staff: [{id: pc1, vetting: {level: NPPV2, expires: 2027-01-01}}]
      associations: [{staff: pc1, party: firm.example, kind: pi}]
      gifts: [{staff: pc1, offeror: Firm, domain: firm.example, date: 2026-01-10}])"));
  ASSERT_TRUE(loaded.rules) << loaded.report.format();
  const std::string text = loaded.report.format();
  EXPECT_EQ(loaded.report.warning_count(), 5u) << text;
  EXPECT_NE(text.find("rules.yaml:12:23: warning[rules.deprecated_key]: 'staff' is the old name "
                      "of 'staff_id' in test associations"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hint: write 'staff_id', as import files do"), std::string::npos) << text;
  EXPECT_NE(text.find("'vetting: {...}' is the old form of vetting_level"), std::string::npos)
      << text;
  EXPECT_NE(text.find("'domain' is the old name of 'offeror_domain' in test gifts"),
            std::string::npos)
      << text;
  // Read as their new names: the test still passes.
  const auto results = run_inline_tests(*loaded.rules, {});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].passed) << results[0].explanation;
}

TEST(RuleInlineTests, TestRowsAreValidatedAsImportRowsAre) {
  const auto loaded = load(detection_with_test_rows(R"(
      associations: [{staff_id: pc1, party_id: firm.example, kind: spy}]
      gifts: [{staff_id: pc1, offeror_domain: "firm example", date: 2026-01-10}])"));
  EXPECT_FALSE(loaded.rules);
  const std::string text = loaded.report.format();
  EXPECT_NE(text.find("error[rules.bad_value]: kind 'spy' is not one of media, "
                      "private_investigator, criminal, family, other, ex_partner, partner, friend, "
                      "business (test associations)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("offeror_domain 'firm example' is not an email domain (test gifts)"),
            std::string::npos)
      << text;
}
