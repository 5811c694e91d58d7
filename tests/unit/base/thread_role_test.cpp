// Thread names and the background priority, read back from the kernel on threads of the test's
// own, so the test runner's priority is never touched.
#include "base/thread_role.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string>
#include <thread>

namespace probity {
namespace {

int own_nice() { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); }

std::string own_name() {
  std::array<char, 32> name{};
  pthread_getname_np(pthread_self(), name.data(), name.size());
  return name.data();
}

TEST(ThreadRole, NamesTheCallingThreadCutToFifteenBytes) {
  std::string shortened, exact;
  std::thread([&] {
    name_this_thread("probity-a-name-longer-than-the-kernel-keeps");
    shortened = own_name();
    name_this_thread("probity-eval");
    exact = own_name();
  }).join();
  EXPECT_EQ(shortened, "probity-a-name-");
  EXPECT_EQ(exact, "probity-eval");
}

TEST(ThreadRole, BackgroundLowersOnlyTheCallingThreadAndNeverRaisesIt) {
  const int before = own_nice();
  int lowered = 0, kept = 0;
  std::thread([&] {
    make_this_thread_background();
    lowered = own_nice();
  }).join();
  std::thread([&] {
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 15);
    make_this_thread_background();
    kept = own_nice();
  }).join();
  EXPECT_EQ(lowered, std::max(before, 10));
  EXPECT_EQ(kept, 15);
  EXPECT_EQ(own_nice(), before);  // the caller's thread is not the one lowered
}

}  // namespace
}  // namespace probity
