// Loading: the passes' diagnostics with exact file:line:col, overrides, macros, options.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

namespace {

// The first line of a formatted report.
std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

LoadReport load_report(std::string_view yaml, const LoadOptions& options = {}) {
  LoadReport report;
  load_rules_from_string(yaml, "rules.yaml", options, report);
  return report;
}

}  // namespace

TEST(RuleParser, ReportsUnknownFieldWithPosition) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: event.kind == "access" and user.idd == "x"
)");
  EXPECT_EQ(out,
            "rules.yaml:4:41: error[rules.unknown_field]: unknown field 'user.idd'\n"
            "    condition: event.kind == \"access\" and user.idd == \"x\"\n"
            "                                          ^^^^^^^^\n"
            "  hint: did you mean 'user.id'?\n");
}

TEST(RuleParser, MapsPositionsInsideQuotedScalars) {
  const std::string out = load_errors(R"Y(- detection: r
  title: T
  severity: low
  condition: "action == \"view\" and bogus(1)"
)Y");
  EXPECT_EQ(first_line(out),
            "rules.yaml:4:38: error[rules.unknown_function]: unknown function 'bogus'");
}

TEST(RuleParser, MapsPositionsInsideBlockScalars) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: >
    action == "view"
    and outcome = "denied"
)");
  EXPECT_EQ(first_line(out), "rules.yaml:6:17: error[rules.syntax]: unexpected '='");
  EXPECT_NE(out.find("hint: comparison is written '=='"), std::string::npos) << out;
}

TEST(RuleParser, MapsPositionsInsideMultiLinePlainScalars) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: action == "view"
    and staff(user.id).vetting.levl < "SC"
)");
  EXPECT_EQ(first_line(out),
            "rules.yaml:5:9: error[rules.unknown_member]: a staff record has no member "
            "'vetting.levl'");
  EXPECT_NE(out.find("did you mean 'vetting.level'?"), std::string::npos) << out;
}

TEST(RuleLoader, ReportsYamlSyntaxErrorsWithTheirMark) {
  const std::string out = load_errors("- detection: r\n  title: [unclosed\n");
  EXPECT_EQ(out.substr(0, 15), "rules.yaml:3:1:");
  EXPECT_NE(out.find("error[yaml.parse]"), std::string::npos) << out;
}

TEST(RuleLoader, ReportsUnknownKeyWithHint) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  when: exists(user.id)
)");
  EXPECT_NE(out.find("rules.yaml:4:3: error[rules.unknown_key]: unknown key 'when' in a detection\n"
                     "    when: exists(user.id)\n"
                     "    ^^^^\n"
                     "  hint: did you mean 'condition'?\n"),
            std::string::npos)
      << out;
  // The broken item is dropped whole, so no cascade of "missing condition" errors.
  EXPECT_EQ(out.find("error[rules.missing_key]"), std::string::npos) << out;
}

TEST(RuleLoader, ReportsMissingRequiredKeys) {
  const std::string out = load_errors("- detection: r\n  condition: exists(user.id)\n");
  EXPECT_EQ(out,
            "rules.yaml:1:14: error[rules.missing_key]: detection 'r' has no 'title'\n"
            "  - detection: r\n"
            "               ^\n"
            "rules.yaml:1:14: error[rules.missing_key]: detection 'r' has no 'severity'\n"
            "  - detection: r\n"
            "               ^\n");
}

TEST(RuleLoader, ReportsBadSeverity) {
  const std::string out =
      load_errors("- detection: r\n  title: T\n  severity: urgent\n  condition: exists(user.id)\n");
  EXPECT_EQ(first_line(out), "rules.yaml:3:13: error[rules.bad_value]: unknown severity 'urgent'");
}

TEST(RuleLoader, ReportsDuplicateIdsWithFirstDefinition) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: exists(user.id)
- detection: r
  title: T2
  severity: low
  condition: exists(user.id)
)");
  EXPECT_EQ(first_line(out),
            "rules.yaml:5:14: error[rules.duplicate_id]: detection 'r' is defined twice");
  EXPECT_NE(out.find("first defined at rules.yaml:1:14"), std::string::npos) << out;
}

TEST(RuleLoader, RejectsCorrelationWithoutAType) {
  const std::string out = load_errors(R"(- correlation: seq
  title: T
)");
  EXPECT_EQ(first_line(out),
            "rules.yaml:1:16: error[rules.bad_item]: correlation 'seq' has no type");
}

TEST(RuleLoader, ReportsTypeMismatch) {
  const std::string out = load_errors(
      "- detection: r\n  title: T\n  severity: low\n  condition: result.count == \"many\"\n");
  EXPECT_EQ(first_line(out),
            "rules.yaml:4:14: error[rules.type]: cannot compare 'result.count' (integer) with "
            "'\"many\"' (string)");
}

TEST(RuleLoader, ReportsNonBooleanCondition) {
  const std::string out =
      load_errors("- detection: r\n  title: T\n  severity: low\n  condition: user.id\n");
  EXPECT_EQ(first_line(out),
            "rules.yaml:4:14: error[rules.type]: a condition must be true or false, but "
            "'user.id' is a string");
}

TEST(RuleLoader, ReportsWrongArity) {
  const std::string out = load_errors(
      "- detection: r\n  title: T\n  severity: low\n  condition: associated(user.id)\n");
  EXPECT_EQ(first_line(out),
            "rules.yaml:4:14: error[rules.arity]: 'associated' takes 2 to 11 arguments, got 1");
}

TEST(RuleLoader, ReportsBadRegexAtLoad) {
  const std::string out = load_errors(
      "- detection: r\n  title: T\n  severity: low\n  condition: subject.name matches \"a(b\"\n");
  EXPECT_EQ(first_line(out),
            "rules.yaml:4:36: error[rules.bad_regex]: bad regular expression: missing ): a(b");
}

TEST(RuleLoader, ReportsBadTimeAndVettingLiterals) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: event.time > "yesterday" or staff(user.id).vetting.level < "NPPV9"
)");
  EXPECT_NE(out.find("rules.yaml:4:27: error[rules.bad_literal]: not a time: \"yesterday\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("rules.yaml:4:73: error[rules.bad_literal]: unknown vetting level \"NPPV9\""),
            std::string::npos)
      << out;
}

TEST(RuleLoader, ReportsUnknownStateListOnlyWithReference) {
  const std::string yaml =
      "- detection: r\n  title: T\n  severity: low\n"
      "  condition: email.to.domain in list(\"media_domain\")\n";
  load_ok(yaml);  // without reference data the list is looked up at run time
  TestReference ref;
  ref.add_list("media_domains", {"news.example"});
  LoadOptions options;
  options.reference = &ref.memory();
  const std::string out = load_errors(yaml, options);
  EXPECT_EQ(first_line(out),
            "rules.yaml:4:38: error[rules.unknown_list]: unknown list \"media_domain\"");
}

TEST(RuleLoader, RejectsRuleFileListThatShadowsStateList) {
  TestReference ref;
  ref.add_list("media_domains", {"news.example"});
  LoadOptions options;
  options.reference = &ref.memory();
  const std::string out = load_errors(R"(- list: media_domains
  items: [x.example]
- detection: r
  title: T
  severity: low
  condition: email.to.domain in list("media_domains")
)",
                                      options);
  EXPECT_EQ(first_line(out),
            "rules.yaml:1:9: error[rules.list_conflict]: list 'media_domains' is defined both in "
            "this rule file and in state");
}

TEST(RuleLoader, ExpandsMacrosAndWarnsAboutUnusedOnes) {
  LoadReport report;
  auto rules = load_rules_from_string(R"(- macro: is_lookup
  condition: event.kind == "access" and action in ("query", "view")
- macro: unused
  condition: exists(user.id)
- list: unused_list
  items: [a]
- detection: r
  title: T
  severity: low
  condition: is_lookup and outcome == "success"
)",
                                      "rules.yaml", {}, report);
  ASSERT_TRUE(rules) << report.format();
  EXPECT_EQ(report.format(),
            "rules.yaml:3:10: warning[rules.unused_macro]: macro 'unused' is never used\n"
            "  - macro: unused\n"
            "           ^^^^^^\n"
            "rules.yaml:5:9: warning[rules.unused_list]: list 'unused_list' is never used\n"
            "  - list: unused_list\n"
            "          ^^^^^^^^^^^\n");
  EXPECT_FALSE(rules->rules()[0].on_email);
}

TEST(RuleLoader, ReportsMacroCycles) {
  const std::string out = load_errors(R"(- macro: a
  condition: b and exists(user.id)
- macro: b
  condition: not a
- detection: r
  title: T
  severity: low
  condition: a
)");
  EXPECT_EQ(first_line(out), "rules.yaml:4:18: error[rules.macro_cycle]: macro cycle: a -> b -> a");
}

TEST(RuleLoader, ReportsErrorsInsideMacrosOnceAtTheMacro) {
  const std::string out = load_errors(R"(- macro: m
  condition: user.nme == "x"
- detection: r1
  title: T
  severity: low
  condition: m
- detection: r2
  title: T
  severity: low
  condition: m or exists(user.id)
)");
  EXPECT_EQ(first_line(out),
            "rules.yaml:2:14: error[rules.unknown_field]: unknown field 'user.nme'");
  EXPECT_EQ(out.find("error", 10), out.find("error[rules.unknown_field]"));  // only one error
}

TEST(RuleLoader, OverridesAppendConditionsAndReplaceKeys) {
  auto rules = load_ok(R"(- list: l
  items: [a]
- list: l
  items: [b]
  override: {items: append}
- detection: r
  title: T
  severity: low
  tags: [x]
  condition: user.id in list("l")
- detection: r
  severity: critical
  condition: outcome == "success"
  tags: [y]
  override: {severity: replace, condition: append, tags: append}
)");
  ASSERT_TRUE(rules);
  auto info = rules->rules().at(0);
  EXPECT_EQ(info.severity, Severity::critical);
  EXPECT_EQ(info.tags, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(info.condition, "(user.id in list(\"l\")) and (outcome == \"success\")");
  TestReference ref;
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, std::string("b"));
  EXPECT_TRUE(matching(*rules, e, ref).empty());
  e.set(event::FieldId::outcome, std::string("success"));
  EXPECT_EQ(matching(*rules, e, ref).size(), 1u);
}

TEST(RuleLoader, RejectsOverrideKeysNotListed) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: exists(user.id)
- detection: r
  title: New
  severity: high
  override: {severity: replace}
)");
  EXPECT_NE(out.find("rules.yaml:6:3: error[rules.bad_override]: key 'title' in an override "
                     "item is not listed under override:"),
            std::string::npos)
      << out;
}

TEST(RuleLoader, EnabledOnlyItemTogglesARule) {
  auto rules = load_ok(R"(- detection: r
  title: T
  severity: low
  condition: exists(user.id)
- detection: r
  enabled: false
)");
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->size(), 0u);
  EXPECT_FALSE(rules->rules().at(0).enabled);
}

TEST(RuleLoader, EnabledTakesTheConfigFilesYesNoWords) {
  // base/boolean.h: the rule files and the config share one grammar.
  for (const char* off : {"no", "off", "False", "0"}) {
    auto rules = load_ok(std::string("- detection: r\n  title: T\n  severity: low\n"
                                     "  condition: exists(user.id)\n  enabled: ") +
                         off + "\n");
    ASSERT_TRUE(rules) << off;
    EXPECT_FALSE(rules->rules().at(0).enabled) << off;
  }
  const auto out = load_report(
                       "- detection: r\n  title: T\n  severity: low\n  condition: exists(user.id)\n"
                       "  enabled: maybe\n")
                       .format();
  EXPECT_NE(out.find("'enabled' must be true or false"), std::string::npos) << out;
}

TEST(RuleLoader, DisablesRulesByIdGlobAndTag) {
  const std::string yaml = R"(- detection: pnc-a
  title: T
  severity: low
  condition: exists(user.id)
- detection: mail-b
  title: T
  severity: low
  tags: [noisy]
  condition: exists(user.id)
- detection: other
  title: T
  severity: low
  condition: exists(user.id)
)";
  LoadOptions options;
  options.disabled_ids = {"pnc-*"};
  options.disabled_tags = {"noisy"};
  auto rules = load_ok(yaml, options);
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->size(), 1u);
}

TEST(RuleLoader, VersionChangesWhenAMacroChanges) {
  auto version = [](const std::string& macro) {
    auto rules = load_ok("- macro: m\n  condition: " + macro +
                         "\n- detection: r\n  title: T\n  severity: low\n  condition: m\n");
    return rules ? rules->rules().at(0).version : std::string();
  };
  EXPECT_EQ(version("exists(user.id)"), version("exists(user.id)"));
  EXPECT_NE(version("exists(user.id)"), version("exists(subject.id)"));
}

TEST(RuleLoader, LoadsDirectoriesInNameOrderAndReportsMissingPaths) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("probity-rules-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "b.yaml") << "- detection: r\n  enabled: false\n";
  std::ofstream(dir / "a.yml")
      << "- detection: r\n  title: T\n  severity: low\n  condition: exists(user.id)\n";
  std::ofstream(dir / "notes.txt") << "not yaml: [";
  LoadReport report;
  auto rules = load_rules({dir}, {}, report);
  ASSERT_TRUE(rules) << report.format();
  EXPECT_EQ(rules->size(), 0u);  // b.yaml (after a.yml) disabled it
  LoadReport missing;
  EXPECT_FALSE(load_rules({dir / "nope.yaml"}, {}, missing));
  EXPECT_EQ(first_line(missing.format()),
            (dir / "nope.yaml").string() + ": error[rules.io]: no such file or directory");
  fs::remove_all(dir);
}

TEST(RuleLoader, TextsInMemoryLoadAsTheFilesTheyWereReadFrom) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("probity-rule-texts-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "b.yaml") << "- detection: r\n  enabled: false\n";
  std::ofstream(dir / "a.yaml")
      << "- detection: r\n  title: T\n  severity: low\n  condition: exists(user.idd)\n";
  LoadReport read;
  auto texts = read_rule_files({dir, dir / "nope.yaml"}, read);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0].name, (dir / "a.yaml").string());
  EXPECT_EQ(read.error_count(), 1u);  // nope.yaml; the directory was still read
  // Positions name the file the text came from; an edited text loads as edited.
  LoadReport report;
  EXPECT_FALSE(load_rules_from_texts(texts, {}, report));
  EXPECT_EQ(first_line(report.format()), (dir / "a.yaml").string() +
                                             ":4:21: error[rules.unknown_field]: unknown field "
                                             "'user.idd'");
  texts[0].text.replace(texts[0].text.find("user.idd"), 8, "user.id");
  LoadReport fixed;
  auto rules = load_rules_from_texts(texts, {}, fixed);
  ASSERT_TRUE(rules) << fixed.format();
  EXPECT_EQ(rules->size(), 0u);  // b.yaml still disables it
  fs::remove_all(dir);
}

TEST(RuleLoader, CollectsAllProblemsInOneReport) {
  const LoadReport report = load_report(R"(- detection: a
  title: T
  severity: low
  condition: user.idd == "x"
- detection: b
  title: T
  severity: low
  condition: bogus(user.id)
- list: l
  itemz: [a]
)");
  EXPECT_EQ(report.error_count(), 3u) << report.format();
}

TEST(RuleLoader, WarnsAboutFieldsTheRuleKindsNeverCarry) {
  LoadReport report;
  auto rules = load_rules_from_string(R"(- detection: r
  title: T
  severity: low
  condition: event.kind == "email" and source.system == "PNC"
- detection: both
  title: T
  severity: low
  condition: source.system == "PNC" or email.to.domain == "x"
)",
                                      "rules.yaml", {}, report);
  ASSERT_TRUE(rules) << report.format();
  EXPECT_EQ(report.format(),
            "rules.yaml:4:40: warning[rules.field_never_set]: field 'source.system' is never set "
            "on email events\n"
            "    condition: event.kind == \"email\" and source.system == \"PNC\"\n"
            "                                         ^^^^^^^^^^^^^\n"
            "  hint: this test can never see a value; check the field or the rule's event.kind\n");
}
