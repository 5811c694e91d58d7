// StoreCorrelationState: rule_state scan and batch writes, on the caller's thread or a
// writer thread of its own.
#include "app/correlation_state.h"

#include <spdlog/spdlog.h>

#include "base/read_ahead.h"
#include "base/thread_role.h"

namespace probity::app {

StoreCorrelationState::StoreCorrelationState(state::Store& store, EvaluatedPosition* position,
                                             bool background, std::size_t ingest_from)
    : store_(store), position_(position), ingest_from_(ingest_from) {
  if (background)
    writer_ = std::thread([this] {
      // Checkpoints may wait; events being evaluated should not wait for them.
      name_this_thread("probity-ckpt");
      make_this_thread_background();
      run_writer();
    });
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
  // Reading and decompressing on a thread of their own: half of a large state's start-up.
  return read_ahead(
      [&](const auto& entry) { return store_.scan(state::RuntimeTable::rule_state, "", entry); },
      each);
}

Result<void> StoreCorrelationState::write(const Batch& batch) {
  std::vector<state::RuntimeWrite> position;
  if (batch.point) position.push_back(EvaluatedPosition::write(*batch.point));
  auto saved = batch.writes.payload_bytes() >= ingest_from_
                   ? store_.ingest_packed(state::RuntimeTable::rule_state, batch.writes, position)
                   : store_.write_packed(state::RuntimeTable::rule_state, batch.writes, position,
                                         /*sync=*/false);
  if (saved && batch.point && position_) position_->saved(*batch.point);
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
      batch.writes.clear();  // its blocks, for the caller's next checkpoint
    }
    batch.writes.swap(writes);
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
  writes.swap(spare_);  // the blocks of the batch written last, to fill again
  resume_unsaved_ = false;
  lock.unlock();
  changed_.notify_all();
  return {};
}

std::size_t StoreCorrelationState::writes_in_flight() const {
  std::lock_guard lock(mutex_);
  return queued_ ? queued_->writes.size() : 0;
}

bool StoreCorrelationState::writing() const {
  std::lock_guard lock(mutex_);
  return queued_ && !failed_;
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
      queued_->writes.clear();
      spare_.swap(queued_->writes);
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
