// The app tests' alert pipeline: a store of its own in a temporary directory, no mail and no
// rate limits (so no flood alert among a test's own alerts), stopped after each test.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>

#include "alerts/alerts.h"
#include "state/store.h"
#include "test_support.h"

namespace probity::testing {

class StoredAlertsTest : public ::testing::Test {
 protected:
  /// Opens the store and starts the pipeline, with `observer` as its on_stored() if given.
  void start_alerts(std::function<void(const alerts::Alert&, alerts::StoredChange)> observer = {}) {
    auto opened = state::Store::open({.dir = tmp_ / "state"});
    ASSERT_TRUE(opened);
    store_ = std::move(*opened);
    config_.email.enabled = false;
    config_.email.max_per_hour = config_.email.max_per_rule_per_hour = 0;
    alerts_.emplace(*store_, config_, alert_counters_);
    if (observer) alerts_->on_stored(std::move(observer));
    ASSERT_TRUE(alerts_->start());
  }
  void TearDown() override {
    if (alerts_) alerts_->stop();
  }

  TempDir tmp_{"probity-app"};
  std::unique_ptr<state::Store> store_;
  alerts::AlertConfig config_;
  alerts::AlertCounters alert_counters_;
  std::optional<alerts::AlertPipeline> alerts_;
};

}  // namespace probity::testing
