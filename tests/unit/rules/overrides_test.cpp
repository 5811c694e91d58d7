// Overrides files (LoadOptions::override_paths): exceptions and suppression added to rules
// without editing them, validated as the rule files are (file:line:col in the overrides
// file), applied in order, and counted per exception.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

namespace {

const char* kPack = R"(- detection: associate-lookup
  title: Associate looked up
  severity: high
  condition: event.kind == "access" and action == "view"
  suppress: {by: [user.id], for: 1h}
- detection: associate-email
  title: Associate emailed
  severity: medium
  condition: event.kind == "email"
- correlation: views-then-email
  title: View then email
  severity: high
  sequence: {by: user.id, within: 1h, steps: [associate-lookup, associate-email]}
)";

// A fresh directory per test, removed with it.
class Overrides : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("probity-overrides-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  LoadOptions with(std::vector<std::filesystem::path> paths) {
    LoadOptions o;
    o.override_paths = std::move(paths);
    return o;
  }
  std::string name(const std::string& file) { return (dir_ / file).string(); }

  std::filesystem::path dir_;
};

event::Timestamp at(const std::string& text) { return *event::parse_time(text); }

event::Event view(const std::string& user, const std::string& subject,
                  const std::string& time = "2026-03-02T09:00:00Z") {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::subject_id, subject);
  e.set(event::FieldId::action, std::string("view"));
  e.set(event::FieldId::event_time, at(time));
  return e;
}

const char* kFlo = R"(overrides:
  - rule: associate-lookup
    exceptions:
      - id: flo-kestrel
        owner: psd-analyst-jones
        reason: family liaison officer, PSD-1412
        expires: 2026-09-30T00:00:00Z
        condition: user.id == "pc4567" and subject.id == "P1234"
)";

}  // namespace

TEST_F(Overrides, AnExceptionDropsTheMatchesItCoversAndIsCounted) {
  const auto rules = load_ok(kPack, with({write("overrides.yaml", kFlo)}));
  TestReference ref;
  EXPECT_TRUE(matching(*rules, view("pc4567", "P1234"), ref).empty());
  EXPECT_TRUE(matching(*rules, view("PC4567", "p1234"), ref).empty());  // text compares ignore case
  EXPECT_EQ(matching(*rules, view("pc4567", "P9999"), ref),
            std::vector<std::string>{"associate-lookup"});
  EXPECT_EQ(matching(*rules, view("pc1111", "P1234"), ref),
            std::vector<std::string>{"associate-lookup"});
  const auto exceptions = rules->exceptions();
  ASSERT_EQ(exceptions.size(), 1u);
  EXPECT_EQ(exceptions[0].rule_id, "associate-lookup");
  EXPECT_EQ(exceptions[0].id, "flo-kestrel");
  EXPECT_EQ(exceptions[0].owner, "psd-analyst-jones");
  EXPECT_EQ(exceptions[0].dropped, 2u);
  EXPECT_EQ(exceptions[0].pos.file, name("overrides.yaml"));
  EXPECT_EQ(exceptions[0].pos.line, 4u);
  EXPECT_EQ(rules->excepted(), 2u);
}

TEST_F(Overrides, AnExpiredExceptionStopsApplyingOnTheEventsTime) {
  const auto rules = load_ok(kPack, with({write("overrides.yaml", kFlo)}));
  TestReference ref;
  EXPECT_TRUE(matching(*rules, view("pc4567", "P1234", "2026-09-29T23:59:59Z"), ref).empty());
  EXPECT_EQ(matching(*rules, view("pc4567", "P1234", "2026-09-30T00:00:00Z"), ref).size(), 1u);
  EXPECT_EQ(rules->exceptions(at("2026-10-01T00:00:00Z")).size(), 1u);  // the expired gauge
}

TEST_F(Overrides, AnExceptionLongExpiredIsReportedAtItsPlace) {
  LoadReport report;
  const auto rules =
      load_rules_from_string(kPack, "rules.yaml", with({write("overrides.yaml", R"(overrides:
  - rule: associate-lookup
    exceptions:
      - {id: old, owner: psd, reason: ended, expires: 2020-01-01T00:00:00Z, condition: user.id == "x"}
)")}),
                             report);
  ASSERT_TRUE(rules) << report.format();
  EXPECT_NE(report.format().find(name("overrides.yaml") +
                                 ":4:9: warning[rules.exception_expired]: exception 'old' of "
                                 "'associate-lookup' (owner psd) expired on"),
            std::string::npos)
      << report.format();
}

TEST_F(Overrides, LeaveTheRulesVersionAlone) {
  const auto plain = load_ok(kPack);
  const auto tuned = load_ok(kPack, with({write("overrides.yaml", kFlo)}));
  const auto a = plain->rules();
  const auto b = tuned->rules();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].version, b[i].version) << a[i].id;
}

TEST_F(Overrides, AnUnknownRuleIsAnErrorAtItsRuleKeyWithASuggestion) {
  const auto out = load_errors(kPack, with({write("overrides.yaml", R"(overrides:
  - rule: associate-lookups
    exceptions: [{id: a, owner: b, reason: c, condition: user.id == "x"}]
)")}));
  EXPECT_EQ(out, name("overrides.yaml") +
                     ":2:11: error[rules.override_unknown]: override: no rule has the id "
                     "'associate-lookups'\n"
                     "    - rule: associate-lookups\n"
                     "            ^^^^^^^^^^^^^^^^^\n"
                     "  hint: did you mean 'associate-lookup'?\n");
}

TEST_F(Overrides, AGlobAppliesToEveryRuleItMatchesAndMustMatchOne) {
  const auto rules = load_ok(kPack, with({write("overrides.yaml", R"(overrides:
  - rule: associate-*
    exceptions: [{id: trainer, owner: psd, reason: training suite, condition: user.id == "train1"}]
)")}));
  TestReference ref;
  EXPECT_TRUE(matching(*rules, view("train1", "P1"), ref).empty());
  EXPECT_EQ(rules->exceptions().size(), 2u);  // both detections; the correlation takes none

  const auto out = load_errors(kPack, with({write("none.yaml", R"(overrides:
  - rule: pnc-*
    suppress: {for: 1h}
)")}));
  EXPECT_NE(out.find(name("none.yaml") +
                     ":2:11: error[rules.override_unknown]: override: no rule id matches 'pnc-*'"),
            std::string::npos)
      << out;
}

TEST_F(Overrides, ABadConditionIsAnErrorInTheOverridesFile) {
  const auto path = write("overrides.yaml", R"(overrides:
  - rule: associate-lookup
    exceptions:
      - id: typo
        owner: psd
        reason: testing
        condition: user.idd == "x"
  - rule: associate-email
    exceptions:
      - {id: broken, owner: psd, reason: testing, condition: user.id = "x"}
)");
  const auto out = load_errors(kPack, with({path}));
  EXPECT_NE(out.find(name("overrides.yaml") +
                     ":7:20: error[rules.unknown_field]: unknown field 'user.idd'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(name("overrides.yaml") + ":10:70: error[rules.syntax]: unexpected '='"),
            std::string::npos)
      << out;
}

TEST_F(Overrides, ExceptionsNeedTheirAuditKeys) {
  const auto out = load_errors(kPack, with({write("overrides.yaml", R"(overrides:
  - rule: associate-lookup
    exceptions: [{id: a, reason: c, condition: user.id == "x"}]
)")}));
  EXPECT_NE(out.find("error[rules.missing_key]: an exception needs 'owner'"), std::string::npos)
      << out;
}

TEST_F(Overrides, ACorrelationTakesNoExceptionsAndTheHintNamesItsInputs) {
  const auto out = load_errors(kPack, with({write("overrides.yaml", R"(overrides:
  - rule: views-then-email
    exceptions: [{id: a, owner: b, reason: c, condition: user.id == "x"}]
)")}));
  EXPECT_NE(out.find("error[rules.bad_override]: correlation 'views-then-email' takes no "
                     "exceptions"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("(associate-lookup, associate-email)"), std::string::npos) << out;
}

TEST_F(Overrides, AnExceptionIdMayNotRepeatOnOneRule) {
  const auto out = load_errors(kPack, with({write("a.yaml", kFlo), write("b.yaml", kFlo)}));
  EXPECT_NE(out.find(name("b.yaml") +
                     ":4:9: error[rules.duplicate_id]: exception 'flo-kestrel' "
                     "of 'associate-lookup' is already defined at " +
                     name("a.yaml") + ":4:9"),
            std::string::npos)
      << out;
}

TEST_F(Overrides, SuppressReplacesTheRulesOwn) {
  const auto rules = std::shared_ptr<const RuleSet>(load_ok(kPack, with({write("o.yaml", R"(
overrides:
  - rule: associate-lookup
    suppress: {by: [user.id, subject.id], for: 24h}
)")})));
  CorrelationEngine engine(rules);
  TestReference ref;
  auto feed = [&](const event::Event& e) {
    std::vector<Match> out;
    rules->evaluate(e, ref, out);
    engine.process(e, ref, out);
    for (const auto& m : out)
      if (m.rule_id == "associate-lookup") return m.repeat;
    ADD_FAILURE() << "no match";
    return std::uint64_t{99};
  };
  EXPECT_EQ(feed(view("pc1", "P1", "2026-03-02T09:00:00Z")), 0u);
  EXPECT_EQ(feed(view("pc1", "P2", "2026-03-02T09:01:00Z")), 0u);  // by subject too now
  EXPECT_EQ(feed(view("pc1", "P1", "2026-03-02T20:00:00Z")), 1u);  // within 24h, not 1h
}

TEST_F(Overrides, TheFilesShapeIsChecked) {
  auto first_error = [&](const std::string& text) {
    const auto out = load_errors(kPack, with({write("o.yaml", text)}));
    return out.substr(0, out.find('\n'));
  };
  EXPECT_EQ(
      first_error("- detection: associate-lookup\n  enabled: false\n"),
      name("o.yaml") + ":1:1: error[rules.bad_file]: an overrides file is a map with 'overrides:'");
  EXPECT_EQ(first_error("overide: []\n"),
            name("o.yaml") +
                ":1:1: error[rules.unknown_key]: unknown key 'overide' in an "
                "overrides file");
  EXPECT_EQ(first_error("overrides:\n  - exceptions: []\n"),
            name("o.yaml") +
                ":2:5: error[rules.missing_key]: an override needs 'rule:', the "
                "rule id or a glob");
  EXPECT_EQ(first_error("overrides:\n  - rule: associate-lookup\n    severity: low\n"),
            name("o.yaml") +
                ":3:5: error[rules.unknown_key]: unknown key 'severity' in an "
                "override");
  EXPECT_EQ(first_error("overrides:\n  - rule: associate-lookup\n"),
            name("o.yaml") +
                ":2:11: error[rules.bad_override]: override of 'associate-lookup' "
                "changes nothing: give exceptions: or suppress:");
  EXPECT_EQ(first_error("overrides:\n  - rule: associate-lookup\n    suppress: {for: soon}\n"),
            name("o.yaml") + ":3:21: error[rules.bad_value]: 'for' must be a positive duration");
}

TEST_F(Overrides, AMissingPathIsAnErrorAndAnEmptyFileIsNone) {
  const auto out = load_errors(kPack, with({dir_ / "absent.yaml"}));
  EXPECT_NE(out.find("error[rules.io]"), std::string::npos) << out;
  EXPECT_NE(out.find("no such file or directory"), std::string::npos) << out;
  EXPECT_TRUE(load_ok(kPack, with({write("empty.yaml", "")})));
  EXPECT_TRUE(load_ok(kPack, with({write("no-entries.yaml", "overrides:\n")})));
}

TEST_F(Overrides, ADirectoryLoadsItsYamlFilesByName) {
  std::filesystem::create_directories(dir_ / "d");
  write("d/20-later.yaml", R"(overrides:
  - rule: associate-lookup
    suppress: {for: 2h}
    exceptions: [{id: b, owner: psd, reason: second, condition: user.id == "pc2"}]
)");
  write("d/10-first.yaml", R"(overrides:
  - rule: associate-lookup
    exceptions: [{id: a, owner: psd, reason: first, condition: user.id == "pc1"}]
)");
  write("d/notes.txt", "not read");
  const auto rules = load_ok(kPack, with({dir_ / "d"}));
  const auto exceptions = rules->exceptions();
  ASSERT_EQ(exceptions.size(), 2u);
  EXPECT_EQ(exceptions[0].id, "a");
  EXPECT_EQ(exceptions[1].id, "b");
}

TEST_F(Overrides, ExplainSaysWhichExceptionDroppedTheMatch) {
  const auto rules = load_ok(kPack, with({write("overrides.yaml", kFlo)}));
  TestReference ref;
  const std::string out = rules->explain("associate-lookup", view("pc4567", "P1234"), ref);
  EXPECT_NE(out.find("rule associate-lookup: matches\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  dropped by exception 'flo-kestrel' (owner psd-analyst-jones, " +
                     name("overrides.yaml") + ":4): family liaison officer, PSD-1412\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("alert:"), std::string::npos) << out;
  EXPECT_EQ(rules->exceptions()[0].dropped, 0u);  // explaining counts nothing
}
