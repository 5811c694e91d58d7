#include "base/packed_writes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace probity {
namespace {

using Entry = std::pair<std::string, std::optional<std::string>>;

std::vector<Entry> entries(const PackedWrites& w) {
  std::vector<Entry> out;
  w.each([&](std::string_view key, std::optional<PackedValue> value) {
    out.emplace_back(std::string(key),
                     value ? std::optional<std::string>(value->joined()) : std::nullopt);
  });
  return out;
}

TEST(PackedWrites, GivesBackPutsAndErasesInTheOrderAdded) {
  PackedWrites w;
  EXPECT_TRUE(w.empty());
  w.put("a", "1");
  w.erase("b");
  w.put("c", {"head|", "", "tail"});
  w.put(std::string("k\0y", 3), std::string("v\0", 2));  // bytes, not C strings
  w.put("empty", "");
  EXPECT_EQ(w.size(), 5u);
  EXPECT_EQ(w.payload_bytes(), 1 + 1 + 1 + 1 + 9 + 3 + 2 + 5 + 0);
  const std::vector<Entry> want = {{"a", "1"},
                                   {"b", std::nullopt},
                                   {"c", "head|tail"},
                                   {std::string("k\0y", 3), std::string("v\0", 2)},
                                   {"empty", ""}};
  EXPECT_EQ(entries(w), want);

  PackedWrites more;
  more.erase("a");
  more.put("d", "4");
  w.append(more);
  EXPECT_EQ(w.size(), 7u);
  EXPECT_EQ(entries(w).back(), (Entry{"d", "4"}));
  EXPECT_EQ(entries(w)[5], (Entry{"a", std::nullopt}));
  EXPECT_EQ(more.size(), 2u);  // copied, not taken
}

// A shared tail is held, not copied, until the batch is cleared, and comes back after its head.
TEST(PackedWrites, ASharedTailIsHeldUntilClearedAndFollowsItsHead) {
  auto text = std::make_shared<const std::string>(std::string(5000, 't'));
  PackedWrites w;
  w.put("a", "1");
  w.put("ev", "head|", text);
  w.put("null", "h", std::shared_ptr<const std::string>());
  w.erase("b");
  EXPECT_EQ(text.use_count(), 2);
  EXPECT_EQ(w.payload_bytes(), 1 + 1 + 2 + 5 + 5000 + 4 + 1 + 1);
  const std::vector<Entry> want = {
      {"a", "1"}, {"ev", "head|" + *text}, {"null", "h"}, {"b", std::nullopt}};
  EXPECT_EQ(entries(w), want);

  PackedWrites copy;
  copy.append(w);  // copies the bytes: holds no reference
  EXPECT_EQ(text.use_count(), 2);
  EXPECT_EQ(entries(copy), want);

  PackedWrites other;
  other.swap(w);
  EXPECT_EQ(entries(other), want);
  other.clear();
  EXPECT_EQ(text.use_count(), 1);
}

// Entries fill blocks of a mebibyte; one larger than a block gets a block of its own, and
// nothing is cut or reordered at the boundaries.
TEST(PackedWrites, EntriesAcrossBlocksAndLargerThanOneComeBackWhole) {
  PackedWrites w;
  std::vector<Entry> want;
  const std::string big(3u << 20, 'x');
  for (int i = 0; i < 5000; ++i) {
    std::string key = "key" + std::to_string(i);
    std::string value(500 + i % 300, static_cast<char>('a' + i % 26));
    if (i == 2500) value = big;
    w.put(key, value);
    want.emplace_back(std::move(key), std::move(value));
  }
  EXPECT_EQ(entries(w), want);

  PackedWrites other;
  other.put("z", "9");
  w.swap(other);
  EXPECT_EQ(entries(w), (std::vector<Entry>{{"z", "9"}}));
  EXPECT_EQ(other.size(), 5000u);
  w.clear();
  EXPECT_TRUE(w.empty());
  EXPECT_EQ(w.payload_bytes(), 0u);
  EXPECT_TRUE(entries(w).empty());
}

// clear() keeps blocks to fill again: a second batch into them, with an entry larger than any
// kept block, comes back as it was added and shows nothing of the first.
TEST(PackedWrites, ABatchIntoClearedBlocksHoldsOnlyItsOwnEntries) {
  PackedWrites w;
  for (int i = 0; i < 2000; ++i) w.put("old" + std::to_string(i), std::string(400, 'o'));
  w.clear();
  EXPECT_TRUE(entries(w).empty());
  std::vector<Entry> want;
  for (int i = 0; i < 3000; ++i) {
    std::string key = "new" + std::to_string(i);
    std::string value(i == 1500 ? (2u << 20) : 300, 'n');
    if (i % 7 == 0) {
      w.erase(key);
      want.emplace_back(std::move(key), std::nullopt);
    } else {
      w.put(key, value);
      want.emplace_back(std::move(key), std::move(value));
    }
  }
  EXPECT_EQ(w.size(), 3000u);
  EXPECT_EQ(entries(w), want);
}

// value_of() reads an entry back from the key view each() gave: a reader that sorts the
// keys alone (Store::ingest_packed) finds each one's value, shared tail and erase.
TEST(PackedWrites, TheKeyEachGivesLocatesItsEntry) {
  PackedWrites w;
  w.put("plain", {"a", "b"});
  w.erase("gone");
  w.put("shared", "head:", std::make_shared<const std::string>("tail"));
  w.put("", "empty key");
  std::vector<std::string_view> keys;
  w.each([&](std::string_view key, const std::optional<PackedValue>&) { keys.push_back(key); });
  ASSERT_EQ(keys.size(), 4u);
  std::reverse(keys.begin(), keys.end());  // read back out of order
  EXPECT_EQ(w.value_of(keys[0])->joined(), "empty key");
  EXPECT_EQ(w.value_of(keys[1])->head, "head:");
  EXPECT_EQ(w.value_of(keys[1])->tail, "tail");
  EXPECT_FALSE(w.value_of(keys[2]));
  EXPECT_EQ(w.value_of(keys[3])->joined(), "ab");
}

// Counts how often its text is made.
class CountedTail final : public LateTail {
 public:
  explicit CountedTail(std::string text) : text_(std::move(text)) {}
  std::size_t size_hint() const override { return 10; }
  std::string text() const override {
    ++made;
    return text_;
  }
  mutable std::atomic<int> made{0};

 private:
  std::string text_;
};

// A late tail is made where the batch is read, each time it is read, and never by a reader of
// keys alone; until then the batch counts it at its hint.
TEST(PackedWrites, ALateTailIsMadeOnlyWhenItsValueIsRead) {
  auto tail = std::make_shared<const CountedTail>("late");
  PackedWrites w;
  w.put("a", "1");
  w.put("ev", "head|", tail);
  w.put("none", "h", std::shared_ptr<const LateTail>());
  w.erase("b");
  EXPECT_EQ(w.size(), 4u);
  EXPECT_EQ(w.payload_bytes(), 1 + 1 + 2 + 5 + 10 + 4 + 1 + 1);
  EXPECT_EQ(tail->made, 0);

  std::vector<std::string_view> keys;
  w.each_key([&](std::string_view key) { keys.push_back(key); });
  EXPECT_EQ(keys, (std::vector<std::string_view>{"a", "ev", "none", "b"}));
  EXPECT_EQ(tail->made, 0);

  const std::vector<Entry> want = {
      {"a", "1"}, {"ev", "head|late"}, {"none", "h"}, {"b", std::nullopt}};
  EXPECT_EQ(entries(w), want);
  EXPECT_EQ(tail->made, 1);
  const auto value = w.value_of(keys[1]);
  ASSERT_TRUE(value);
  EXPECT_EQ(value->joined(), "head|late");
  EXPECT_EQ(tail->made, 2);

  PackedWrites copy;
  copy.append(w);  // copies the text made, not the tail
  EXPECT_EQ(entries(copy), want);
  EXPECT_EQ(tail.use_count(), 2);
  w.clear();
  EXPECT_EQ(tail.use_count(), 1);
}

}  // namespace
}  // namespace probity
