// set_heap_policy and the HeapTrimmer thread.
#include "app/heap_trim.h"

#include <malloc.h>

#include <spdlog/spdlog.h>

namespace probity::app {

void set_heap_policy() {
  // Setting the threshold also stops glibc moving it (mallopt(3)).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
}

HeapTrimmer::HeapTrimmer(std::chrono::seconds every)
    : every_(every), thread_([this] { run(); }) {}

HeapTrimmer::~HeapTrimmer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void HeapTrimmer::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
    // Free chunks stay counted as free after a trim (only their pages go), so there is
    // no cheap way to tell what is left to trim: trim each time; it costs milliseconds.
    const auto started = std::chrono::steady_clock::now();
    const bool released = malloc_trim(0) != 0;
    spdlog::debug("heap: trimmed in {} us ({})",
                  std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count(),
                  released ? "pages released" : "nothing to release");
  }
}

}  // namespace probity::app
