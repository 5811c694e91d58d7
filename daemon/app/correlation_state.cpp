// StoreCorrelationState: rule_state scan and batch writes, on the caller's thread or a
// writer thread of its own.
#include "app/correlation_state.h"

#include <spdlog/spdlog.h>

namespace probity::app {

StoreCorrelationState::StoreCorrelationState(state::Store& store, EvaluatedPosition* position,
                                             bool background)
    : store_(store), position_(position) {
  if (background) writer_ = std::thread([this] { run_writer(); });
}

StoreCorrelationState::~StoreCorrelationState() {
  if (!writer_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

Result<void> StoreCorrelationState::load(
    const std::function<void(std::string_view, std::string_view)>& each) {
  return store_.scan(state::RuntimeTable::rule_state, "",
                     [&](std::string_view key, std::string_view value) {
                       each(key, value);
                       return true;
                     });
}

Result<void> StoreCorrelationState::write(Batch& batch) {
  // Converted here, on the writer thread, and back if the write fails (to be retried).
  std::vector<state::RuntimeWrite> writes;
  writes.reserve(batch.writes.size() + 1);
  for (auto& w : batch.writes)
    writes.push_back({state::RuntimeTable::rule_state, std::move(w.key), std::move(w.value),
                      std::move(w.value_tail)});
  if (batch.point) writes.push_back(EvaluatedPosition::write(*batch.point));
  auto saved = store_.write_batch(writes, /*sync=*/false);
  if (!saved) {
    for (std::size_t i = 0; i < batch.writes.size(); ++i) {
      batch.writes[i].key = std::move(writes[i].key);
      batch.writes[i].value = std::move(writes[i].value);
      batch.writes[i].value_tail = std::move(writes[i].value_tail);
    }
    return saved;
  }
  if (batch.point && position_) position_->saved(*batch.point);
  return saved;
}

StoreCorrelationState::Batch StoreCorrelationState::take(rules::StateWrites& writes) {
  Batch batch;
  batch.writes.swap(writes);
  if (position_ && resume_unsaved_) batch.point = resume_point_;
  return batch;
}

Result<void> StoreCorrelationState::save(rules::StateWrites& writes) {
  if (writes.empty() && !(position_ && resume_unsaved_)) return {};
  if (!writer_.joinable()) {
    Batch batch = take(writes);
    auto saved = write(batch);
    if (saved) {
      resume_unsaved_ = false;
    } else {
      batch.writes.swap(writes);
    }
    return saved;
  }
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !queued_ || failed_; });
  if (failed_) {
    // The writer is idle with the failed batch: try it again here, in order.
    if (auto again = write(*queued_); !again) return again;
    queued_.reset();
    failed_ = false;
  }
  queued_ = take(writes);
  resume_unsaved_ = false;
  lock.unlock();
  changed_.notify_all();
  return {};
}

std::size_t StoreCorrelationState::writes_in_flight() const {
  std::lock_guard lock(mutex_);
  return queued_ ? queued_->writes.size() : 0;
}

void StoreCorrelationState::run_writer() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return (queued_ && !failed_ && !writing_) || stopping_; });
    if (!queued_ || failed_) return;  // stopping, nothing (more) to write
    writing_ = true;
    lock.unlock();
    auto saved = write(*queued_);
    lock.lock();
    writing_ = false;
    if (saved) {
      queued_.reset();
    } else {
      failed_ = true;
      spdlog::error("correlation state not saved (retried at the next checkpoint): {}",
                    saved.error().message);
    }
    changed_.notify_all();
  }
}

}  // namespace probity::app
