#include "base/thread_role.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace probity {

void name_this_thread(std::string_view name) {
  std::array<char, 16> text{};  // 15 bytes and the NUL: pthread_setname_np's limit on Linux
  std::memcpy(text.data(), name.data(), std::min(name.size(), text.size() - 1));
  (void)pthread_setname_np(pthread_self(), text.data());
}

void make_this_thread_background() {
  constexpr int kBackgroundNice = 10;
  // On Linux a nice value is per thread: PRIO_PROCESS with a thread id sets that thread's.
  const auto tid = static_cast<id_t>(gettid());
  errno = 0;
  const int now = getpriority(PRIO_PROCESS, tid);
  if (errno == 0 && now >= kBackgroundNice) return;
  (void)setpriority(PRIO_PROCESS, tid, kBackgroundNice);
}

}  // namespace probity
