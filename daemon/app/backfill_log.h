// The daemon's log of backfill frames (rules::BackfillNotice): which sender's events came behind
// the correlation clock, how far, where they were correlated, and what a frame did when it
// closed. Refusals (every frame busy) are logged at most once a minute with a count, so a flood
// of old events cannot flood the log. Not for the frames themselves (rules/correlation_backfill).
#pragma once

#include <chrono>
#include <cstdint>

#include "rules/rules.h"

namespace probity::app {

class BackfillLog {
 public:
  /// The callback for rules::CorrelationOptions::on_backfill; `this` must outlive the engine.
  void operator()(const rules::BackfillNotice& notice);

 private:
  std::chrono::steady_clock::time_point last_refusal_logged_{};
  std::uint64_t refusals_unlogged_ = 0;
};

}  // namespace probity::app
