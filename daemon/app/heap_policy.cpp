// set_heap_policy.
#include "app/heap_policy.h"

#include <malloc.h>

namespace probity::app {

void set_heap_policy() {
  // Setting the threshold also stops glibc moving it (mallopt(3)). Not malloc_trim on a
  // timer: it holds each arena's lock while it walks the free chunks, and measured here it
  // stalled evaluation for 9 ms typically and up to 245 ms.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

}  // namespace probity::app
