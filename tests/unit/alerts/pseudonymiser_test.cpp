#include "alerts/pseudonymiser.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "test_support.h"

using namespace probity;

TEST(Pseudonymiser, IsStableCaseInsensitiveAndKeyed) {
  const std::string k1(32, 'a'), k2(32, 'b');
  EXPECT_EQ(alerts::pseudonym(k1, "PC1001"), alerts::pseudonym(k1, "pc1001"));
  EXPECT_NE(alerts::pseudonym(k1, "PC1001"), alerts::pseudonym(k1, "PC1002"));
  EXPECT_NE(alerts::pseudonym(k1, "PC1001"), alerts::pseudonym(k2, "PC1001"));
  EXPECT_EQ(alerts::pseudonym(k1, "PC1001").rfind("PSN-", 0), 0u);
  EXPECT_EQ(alerts::pseudonym(k1, "PC1001").size(), 16u);
}

TEST(Pseudonymiser, CreatesAnOwnerOnlyKeyOnceAndReadsItBack) {
  probity::testing::TempDir dir;
  const auto file = dir / "sub/pseudonym.key";
  auto first = alerts::load_or_create_pseudonym_key(file);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = alerts::load_or_create_pseudonym_key(file);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first);
}

TEST(Pseudonymiser, RefusesAKeyOthersCanReadOrOfTheWrongSize) {
  probity::testing::TempDir dir;
  probity::testing::write_file(dir / "short.key", "abc");
  EXPECT_FALSE(alerts::load_or_create_pseudonym_key(dir / "short.key"));
  probity::testing::write_file(dir / "open.key", std::string(32, 'x'));
  ::chmod((dir / "open.key").c_str(), 0644);
  auto open = alerts::load_or_create_pseudonym_key(dir / "open.key");
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message.find("chmod 600"), std::string::npos);
}
