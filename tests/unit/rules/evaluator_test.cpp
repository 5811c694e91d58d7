// Evaluation semantics: each construct of the language against events and reference data.
#include <gtest/gtest.h>

#include "counting_reference.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;
using state::VettingLevel;

namespace {

event::Event access(std::initializer_list<std::pair<FieldId, std::string>> fields) {
  event::Event e(event::Kind::access);
  for (const auto& [id, v] : fields) e.set(id, v);
  return e;
}

event::Event email(std::initializer_list<std::pair<FieldId, std::string>> fields) {
  event::Event e(event::Kind::email);
  for (const auto& [id, v] : fields) e.set(id, v);
  return e;
}

// One detection with this condition, id "r".
std::string rule(const std::string& condition) {
  return "- detection: r\n  title: T\n  severity: low\n  condition: '" + condition + "'\n";
}

bool holds(const std::string& condition, const event::Event& e, const TestReference& ref = {}) {
  auto rules = load_ok(rule(condition));
  if (!rules) return false;
  return !matching(*rules, e, ref).empty();
}

}  // namespace

TEST(RuleEval, ComparesStringsCaseInsensitivelyByDefault) {
  auto e = access({{FieldId::action, "Query"}});
  EXPECT_TRUE(holds(R"(action == "query")", e));
  EXPECT_FALSE(holds(R"(action != "QUERY")", e));
  EXPECT_FALSE(holds(R"(cased(action) == "query")", e));
  EXPECT_TRUE(holds(R"(cased(action) == "Query")", e));
}

TEST(RuleEval, AbsentFieldsMakeComparisonsFalseAndNegationsTrue) {
  auto e = access({});
  EXPECT_FALSE(holds(R"(reason.code == "x")", e));
  EXPECT_TRUE(holds(R"(reason.code != "x")", e));
  EXPECT_FALSE(holds(R"(reason.code in ("x"))", e));
  EXPECT_TRUE(holds(R"(reason.code not in ("x"))", e));
  EXPECT_FALSE(holds("exists(reason.code)", e));
  EXPECT_FALSE(holds(R"(exists(reason.code))", access({{FieldId::reason_code, ""}})));
}

TEST(RuleEval, ComparesIntegersAndTimes) {
  event::Event e(event::Kind::access);
  e.set(FieldId::result_count, std::int64_t{250});
  e.set(FieldId::event_time, *event::parse_time("2026-03-01T10:00:00Z"));
  EXPECT_TRUE(holds("result.count > 100", e));
  EXPECT_FALSE(holds("result.count <= 100", e));
  EXPECT_TRUE(holds(R"(event.time >= "2026-01-01T00:00:00Z")", e));
  EXPECT_FALSE(holds(R"(event.time < "2026-03-01T10:00:00Z")", e));
  EXPECT_TRUE(holds(R"(result.count in (1, 250))", e));
}

TEST(RuleEval, AndOrNotWithParentheses) {
  auto e = access({{FieldId::action, "view"}, {FieldId::outcome, "success"}});
  EXPECT_TRUE(holds(R"(action == "view" and (outcome == "denied" or outcome == "success"))", e));
  EXPECT_FALSE(holds(R"(action == "view" and not (outcome == "success"))", e));
  EXPECT_TRUE(holds(R"(action == "print" or outcome == "success")", e));
}

TEST(RuleEval, StringOperators) {
  auto e = access({{FieldId::subject_name, "John SMITH"}});
  EXPECT_TRUE(holds(R"(subject.name contains "smith")", e));
  EXPECT_TRUE(holds(R"(subject.name startswith "john")", e));
  EXPECT_TRUE(holds(R"(subject.name endswith "Smith")", e));
  EXPECT_FALSE(holds(R"(cased(subject.name) endswith "Smith")", e));
  EXPECT_TRUE(holds(R"(subject.name matches "^john\\s+sm")", e));
  EXPECT_FALSE(holds(R"(cased(subject.name) matches "^john")", e));
}

TEST(RuleEval, InlineAndRuleFileLists) {
  auto rules = load_ok(R"(
- list: webmail_domains
  items: [gmail.com, Outlook.com]
- detection: webmail
  title: To webmail
  severity: low
  condition: email.to.domain in list("webmail_domains")
- detection: webmail-fn
  title: To webmail
  severity: low
  condition: in_list("webmail_domains", email.to.domain)
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  EXPECT_EQ(matching(*rules, email({{FieldId::email_to_domain, "OUTLOOK.com"}}), ref),
            (std::vector<std::string>{"webmail", "webmail-fn"}));
  EXPECT_TRUE(matching(*rules, email({{FieldId::email_to_domain, "police.uk"}}), ref).empty());
}

TEST(RuleEval, StateListsAreLookedUpPerEvent) {
  TestReference ref;
  ref.add_list("media_domains", {"news.example"});
  LoadOptions options;
  options.reference = &ref.memory();
  auto rules = load_ok(rule(R"(email.to.domain in list("media_domains"))"), options);
  ASSERT_TRUE(rules);
  EXPECT_EQ(matching(*rules, email({{FieldId::email_to_domain, "News.Example"}}), ref).size(), 1u);
  ref.add_list("media_domains", {"tabloid.example"});  // updates apply without a reload
  EXPECT_EQ(matching(*rules, email({{FieldId::email_to_domain, "tabloid.example"}}), ref).size(),
            1u);
}

TEST(RuleEval, ListFieldsMatchWhenAnyElementMatches) {
  event::Event e(event::Kind::email);
  e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.txt", "Payroll.XLSX"});
  EXPECT_TRUE(holds(R"(email.attachments.names endswith ".xlsx")", e));
  EXPECT_TRUE(holds(R"(email.attachments.names in ("payroll.xlsx"))", e));
  EXPECT_FALSE(holds(R"(email.attachments.names == "b.txt")", e));
}

TEST(RuleEval, AssociatedWithAndWithoutKind) {
  TestReference ref;
  ref.associate("pc1", "P-9", state::AssociationKind::family);
  auto e = access({{FieldId::user_id, "PC1"}, {FieldId::subject_id, "p-9"}});
  EXPECT_TRUE(holds("associated(user.id, subject.id)", e, ref));
  EXPECT_TRUE(holds(R"(associated(user.id, subject.id, "family"))", e, ref));
  EXPECT_FALSE(holds(R"(associated(user.id, subject.id, "media"))", e, ref));
  EXPECT_FALSE(holds("associated(user.id, subject.id)", access({{FieldId::user_id, "pc1"}}), ref));
}

TEST(RuleEval, StaffLookupsAndOrderedVetting) {
  TestReference ref;
  auto rec = staff_record("pc1", "Smith", VettingLevel::nppv2);
  rec.vetting.expires = *event::parse_time("2026-01-01T00:00:00Z");
  rec.hr_status = state::HrStatus::suspended;
  ref.add_staff(rec)
      .require_vetting("PNC", VettingLevel::nppv3)
      .require_vetting("Niche", VettingLevel::rv);
  event::Event e = access({{FieldId::user_id, "pc1"},
                           {FieldId::source_system, "PNC"},
                           {FieldId::subject_name, "Jane Smith"}});
  e.set(FieldId::event_time, *event::parse_time("2026-02-01T00:00:00Z"));
  EXPECT_TRUE(holds("staff(user.id).vetting.level < system_vetting(source.system)", e, ref));
  EXPECT_TRUE(holds(R"(staff(user.id).vetting.level == "nppv2")", e, ref));
  EXPECT_TRUE(holds(R"(staff(user.id).vetting.level in ("NPPV1", "NPPV2"))", e, ref));
  EXPECT_TRUE(holds("staff(user.id).vetting.expires < event.time", e, ref));
  EXPECT_TRUE(holds(R"(staff(user.id).hr_status == "suspended")", e, ref));
  EXPECT_TRUE(holds("staff(user.id).exists", e, ref));
  EXPECT_TRUE(holds("subject.name contains staff(user.id).surname", e, ref));
  event::Event niche = e;
  niche.set(FieldId::source_system, std::string("niche"));
  EXPECT_FALSE(holds("staff(user.id).vetting.level < system_vetting(source.system)", niche, ref));
  event::Event unknown = e;
  unknown.set(FieldId::user_id, std::string("nobody"));
  EXPECT_TRUE(holds("not staff(user.id).exists", unknown, ref));
  EXPECT_FALSE(holds("subject.name contains staff(user.id).surname", unknown, ref));
}

TEST(RuleEval, LooksUpEachStaffMemberOncePerEvent) {
  TestReference ref;
  ref.add_staff(staff_record("pc1", "Smith"));
  auto rules = load_ok(R"(
- detection: a
  title: A
  severity: low
  condition: staff(user.id).exists and staff(user.id).surname == "smith"
- detection: b
  title: B
  severity: low
  condition: staff(user.id).vetting.level >= "RV"
)");
  ASSERT_TRUE(rules);
  std::vector<Match> out;
  rules->evaluate(access({{FieldId::user_id, "PC1"}}), ref, out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(ref.memory().staff_lookups(), 1);
}

TEST(RuleEval, RawFieldsAreStrings) {
  auto e = access({});
  e.add_raw("terminal", "T-17");
  e.add_raw("odd-name", "x");
  EXPECT_TRUE(holds(R"(raw.terminal == "t-17")", e));
  EXPECT_TRUE(holds(R"(raw("odd-name") == "x")", e));
  EXPECT_FALSE(holds("exists(raw.other)", e));
}

TEST(RuleEval, LowerAndDomainOf) {
  auto e = email({{FieldId::email_to, "Reporter <Jo.Bloggs@News.Example>"}});
  EXPECT_TRUE(holds(R"(domain_of(email.to) == "news.example")", e));
  EXPECT_TRUE(holds(R"(cased(lower(domain_of(email.to))) == "news.example")", e));
  EXPECT_FALSE(holds(R"(cased(domain_of(email.to)) == "news.example")", e));
}

TEST(RuleEval, RulesAreIndexedByEventKind) {
  auto rules = load_ok(R"(
- detection: access-only
  title: A
  severity: low
  condition: event.kind == "access" and exists(user.id)
- detection: email-only
  title: E
  severity: low
  condition: event.kind in ("email") and exists(user.id)
- detection: both
  title: B
  severity: low
  condition: exists(user.id)
- detection: not-email
  title: N
  severity: low
  condition: not (event.kind == "email" or user.id == "x")
)");
  ASSERT_TRUE(rules);
  std::map<std::string, RuleInfo> info;
  for (const auto& r : rules->rules()) info[r.id] = r;
  EXPECT_TRUE(info["access-only"].on_access);
  EXPECT_FALSE(info["access-only"].on_email);
  EXPECT_FALSE(info["email-only"].on_access);
  EXPECT_TRUE(info["email-only"].on_email);
  EXPECT_TRUE(info["both"].on_access && info["both"].on_email);
  EXPECT_TRUE(info["not-email"].on_access);
  EXPECT_FALSE(info["not-email"].on_email);
  TestReference ref;
  EXPECT_EQ(matching(*rules, email({{FieldId::user_id, "pc1"}}), ref),
            (std::vector<std::string>{"email-only", "both"}));
}

TEST(RuleEval, RendersAlertTemplateAndShownFields) {
  TestReference ref;
  ref.add_staff(staff_record("pc1", "Smith"));
  auto rules = load_ok(R"(
- detection: lookup
  title: Look-up
  severity: high
  tags: [association]
  condition: event.kind == "access"
  alert: "{user.id} ({staff(user.id).surname}) looked up {subject.id} on {source.system} {{literal}}"
  fields: [user.id, subject.id, result.count]
)");
  ASSERT_TRUE(rules);
  auto e = access({{FieldId::user_id, "pc1"}, {FieldId::subject_id, "P9"}});
  std::vector<Match> out;
  rules->evaluate(e, ref, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, "pc1 (Smith) looked up P9 on - {literal}");
  EXPECT_EQ(out[0].severity, Severity::high);
  EXPECT_EQ(out[0].tags, std::vector<std::string>{"association"});
  EXPECT_EQ(out[0].rule_version.size(), 16u);
  ASSERT_EQ(out[0].shown_fields.size(), 3u);
  EXPECT_EQ(out[0].shown_fields[1], (std::pair<std::string, std::string>{"subject.id", "P9"}));
  EXPECT_EQ(out[0].shown_fields[2].second, "-");
}

TEST(RuleEval, MatchesMarkWhereTheMessageAndFieldsNamePeople) {
  TestReference ref;
  ref.add_staff(staff_record("pc1", "Smith"));
  const char* yaml = R"(
- detection: lookup
  title: Look-up
  severity: high
  condition: event.kind == "access"
  alert: "{user.id} ({staff(user.id).surname}, {staff(user.id).vetting.level}) saw {subject.name} as {lower(user.account)} on {source.system}"
  fields: [user.id, subject.id, staff(user.id).role, raw.usr]
)";
  LoadReport report;
  auto rules = load_rules_from_string(yaml, "rules.yaml", {}, report);
  ASSERT_TRUE(rules) << report.format();
  // Both personal values are flagged at load: they will read [withheld] in mail.
  const std::string text = report.format();
  std::size_t warnings = 0;
  for (auto at = text.find("rules.withheld_value"); at != std::string::npos;
       at = text.find("rules.withheld_value", at + 1))
    ++warnings;
  EXPECT_EQ(warnings, 2u) << text;
  auto e = access({{FieldId::user_id, "pc1"},
                   {FieldId::user_account, "PSmith"},
                   {FieldId::subject_name, "Ann Lee"},
                   {FieldId::source_system, "PNC"}});
  std::vector<Match> out;
  rules->evaluate(e, ref, out);
  ASSERT_EQ(out.size(), 1u);
  const Match& m = out[0];
  std::vector<std::pair<std::string, event::Identity>> marked;
  for (const auto& span : m.message_identities)
    marked.emplace_back(m.message.substr(span.offset, span.length), span.identity);
  EXPECT_EQ(marked, (std::vector<std::pair<std::string, event::Identity>>{
                        {"pc1", event::Identity::staff},
                        {"Smith", event::Identity::personal},
                        {"Ann Lee", event::Identity::subject},
                        {"psmith", event::Identity::personal}}));
  EXPECT_EQ(m.field_identities,
            (std::vector<event::Identity>{event::Identity::staff, event::Identity::none,
                                          event::Identity::personal, event::Identity::personal}));
}

TEST(RuleEval, MatchesCarryTheReferenceDataTheyUsed) {
  TestReference ref;
  ref.add_staff(staff_record("pc1", "Smith", VettingLevel::nppv2))
      .require_vetting("PNC", VettingLevel::nppv3)
      .associate("pc1", "p9", state::AssociationKind::media)
      .add_list("watch", {"p9"});
  LoadOptions options;
  options.reference = &ref.memory();
  auto rules = load_ok(R"(- detection: r
  title: T
  severity: high
  condition: >
    staff(user.id).vetting.level < system_vetting(source.system)
    and associated(user.id, subject.id, "media") and subject.id in list("watch")
    and staff(user.id).vetting.level != "DV"
)",
                       options);
  ASSERT_TRUE(rules);
  std::vector<Match> out;
  rules->evaluate(access({{FieldId::user_id, "pc1"},
                          {FieldId::source_system, "PNC"},
                          {FieldId::subject_id, "P9"}}),
                  ref, out);
  ASSERT_EQ(out.size(), 1u);
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(out[0].lookups, (std::vector<Pair>{
                                {"staff(user.id).vetting.level", "NPPV2"},
                                {"system_vetting(source.system)", "NPPV3"},
                                {"associated(user.id, subject.id, \"media\")", "true"},
                                {"subject.id in list(\"watch\")", "true"},
                            }));
}

TEST(RuleEval, MatchesCarryTheRulesDescriptionAndGuidanceAfterOverrides) {
  auto rules = load_ok(R"(- detection: r
  title: T
  description: Why it matters.
  guidance: Check the register first.
  severity: low
  condition: exists(user.id)
- detection: r
  guidance: Check the CAD incident, then the register.
  override: {guidance: replace}
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  std::vector<Match> out;
  rules->evaluate(access({{FieldId::user_id, "pc1"}}), ref, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].description, "Why it matters.");
  EXPECT_EQ(out[0].guidance, "Check the CAD incident, then the register.");
  EXPECT_EQ(rules->rules()[0].guidance, "Check the CAD incident, then the register.");
}

TEST(RuleEval, EveryMatchingRuleFiresInLoadOrder) {
  auto rules = load_ok(R"(
- detection: first
  title: F
  severity: low
  condition: exists(user.id)
- detection: second
  title: S
  severity: low
  condition: user.id startswith "pc"
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  EXPECT_EQ(matching(*rules, access({{FieldId::user_id, "pc1"}}), ref),
            (std::vector<std::string>{"first", "second"}));
}

TEST(RuleEval, ExplainShowsEachConditionNode) {
  auto rules = load_ok(rule(R"(action == "view" and not (outcome == "denied"))"));
  ASSERT_TRUE(rules);
  TestReference ref;
  const std::string text =
      rules->explain("r", access({{FieldId::action, "view"}, {FieldId::outcome, "denied"}}), ref);
  EXPECT_EQ(text,
            "rule r: does not match\n"
            "  false  action == \"view\" and not outcome == \"denied\"\n"
            "    true   action == \"view\"\n"
            "    false  not outcome == \"denied\"\n"
            "      true   outcome == \"denied\"\n");
}

TEST(RuleEval, TimeArithmeticWithDurations) {
  TestReference ref;
  auto rec = staff_record("pc1", "Smith");
  rec.vetting.expires = *event::parse_time("2026-03-10T00:00:00Z");
  rec.vetting.granted = *event::parse_time("2016-03-10T00:00:00Z");
  ref.add_staff(rec);
  event::Event e = access({{FieldId::user_id, "pc1"}});
  e.set(FieldId::event_time, *event::parse_time("2026-03-01T00:00:00Z"));
  e.set(FieldId::result_count, std::int64_t{5});
  EXPECT_TRUE(holds("staff(user.id).vetting.expires < event.time + 30d", e, ref));
  EXPECT_FALSE(holds("staff(user.id).vetting.expires < event.time + 1w", e, ref));
  EXPECT_TRUE(holds("event.time - staff(user.id).vetting.granted > 52w", e, ref));
  EXPECT_TRUE(holds(R"(event.time > "2026-02-01" + 3w)", e, ref));
  EXPECT_TRUE(holds("result.count - 10 == -5", e, ref));
  EXPECT_FALSE(holds("staff(user.id).vetting.expires < event.time + 30d",
                     access({{FieldId::user_id, "pc1"}}), ref));  // no event time
}

TEST(RuleEval, RejectsArithmeticOnMismatchedTypes) {
  const std::string out = load_errors(
      "- detection: r\n  title: T\n  severity: low\n  condition: event.time + 5 > event.time\n");
  EXPECT_EQ(out.substr(0, out.find('\n')),
            "rules.yaml:4:14: error[rules.type]: cannot compute 'event.time + 5': time + integer");
}

TEST(RuleEval, AllAndAnyRangeOverOneList) {
  event::Event e(event::Kind::email);
  e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.PDF", "b.pdf"});
  EXPECT_TRUE(holds(R"(all(email.attachments.names endswith ".pdf"))", e));
  EXPECT_TRUE(holds(R"(any(email.attachments.names startswith "b"))", e));
  EXPECT_FALSE(holds(R"(all(email.attachments.names startswith "a"))", e));
  EXPECT_TRUE(holds(
      R"(all(email.attachments.names endswith ".pdf" and not (email.attachments.names contains "secret")))",
      e));
  EXPECT_FALSE(holds(R"(all(email.attachments.names endswith ".pdf"))", email({})));
  TestReference ref;
  auto rec = staff_record("pc1", "Smith");
  rec.emails = {"a@force.police.uk", "b@force.police.uk"};
  ref.add_staff(rec);
  EXPECT_TRUE(holds(R"(all(staff(user.id).emails endswith "police.uk"))",
                    email({{FieldId::user_id, "pc1"}}), ref));
}

TEST(RuleEval, RejectsAllWithoutOrWithTwoLists) {
  EXPECT_NE(load_errors(rule(R"(all(user.id == "x"))")).find("all() needs a list inside"),
            std::string::npos);
  EXPECT_NE(load_errors(rule(R"(any(email.attachments.names == staff(user.id).emails))"))
                .find("error[rules.type]"),
            std::string::npos);
  EXPECT_NE(load_errors(rule(R"(all(any(email.attachments.names == "x")))"))
                .find("all() and any() cannot be nested"),
            std::string::npos);
}

TEST(RuleSetCosts, CountsEachDetectionsMatchesAndTimesOneEventIn64) {
  auto rules = load_ok(
      "- detection: query\n  title: Q\n  severity: low\n  condition: action == \"query\"\n"
      "- detection: mail\n  title: M\n  severity: low\n"
      "  condition: event.kind == \"email\" and email.to.domain == \"news.example\"\n");
  ASSERT_TRUE(rules);
  const TestReference ref;
  std::vector<Match> out;
  for (int i = 0; i < 130; ++i)
    rules->evaluate(
        access({{FieldId::user_id, "pc1"}, {FieldId::action, i % 2 ? "view" : "query"}}), ref, out);
  const auto costs = rules->detection_costs();
  ASSERT_EQ(costs.size(), 2u);
  EXPECT_EQ(costs[0].rule_id, "query");
  EXPECT_EQ(costs[0].matches, 65u);
  EXPECT_EQ(costs[0].sampled, 3u);  // events 0, 64 and 128
  EXPECT_GT(costs[0].sampled_ns, 0u);
  EXPECT_EQ(costs[1].rule_id, "mail");  // never evaluated for access events
  EXPECT_EQ(costs[1].matches, 0u);
  EXPECT_EQ(costs[1].sampled, 0u);
}

// A macro's expansion is evaluated once per event however many rules use it (the pack's
// is_record_access is in twenty), and again for the next event.
TEST(RuleEval, AMacroIsEvaluatedOncePerEventHoweverManyRulesUseIt) {
  auto rules = load_ok(R"(- macro: watched
  condition: subject.id in list("watch")
- detection: viewed
  title: T
  severity: low
  condition: watched and action == "view"
- detection: any-action
  title: T
  severity: low
  condition: exists(action) and watched
- detection: not-queried
  title: T
  severity: low
  condition: not (watched and action == "query")
)");
  ASSERT_TRUE(rules);
  TestReference data;
  data.add_list("watch", {"P1"});
  CountingReference ref(data);
  EXPECT_EQ(matching(*rules, access({{FieldId::action, "view"}, {FieldId::subject_id, "P1"}}), ref),
            (std::vector<std::string>{"viewed", "any-action", "not-queried"}));
  EXPECT_EQ(ref.calls(), 1);
  EXPECT_EQ(
      matching(*rules, access({{FieldId::action, "query"}, {FieldId::subject_id, "P1"}}), ref),
      (std::vector<std::string>{"any-action"}));
  EXPECT_EQ(ref.calls(), 2);
  EXPECT_EQ(matching(*rules, access({{FieldId::action, "view"}, {FieldId::subject_id, "P2"}}), ref),
            (std::vector<std::string>{"not-queried"}));
  EXPECT_EQ(ref.calls(), 3);
}

// Inside any() and all() a macro may stand for each list element in turn: its result is not
// kept from one element to the next, nor from one of those to a use outside.
TEST(RuleEval, AMacroOverAListsElementsIsEvaluatedForEachElement) {
  auto rules = load_ok(R"(- macro: pdf
  condition: email.attachments.names endswith ".pdf"
- detection: some-pdf
  title: T
  severity: low
  condition: any(pdf)
- detection: all-pdf
  title: T
  severity: low
  condition: all(pdf)
- detection: plain
  title: T
  severity: low
  condition: pdf
)");
  ASSERT_TRUE(rules);
  event::Event e(event::Kind::email);
  e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.doc", "b.PDF"});
  EXPECT_EQ(matching(*rules, e, TestReference{}), (std::vector<std::string>{"some-pdf", "plain"}));
  e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.pdf", "b.pdf"});
  EXPECT_EQ(matching(*rules, e, TestReference{}),
            (std::vector<std::string>{"some-pdf", "all-pdf", "plain"}));
}
