// Gives memory the daemon freed back to the system. glibc keeps freed chunks in its arenas
// for reuse: after a burst (a checkpoint encoding half the correlation state, a flushed
// memtable) hundreds of MiB stay in RSS though nothing uses them. Measured with memory.sh:
// 170-490 MiB free-but-held of a 1-1.2 GiB RSS. A thread of its own trims them every few
// seconds, away from ingest and evaluation (a trim holds one arena's lock at a time).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace probity::app {

/// Large blocks (a RocksDB write batch, a memtable's arena, a vector of encoded state) are
/// mapped and unmapped on their own rather than carved from the heap: glibc's default
/// threshold rises after each one is freed, until 32 MiB blocks stay in the heap for good.
/// Call before the first thread starts.
void set_heap_policy();

class HeapTrimmer {
 public:
  explicit HeapTrimmer(std::chrono::seconds every = std::chrono::seconds(5));
  ~HeapTrimmer();  ///< stops the thread
  HeapTrimmer(const HeapTrimmer&) = delete;
  HeapTrimmer& operator=(const HeapTrimmer&) = delete;

 private:
  void run();

  std::chrono::seconds every_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace probity::app
