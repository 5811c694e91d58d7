// Token reduction and containment behind sequence `link:` (rules/link_text.h).
#include "rules/link_text.h"

#include <gtest/gtest.h>

using namespace probity::rules;

namespace {
bool linked(std::string_view value, std::string_view text) {
  const std::string tokens = link_tokens(text);
  return appears_in(link_tokens(value), split_tokens(tokens));
}
}  // namespace

TEST(LinkText, ReducesToLowerCaseTokens) {
  EXPECT_EQ(link_tokens("  SMITH, John_paul (CR/04571/26).pdf "),
            "smith john paul cr 04571 26 pdf");
  EXPECT_EQ(link_tokens("---"), "");
}

TEST(LinkText, AnApostropheInsideANameJoinsIt) {
  EXPECT_EQ(link_tokens("O'Connor-Reid, Siobhan"), "oconnor reid siobhan");
  EXPECT_EQ(link_tokens("D\xE2\x80\x99Souza"), "dsouza");             // the typographic one
  EXPECT_EQ(link_tokens("'quoted' names' end"), "quoted names end");  // not inside a word
  EXPECT_TRUE(linked("O'Connor-Reid, Siobhan", "OCONNOR-REID SIOBHAN.docx"));
  EXPECT_TRUE(linked("Siobhan OConnor", "re: siobhan o'connor"));
}

TEST(LinkText, OnlyDistinctiveValuesLink) {
  EXPECT_TRUE(is_linkable(link_tokens("John Smith")));
  EXPECT_TRUE(is_linkable(link_tokens("P0012345")));
  EXPECT_TRUE(is_linkable(link_tokens("CR/04571/26")));
  EXPECT_FALSE(is_linkable(link_tokens("Smith")));    // a surname alone
  EXPECT_FALSE(is_linkable(link_tokens("P12")));      // too short an id
  EXPECT_FALSE(is_linkable(link_tokens("J Smith")));  // an initial is not a word
}

TEST(LinkText, NamesMatchInAnyOrderWithMiddleNamesLeftOut) {
  EXPECT_TRUE(linked("John Paul Smith", "Re: SMITH, John - statement"));
  EXPECT_TRUE(linked("John Smith", "john_smith_pnc.pdf"));
  EXPECT_FALSE(linked("John Smith", "Smith & Sons quote"));
  EXPECT_FALSE(linked("John Smith", "Johnson Smithers"));  // whole tokens only
}

TEST(LinkText, AnAddressMentionsANameWithoutSeparators) {
  EXPECT_TRUE(mentioned_in(link_tokens("Ann Lee"), "ann.lee77@gmail.com"));
  EXPECT_TRUE(mentioned_in(link_tokens("LEE, Ann"), "AnnLee@gmail.com"));
  EXPECT_TRUE(mentioned_in(link_tokens("Priya Blake"), "priya73@hotmail.com"));
  EXPECT_FALSE(mentioned_in(link_tokens("Ann Lee"), "jim7@gmail.com"));
  // Initials then digits, in either name order; not outside an address's local part.
  EXPECT_TRUE(mentioned_in(link_tokens("Zoe Rowe"), "zr4595@gmail.com"));
  EXPECT_TRUE(mentioned_in(link_tokens("ROWE, Zoe"), "ZR4595@gmail.com"));
  EXPECT_FALSE(mentioned_in(link_tokens("Zoe Rowe"), "zk4595@gmail.com"));
  EXPECT_FALSE(mentioned_in(link_tokens("Zoe Rowe"), "zrx45@gmail.com"));
  EXPECT_FALSE(mentioned_in(link_tokens("Zoe Rowe"), "zr"));
}

TEST(LinkText, IdentifiersNeedEveryDigitToken) {
  EXPECT_TRUE(linked("CR/04571/26", "crime CR-04571-26 update"));
  EXPECT_FALSE(linked("CR/04571/26", "CR/04572/26"));
  EXPECT_TRUE(linked("P0012345", "P0012345.pdf"));
  EXPECT_FALSE(linked("P0012345", "P00123456.pdf"));
}

TEST(NamesPerson, WholeWordsEachUsedOnce) {
  EXPECT_TRUE(names_person("HARTLEY, James", "James", "Hartley"));
  EXPECT_TRUE(names_person("james hartley", "James Robert", "Hartley"));
  EXPECT_TRUE(names_person("SMITH-JONES, Anna", "Anna Marie", "Smith-Jones"));
  EXPECT_TRUE(names_person("ALI, Ali", "Ali", "Ali"));
  EXPECT_FALSE(names_person("ALI, Isla", "Ali", "Ali"));
  EXPECT_FALSE(names_person("PILLING, Anjali", "Ali", "Ali"));
  EXPECT_FALSE(names_person("JONES, Anna", "Anna", "Smith-Jones"));
  EXPECT_FALSE(names_person("Daniel Hartley", "James", "Hartley"));
  EXPECT_FALSE(names_person("HARTLEY, James", "", "Hartley"));
}
