// set_heap_policy.
#include "app/heap_policy.h"

#if PROBITY_JEMALLOC
#include <jemalloc/jemalloc.h>

#include <string>
#else
#include <malloc.h>
#endif

namespace probity::app {

void set_heap_policy() {
#if PROBITY_JEMALLOC
  // Purging dirty pages otherwise happens inside whichever allocation crosses the decay
  // deadline: the evaluation thread's, mid-batch. Best effort: without the thread, jemalloc
  // still purges, only inline.
  bool enable = true;
  mallctl("background_thread", nullptr, nullptr, &enable, sizeof enable);
  // Freed pages go back after a second, not ten: a checkpoint frees a few hundred megabytes
  // at once in a burst, and kept for ten seconds they overlapped the next checkpoint's. In
  // the memory bench's fill, RSS at its end was 880 MiB against 980 (two runs each).
  // The default is for arenas made later (one per thread, up to four per core); those that
  // exist already are set one by one.
  ssize_t decay_ms = 1000;
  mallctl("arenas.dirty_decay_ms", nullptr, nullptr, &decay_ms, sizeof decay_ms);
  unsigned arenas = 0;
  std::size_t size = sizeof arenas;
  if (mallctl("arenas.narenas", &arenas, &size, nullptr, 0) != 0) return;
  for (unsigned i = 0; i < arenas; ++i) {
    const std::string name = "arena." + std::to_string(i) + ".dirty_decay_ms";
    mallctl(name.c_str(), nullptr, nullptr, &decay_ms, sizeof decay_ms);
  }
#else
  // glibc's mmap threshold is dynamic by default: each large block freed raises it, until
  // blocks of up to 32 MiB are carved from the heap and, once freed, stay resident between
  // live chunks. Setting it also stops glibc moving it (mallopt(3)).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

std::optional<HeapUse> heap_use() {
#if PROBITY_JEMALLOC
  // The statistics are a snapshot taken when the epoch advances.
  std::uint64_t epoch = 1;
  if (mallctl("epoch", nullptr, nullptr, &epoch, sizeof epoch) != 0) return std::nullopt;
  std::size_t allocated = 0, resident = 0, size = sizeof(std::size_t);
  if (mallctl("stats.allocated", &allocated, &size, nullptr, 0) != 0) return std::nullopt;
  if (mallctl("stats.resident", &resident, &size, nullptr, 0) != 0) return std::nullopt;
  return HeapUse{allocated, resident};
#else
  return std::nullopt;
#endif
}

}  // namespace probity::app
