// set_heap_policy.
#include "app/heap_policy.h"

#if PROBITY_JEMALLOC
#include <jemalloc/jemalloc.h>
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
#else
  // glibc's mmap threshold is dynamic by default: each large block freed raises it, until
  // blocks of up to 32 MiB are carved from the heap and, once freed, stay resident between
  // live chunks. Setting it also stops glibc moving it (mallopt(3)).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

}  // namespace probity::app
