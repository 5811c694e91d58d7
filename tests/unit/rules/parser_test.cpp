// Parser and lexer behaviour: precedence, literals, and syntax errors with positions.
#include "rules/parser.h"

#include <gtest/gtest.h>

#include "rules/lexer.h"

using namespace probity::rules;

namespace {

std::string parsed(const std::string& text) {
  ScalarText src(nullptr, text, std::string::npos);
  ParseError err;
  auto e = parse_condition(src, err);
  if (!e) return "error@" + std::to_string(err.span.begin) + ": " + err.message;
  return to_text(*e);
}

}  // namespace

TEST(RuleParser, AndBindsTighterThanOr) {
  EXPECT_EQ(parsed("a == 1 or b == 2 and c == 3"), "a == 1 or b == 2 and c == 3");
  EXPECT_EQ(parsed("(a == 1 or b == 2) and c == 3"), "(a == 1 or b == 2) and c == 3");
}

TEST(RuleParser, NotAppliesToTheWholePredicate) {
  EXPECT_EQ(parsed("not user.id contains \"x\""), "not user.id contains \"x\"");
  EXPECT_EQ(parsed("not not exists(user.id)"), "not not exists(user.id)");
}

TEST(RuleParser, ParsesInListsAndNotIn) {
  EXPECT_EQ(parsed("action in (\"query\", 'view')"), "action in (\"query\", \"view\")");
  EXPECT_EQ(parsed("action not in ()"), "action not in ()");
  EXPECT_EQ(parsed("email.to.domain in list(\"media\")"), "email.to.domain in list(\"media\")");
}

TEST(RuleParser, ParsesMemberAccessOnCalls) {
  EXPECT_EQ(parsed("staff(user.id).vetting.level < system_vetting(source.system)"),
            "staff(user.id).vetting.level < system_vetting(source.system)");
}

TEST(RuleParser, ParsesNumbersDurationsAndBooleans) {
  EXPECT_EQ(parsed("result.count >= 100"), "result.count >= 100");
  EXPECT_EQ(parsed("x == 2h and y > -90s and t - 3d > s - 1w"),
            "x == 2h and y > -90s and t - 3d > s - 1w");
  EXPECT_EQ(parsed("staff(user.id).exists == false"), "staff(user.id).exists == false");
}

TEST(RuleParser, KeepsRegexEscapesInStrings) {
  ScalarText src(nullptr, R"(x matches "^\d+\.pdf$" and y == "a\"b")", std::string::npos);
  ParseError err;
  auto e = parse_condition(src, err);
  ASSERT_TRUE(e) << err.message;
  EXPECT_EQ(e->args[0]->args[1]->text, R"(^\d+\.pdf$)");
  EXPECT_EQ(e->args[1]->args[1]->text, "a\"b");
}

TEST(RuleParser, RejectsChainedComparisons) {
  EXPECT_EQ(parsed("a == b == c"),
            "error@7: expected 'and', 'or' or the end of the condition, found '=='");
}

TEST(RuleParser, ReportsSingleEqualsWithHint) {
  ScalarText src(nullptr, "user.id = \"x\"", std::string::npos);
  ParseError err;
  EXPECT_FALSE(parse_condition(src, err));
  EXPECT_EQ(err.span.begin, 8u);
  EXPECT_EQ(err.message, "unexpected '='");
  EXPECT_EQ(err.hint, "comparison is written '=='");
}

TEST(RuleParser, ReportsUnterminatedString) {
  EXPECT_EQ(parsed("a == \"abc"), "error@5: unterminated string");
}

TEST(RuleParser, ReportsEarlyEnd) {
  EXPECT_EQ(parsed("a == 1 and"), "error@10: the condition ends early: expected a value");
  EXPECT_EQ(parsed("(a == 1"), "error@7: expected ')', found end of condition");
}

TEST(RuleParser, ReportsBadDurationUnit) {
  EXPECT_EQ(parsed("x > 10q"), "error@4: bad number or duration '10q'");
}

TEST(RuleLexer, KeepsDottedNamesTogetherAndSplitsMemberDots) {
  std::vector<Token> toks;
  LexError err;
  ASSERT_TRUE(tokenize("staff(user.id).vetting.level", toks, err));
  ASSERT_EQ(toks.size(), 7u);
  EXPECT_EQ(toks[2].text, "user.id");
  EXPECT_EQ(toks[4].kind, Tok::dot);
  EXPECT_EQ(toks[5].text, "vetting.level");
}
