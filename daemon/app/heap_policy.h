// How the daemon asks glibc's allocator to behave. Its mmap threshold is dynamic by
// default: each large block freed raises it, until blocks of up to 32 MiB (a RocksDB write
// batch, a memtable's arena, a vector of encoded correlation state) are carved from the
// heap and, once freed, stay resident between live chunks. memory.sh (one run each, 90 s
// soak at 4888 look-ups/s): soak RSS 638-1124 MiB before, 618-1040 after; peak over fill
// and soak 1705 MiB before, 1567 after.
#pragma once

namespace probity::app {

/// Blocks of 1 MiB and more are mapped and unmapped on their own. Call before the first
/// thread starts.
void set_heap_policy();

}  // namespace probity::app
