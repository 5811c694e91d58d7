// HeapTrimmer: memory freed inside the heap goes back to the system without a restart.
#include "app/heap_trim.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "test_support.h"

namespace probity::app {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kOwnAllocator = true;  // the sanitizer's allocator: nothing for glibc to trim
#else
constexpr bool kOwnAllocator = false;
#endif

std::size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

TEST(HeapTrimmer, FreedChunksBetweenLiveOnesLeaveResidentMemory) {
  if (kOwnAllocator) GTEST_SKIP() << "sanitizer build: glibc's allocator is not in use";
  set_heap_policy();
  // 256 MiB in 4 KiB chunks, then all freed but one in 64: the live ones pin the heap's
  // top, so glibc cannot shrink it and keeps the rest resident.
  constexpr std::size_t kChunk = 4096, kChunks = 65536;
  std::vector<std::unique_ptr<char[]>> chunks(kChunks);
  for (auto& c : chunks) {
    c = std::make_unique<char[]>(kChunk);
    c[0] = 1;
    c[kChunk - 1] = 1;
  }
  for (std::size_t i = 0; i < kChunks; ++i)
    if (i % 64 != 63) chunks[i].reset();
  const std::size_t before = resident_bytes();
  HeapTrimmer trimmer(std::chrono::seconds(1));
  const bool trimmed = testing::wait_until(
      [&] { return resident_bytes() + (128u << 20) < before; }, std::chrono::seconds(10));
  EXPECT_TRUE(trimmed) << "resident before " << (before >> 20) << " MiB, now "
                       << (resident_bytes() >> 20) << " MiB";
}

}  // namespace
}  // namespace probity::app
