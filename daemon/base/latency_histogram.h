// A latency histogram that one thread records into and a scrape reads at any time: fixed
// buckets, relaxed atomics, no lock. For Prometheus histograms (http::MetricsRegistry).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace probity {

class LatencyHistogram {
 public:
  /// Upper bounds in microseconds: fine below 10 ms, where the targets are, coarse above.
  static constexpr std::array<std::int64_t, 22> kBoundsUs = {
      50,      100,     200,       300,       500,       750,       1'000,  1'500,
      2'000,   3'000,   5'000,     7'500,     10'000,    25'000,    50'000, 100'000,
      250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};

  void observe(std::chrono::microseconds elapsed) {
    const std::int64_t us = elapsed.count() < 0 ? 0 : elapsed.count();
    std::size_t i = 0;
    while (i < kBoundsUs.size() && us > kBoundsUs[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    sum_us_.fetch_add(static_cast<std::uint64_t>(us), std::memory_order_relaxed);
  }
  /// Observations in bucket i alone (i == kBoundsUs.size(): above the last bound).
  std::uint64_t count_in(std::size_t i) const { return counts_[i].load(std::memory_order_relaxed); }
  std::uint64_t sum_us() const { return sum_us_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBoundsUs.size() + 1> counts_{};
  std::atomic<std::uint64_t> sum_us_{0};
};

}  // namespace probity
