// LogThrottle and AcceptBackoff: the policies, with a clock the test moves by hand.
#include "base/throttle.h"

#include <gtest/gtest.h>

namespace probity {
namespace {

using namespace std::chrono_literals;
using Clock = LogThrottle::Clock;

TEST(LogThrottle, LogsFirstThenOncePerIntervalWithTheHeldBackCount) {
  LogThrottle throttle(60s);
  const Clock::time_point t0{};
  EXPECT_EQ(throttle.occurrence(t0), 1u);
  for (int i = 0; i < 999; ++i) EXPECT_EQ(throttle.occurrence(t0 + 1s), 0u);
  EXPECT_EQ(throttle.occurrence(t0 + 61s), 1000u);
  EXPECT_EQ(throttle.occurrence(t0 + 62s), 0u);
}

TEST(AcceptBackoff, DoublesFromOneHundredMillisecondsToOneSecondAndResets) {
  AcceptBackoff backoff;
  EXPECT_FALSE(backoff.failing());
  EXPECT_EQ(backoff.failed(), 100ms);
  EXPECT_EQ(backoff.failed(), 200ms);
  EXPECT_EQ(backoff.failed(), 400ms);
  EXPECT_EQ(backoff.failed(), 800ms);
  EXPECT_EQ(backoff.failed(), 1000ms);
  EXPECT_EQ(backoff.failed(), 1000ms);
  EXPECT_TRUE(backoff.failing());
  backoff.succeeded();
  EXPECT_FALSE(backoff.failing());
  EXPECT_EQ(backoff.failed(), 100ms);
}

TEST(LogBudget, LetsItsLinesThroughEachIntervalAndCountsTheRestOnce) {
  LogBudget budget(3, 1s);
  const auto t0 = LogBudget::Clock::time_point{} + 100s;
  int logged = 0;
  for (int i = 0; i < 10; ++i) logged += budget.take(t0 + 10ms * i);
  EXPECT_EQ(logged, 3);
  EXPECT_EQ(budget.held_back(t0 + 500ms), 0u);  // the interval has not ended
  EXPECT_EQ(budget.held_back(t0 + 1s), 7u);
  EXPECT_EQ(budget.held_back(t0 + 3s), 0u);  // said once
  logged = 0;
  for (int i = 0; i < 5; ++i) logged += budget.take(t0 + 3s + 1ms * i);
  EXPECT_EQ(logged, 3);
  EXPECT_TRUE(budget.take(t0 + 5s));  // a new interval: its own budget
  EXPECT_EQ(budget.held_back(t0 + 5s), 2u);
}

}  // namespace
}  // namespace probity
