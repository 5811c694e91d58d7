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
  EXPECT_NE(alerts::key_id(k1), alerts::key_id(k2));
  EXPECT_EQ(alerts::key_id(k1).size(), 8u);
}

TEST(Pseudonymiser, CreatesAnOwnerOnlyKeyOnceAndReadsItBack) {
  probity::testing::TempDir dir;
  const auto file = dir / "sub/pseudonym.key";
  ASSERT_TRUE(alerts::create_pseudonym_key_if_missing(file));
  auto first = alerts::read_pseudonym_key(file);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(alerts::create_pseudonym_key_if_missing(file));  // exists: left alone
  auto again = alerts::read_pseudonym_key(file);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first);
}

TEST(Pseudonymiser, ReadingNeverCreatesAKey) {
  probity::testing::TempDir dir;
  auto missing = alerts::read_pseudonym_key(dir / "pseudonym.key");
  ASSERT_FALSE(missing);
  EXPECT_FALSE(std::filesystem::exists(dir / "pseudonym.key"));
}

TEST(Pseudonymiser, RefusesAKeyOthersCanReadOrOfTheWrongSize) {
  probity::testing::TempDir dir;
  probity::testing::write_file(dir / "short.key", "abc");
  ::chmod((dir / "short.key").c_str(), 0600);
  EXPECT_FALSE(alerts::read_pseudonym_key(dir / "short.key"));
  probity::testing::write_file(dir / "open.key", std::string(32, 'x'));
  ::chmod((dir / "open.key").c_str(), 0640);
  auto open = alerts::read_pseudonym_key(dir / "open.key");
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message.find("chmod 600"), std::string::npos);
}

TEST(Pseudonymiser, RotationReplacesTheKeyAndTheHolderPicksItUp) {
  probity::testing::TempDir dir;
  const auto file = dir / "pseudonym.key";
  ASSERT_TRUE(alerts::create_pseudonym_key_if_missing(file));
  auto key = alerts::PseudonymKey::open(file);
  ASSERT_TRUE(key) << key.error().message;
  const std::string before = key->of("pc1001"), before_id = key->id();
  auto rotated = alerts::rotate_pseudonym_key(file);
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_NE(*rotated, before_id);
  EXPECT_EQ(key->of("pc1001"), before);  // not yet refreshed
  ASSERT_TRUE(key->refresh());
  EXPECT_EQ(key->id(), *rotated);
  EXPECT_NE(key->of("pc1001"), before);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".new"));
}

TEST(Pseudonymiser, AKeyThatTurnsUnreadableKeepsTheOneInUse) {
  probity::testing::TempDir dir;
  const auto file = dir / "pseudonym.key";
  ASSERT_TRUE(alerts::create_pseudonym_key_if_missing(file));
  auto key = alerts::PseudonymKey::open(file);
  ASSERT_TRUE(key);
  const std::string id = key->id();
  std::filesystem::remove(file);
  probity::testing::write_file(file, "short");
  EXPECT_FALSE(key->refresh());
  EXPECT_EQ(key->id(), id);
}

TEST(Pseudonymiser, ARememberedPseudonymIsTheOneComputed) {
  probity::testing::TempDir dir;
  const auto file = dir / "pseudonym.key";
  ASSERT_TRUE(alerts::create_pseudonym_key_if_missing(file));
  auto key = alerts::PseudonymKey::open(file);
  ASSERT_TRUE(key);
  const std::string first = key->of("PC1001");
  EXPECT_EQ(key->of("pc1001"), first);  // case does not matter, remembered or not
  for (int i = 0; i < 5000; ++i) key->of("id" + std::to_string(i));  // past what it keeps
  EXPECT_EQ(key->of("pc1001"), first);
  auto fresh = alerts::PseudonymKey::open(file);  // remembers nothing yet
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh->of("pc1001"), first);
  EXPECT_EQ(fresh->of("id4999"), key->of("ID4999"));
}
