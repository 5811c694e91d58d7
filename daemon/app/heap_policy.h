// How the daemon's allocator behaves. It is jemalloc (linked except under a sanitizer):
// glibc's malloc cost the I/O thread a fifth of its time growing and trimming its heap and
// consolidating small free chunks, and the evaluation thread a tenth freeing events the I/O
// thread allocated. On the 5 k-staff force (throughput.sh, 300 k messages, one run each,
// LD_PRELOAD): realistic 70.7 k/s against 43.6 k/s, stress 43.1 k/s against 30.6 k/s;
// latency.sh p99 8.5 and 6.9 ms against 20.3 and 29.7 ms.
#pragma once

#include <cstdint>
#include <optional>

namespace probity::app {

/// jemalloc returns freed memory to the system from its own thread, not from the thread
/// that happens to free; glibc's (sanitizer builds) maps blocks of 1 MiB and more on their
/// own. Call before the first thread starts.
void set_heap_policy();

/// What the allocator holds: bytes in live allocations, and bytes of memory it keeps
/// resident for them (the difference is freed memory not yet returned, and its own pages).
struct HeapUse {
  std::uint64_t allocated = 0;
  std::uint64_t resident = 0;
};
/// jemalloc's own counts, refreshed; nullopt under glibc (sanitizer builds), whose only
/// equivalent (mallinfo2) walks every free chunk under its arena's lock.
std::optional<HeapUse> heap_use();

}  // namespace probity::app
