// KeyMirror: the flat in-memory copy of a reference table's keys that every in_list,
// list_exists and associated look-up asks before RocksDB.
#include "state/key_mirror.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace probity::state {
namespace {

/// Loads `mirror` with rows, complete.
void load(KeyMirror& mirror,
          std::initializer_list<std::pair<std::string_view, std::uint16_t>> rows) {
  KeyMirror::Rows r;
  for (const auto& [key, value] : rows) ASSERT_TRUE(r.add(key, value));
  mirror.set(std::move(r), true);
}

TEST(KeyMirror, UnloadedOrIncompleteSaysNotMirrored) {
  KeyMirror mirror;
  EXPECT_FALSE(mirror.find("anything").has_value());
  KeyMirror::Rows rows;
  ASSERT_TRUE(rows.add("watched", 1));
  mirror.set(std::move(rows), /*complete=*/false);
  EXPECT_FALSE(mirror.find("watched").has_value());
}

TEST(KeyMirror, EmptyTableAnswersAbsent) {
  KeyMirror mirror;
  mirror.set({}, true);
  ASSERT_TRUE(mirror.find("x").has_value());
  EXPECT_EQ(*mirror.find("x"), 0);
  EXPECT_EQ(*mirror.find(""), 0);
}

TEST(KeyMirror, EveryKeyIsFoundWithItsBitsAndNoOtherIs) {
  KeyMirror::Rows rows;
  constexpr int kKeys = 50'000;
  for (int i = 0; i < kKeys; ++i)
    ASSERT_TRUE(rows.add("list" + std::string(1, '\0') + std::to_string(i * 3),
                         static_cast<std::uint16_t>(1 + i % 7)));
  KeyMirror mirror;
  mirror.set(std::move(rows), true);
  for (int i = 0; i < kKeys; ++i) {
    const auto key = "list" + std::string(1, '\0') + std::to_string(i * 3);
    ASSERT_EQ(mirror.find(key), 1 + i % 7) << i;
    // Neighbours of a key (not multiples of 3), and prefixes of it, are absent.
    EXPECT_EQ(mirror.find(key + "1"), 0);
    EXPECT_EQ(mirror.find("list" + std::string(1, '\0') + std::to_string(i * 3 + 1)), 0);
  }
  EXPECT_EQ(mirror.find("list"), 0);
}

TEST(KeyMirror, KeysDifferingOnlyInLengthOrByteAreDistinct) {
  KeyMirror mirror;
  load(mirror, {{"a", 1}, {"ab", 2}, {"", 4}, {std::string_view("a\0b", 3), 8}});
  EXPECT_EQ(mirror.find("a"), 1);
  EXPECT_EQ(mirror.find("ab"), 2);
  EXPECT_EQ(mirror.find(""), 4);
  EXPECT_EQ(mirror.find(std::string_view("a\0b", 3)), 8);
  EXPECT_EQ(mirror.find("b"), 0);
}

TEST(KeyMirror, AKeyGivenTwiceKeepsItsLastValue) {
  KeyMirror mirror;
  load(mirror, {{"k", 1}, {"other", 2}, {"k", 6}});
  EXPECT_EQ(mirror.find("k"), 6);
  EXPECT_EQ(mirror.find("other"), 2);
}

TEST(KeyMirror, ReloadingReplacesTheKeys) {
  KeyMirror mirror;
  load(mirror, {{"old", 1}});
  load(mirror, {{"new", 1}});
  EXPECT_EQ(mirror.find("old"), 0);
  EXPECT_EQ(mirror.find("new"), 1);
}

}  // namespace
}  // namespace probity::state
