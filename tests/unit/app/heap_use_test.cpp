// heap_use(): the allocator's counts follow what the process allocates.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "app/heap_policy.h"

namespace probity::app {
namespace {

TEST(HeapUse, CountsWhatIsAllocatedAndHeld) {
  const auto before = heap_use();
  if (!before) GTEST_SKIP() << "glibc's allocator (a sanitizer build): no counts to read";
  EXPECT_GE(before->resident, before->allocated);
  constexpr std::size_t kBytes = std::size_t{64} << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);  // touched, so resident
  // Seen by the optimiser as used, so the allocation is not elided.
  asm volatile("" : : "g"(block.get()) : "memory");
  const auto during = heap_use();
  ASSERT_TRUE(during);
  EXPECT_GE(during->allocated, before->allocated + kBytes);
  EXPECT_GE(during->resident, during->allocated);
  block.reset();
  const auto after = heap_use();
  ASSERT_TRUE(after);
  EXPECT_LE(after->allocated + kBytes, during->allocated);
}

}  // namespace
}  // namespace probity::app
