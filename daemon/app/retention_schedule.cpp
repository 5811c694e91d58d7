// RetentionSchedule: a sleeping thread that wakes hourly or at stop().
#include "app/retention_schedule.h"

#include <spdlog/spdlog.h>

#include "app/retention.h"

namespace probity::app {

bool retention_enabled(const config::Config& config) {
  const auto& r = config.retention;
  return r.alerts || r.evidence || (r.jsonl_rotate_mb > 0 && !config.alerts.jsonl_path.empty());
}

void run_retention_logged(state::Store& store, const config::Config& config) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto report = run_retention(store, config, now, /*dry_run=*/false);
  if (!report) {
    spdlog::error("retention: nothing removed this run: {}", describe(report.error()));
    return;
  }
  for (const auto& line : report->lines) spdlog::info("retention: {}", line);
}

RetentionSchedule::RetentionSchedule(state::Store& store, const config::Config& config,
                                     std::chrono::seconds every)
    : store_(store), config_(config), every_(every) {}

RetentionSchedule::~RetentionSchedule() { stop(); }

void RetentionSchedule::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, every_, [this] { return stopping_; })) {
      lock.unlock();
      run_retention_logged(store_, config_);
      lock.lock();
    }
  });
}

void RetentionSchedule::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace probity::app
