// LruTable: the bounded per-stream tables of the CSV reader and the Exchange and ESA
// assemblers forget the least recently used entry, not an arbitrary one.
#include "decode/lru_table.h"

#include <gtest/gtest.h>

namespace probity::decode {

TEST(LruTable, ForgetsTheLeastRecentlyUsedAndReportsIt) {
  LruTable<int> t(3);
  EXPECT_FALSE(t.put("a", 1));
  EXPECT_FALSE(t.put("b", 2));
  EXPECT_FALSE(t.put("c", 3));
  ASSERT_NE(t.find("a"), nullptr);  // a used: b is now the oldest
  EXPECT_TRUE(t.put("d", 4));
  EXPECT_EQ(t.find("b"), nullptr);
  EXPECT_EQ(*t.find("a"), 1);
  EXPECT_FALSE(t.put("c", 30));  // replacing is not evicting
  EXPECT_EQ(*t.find("c"), 30);
  EXPECT_EQ(t.size(), 3u);
  t.erase("a");
  EXPECT_EQ(t.find("a"), nullptr);
  EXPECT_FALSE(t.put("e", 5));
  EXPECT_EQ(t.size(), 3u);
}

}  // namespace probity::decode
