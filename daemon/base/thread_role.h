// Names and priorities of the daemon's threads. Names show in `top -H`, `ps -L` and perf;
// the background role keeps work that may wait (checkpoint writes, RocksDB compaction) from
// preempting the threads an event's latency depends on (reading sockets, evaluating).
#pragma once

#include <string_view>

namespace probity {

/// Names the calling thread (the kernel keeps the first 15 bytes). Best effort.
void name_this_thread(std::string_view name);

/// Lowers the calling thread's CPU priority to nice 10: it still gets the idle core, but no
/// longer wakes up ahead of a busy evaluation thread. Best effort; never raises it.
void make_this_thread_background();

}  // namespace probity
