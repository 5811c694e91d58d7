// The diagnostic-code table (rules/diagnostic_codes.h): each code's text is what users, tests
// and docs match, so two codes must never share it, and every row explains itself.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "rules/diagnostic_codes.h"

using namespace probity::rules;

TEST(DiagnosticCodes, AreUnique) {
  std::set<std::string_view> ids;
  for (const CodeInfo& c : kCodes) EXPECT_TRUE(ids.insert(c.id).second) << c.id << " twice";
}

TEST(DiagnosticCodes, AreDottedAndExplained) {
  for (const CodeInfo& c : kCodes) {
    SCOPED_TRACE(std::string(c.id));
    const auto dot = c.id.find('.');
    ASSERT_NE(dot, std::string_view::npos);
    const std::string_view stage = c.id.substr(0, dot);
    EXPECT_TRUE(stage == "rules" || stage == "yaml" || stage == "site");
    EXPECT_EQ(c.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz_.", 0), std::string_view::npos);
    EXPECT_FALSE(c.title.empty());
    EXPECT_FALSE(c.meaning.empty());
    EXPECT_EQ(code_id(c.code), c.id);
  }
}

// The administrators' table of codes (rules/README.md, "Diagnostic codes") is written by
// hand; this keeps it from falling behind the enum.
TEST(DiagnosticCodes, AreAllInTheRulesReadme) {
  std::ifstream in(PROBITY_RULES_README);
  ASSERT_TRUE(in) << PROBITY_RULES_README;
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto section = readme.find("## Diagnostic codes");
  ASSERT_NE(section, std::string::npos);
  const auto end = readme.find("\n## ", section + 1);
  const std::string table = readme.substr(section, end - section);
  for (const CodeInfo& c : kCodes)
    EXPECT_NE(table.find("`" + std::string(c.id) + "`"), std::string::npos)
        << c.id << " is missing from rules/README.md's diagnostic codes";
}
