// base/fnv.h: FNV-1a 64 against the published test vectors, so stored hashes stay stable.
#include "base/fnv.h"

#include <gtest/gtest.h>

namespace probity {
namespace {

TEST(Fnv1a64, MatchesThePublishedVectors) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a_64("foobar"), 0x85944171f73967e8ull);
}

TEST(Fnv1a64, HashesBytesAboveSevenBitsAsUnsigned) {
  // 0xFF must be xored in as 255, not as a sign-extended -1.
  EXPECT_EQ(fnv1a_64("\xFF"), (kFnv64Offset ^ 0xFFull) * kFnv64Prime);
}

TEST(Fnv1a64, StartsFromTheGivenSeed) {
  EXPECT_EQ(fnv1a_64("", 42), 42u);
  EXPECT_NE(fnv1a_64("x", 42), fnv1a_64("x"));
  static_assert(fnv1a_64("a") == 0xaf63dc4c8601ec8cull, "usable at compile time");
}

}  // namespace
}  // namespace probity
