// base/ascii.h: ASCII-only folding, comparison and trimming; bytes >= 0x80 left alone.
#include "base/ascii.h"

#include <gtest/gtest.h>

namespace probity {
namespace {

TEST(Ascii, LowersOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower('A'), 'a');
  EXPECT_EQ(ascii_lower('Z'), 'z');
  EXPECT_EQ(ascii_lower('@'), '@');  // just before 'A'
  EXPECT_EQ(ascii_lower('['), '[');  // just after 'Z'
  EXPECT_EQ(to_lower("PC1001 Jane.DOE@Force.UK"), "pc1001 jane.doe@force.uk");
  EXPECT_EQ(to_lower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // "ÉTÉ": UTF-8 bytes kept
}

TEST(Ascii, AppendsLowerCasedText) {
  std::string key = "k:";
  append_lower(key, "AbC");
  EXPECT_EQ(key, "k:abc");
  std::string s = "MiXeD";
  lower_in_place(s);
  EXPECT_EQ(s, "mixed");
}

TEST(Ascii, ClassifiesCharacters) {
  EXPECT_TRUE(ascii_is_digit('0') && ascii_is_digit('9') && !ascii_is_digit('a'));
  EXPECT_TRUE(ascii_is_alpha('q') && ascii_is_alpha('Q') && !ascii_is_alpha('_'));
  EXPECT_TRUE(ascii_is_alnum('7') && !ascii_is_alnum('-') && !ascii_is_alnum('\xC3'));
  EXPECT_TRUE(ascii_is_space('\r') && !ascii_is_space('\v'));
}

TEST(Ascii, ComparesIgnoringCase) {
  EXPECT_TRUE(iequals("NPPV3", "nppv3"));
  EXPECT_FALSE(iequals("nppv3", "nppv"));
  EXPECT_FALSE(iequals("\xC3\x89", "\xC3\xA9"));  // É and é differ: not ASCII
  EXPECT_EQ(icompare("abc", "ABD"), -1);
  EXPECT_EQ(icompare("ABC", "abc"), 0);
  EXPECT_EQ(icompare("abc", "ab"), 1);
  EXPECT_EQ(icompare("a", "\x80"), -1);  // bytes order as unsigned
}

TEST(Ascii, FindsAndMatchesEndsIgnoringCase) {
  EXPECT_EQ(ifind("Message Tracking log", "TRACKING"), 8u);
  EXPECT_EQ(ifind("abc", "x"), std::string_view::npos);
  EXPECT_EQ(ifind("abc", ""), 0u);
  EXPECT_TRUE(istarts_with("Postfix/smtp", "POSTFIX"));
  EXPECT_FALSE(istarts_with("Post", "Postfix"));
  EXPECT_TRUE(iends_with("mail.Force.UK", ".force.uk"));
  EXPECT_FALSE(iends_with("uk", ".uk"));
}

TEST(Ascii, TrimsBlanksOrTheGivenCharacters) {
  EXPECT_EQ(trim(" \t\r\n value \n"), "value");
  EXPECT_EQ(trim("\v value"), "\v value");  // only space, tab, CR, LF
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(" \"a@b\" ", " \""), "a@b");
  EXPECT_EQ(trim("xxx", "x"), "");
  EXPECT_EQ(trim("", " "), "");
}

}  // namespace
}  // namespace probity
