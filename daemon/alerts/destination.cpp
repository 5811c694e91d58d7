// Destination: one destination's delivery thread over its outbox rows (destination.h).
#include "alerts/destination.h"

#include <spdlog/spdlog.h>

namespace probity::alerts {

namespace {
constexpr auto kFailureLogInterval = std::chrono::seconds(60);
// The schedule entry standing for "send the digest"; no alert id starts with a control byte.
const std::string kDigestEntry = "\x01digest";
constexpr std::size_t kDigestMaxAlerts = 500;  // per delivery; the rest go in the next one

event::Timestamp wall_now() {
  return std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
}
}  // namespace

Destination::Destination(std::string name, std::unique_ptr<Channel> channel, state::Store& store,
                         const AlertConfig& config, AlertCounters& counters)
    : name_(std::move(name)),
      channel_(std::move(channel)),
      store_(store),
      outbox_(store),
      counters_(counters),
      schedule_(config.retry_initial, config.retry_max) {}

Destination::~Destination() {
  request_stop(Clock::now());
  join();
}

Result<void> Destination::start() {
  auto left = outbox_.load_sends(name_);
  if (!left) return tl::unexpected(left.error());
  auto held = outbox_.load_held(name_, 1);
  if (!held) return tl::unexpected(held.error());
  {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    for (const auto& e : *left) schedule_.add(e.alert_id, e.attempts, now);
    if (!held->empty()) {
      // The oldest held alert's due time, or now if it passed while Probity was down.
      const auto late = held->front().due - wall_now();
      schedule_.add(kDigestEntry, 0, now + std::max<Clock::duration>(late, Clock::duration{0}));
    }
    set_pending_locked();
  }
  if (!left->empty())
    spdlog::info("alerts: {} alert(s) for {} {} left in the outbox by a previous run, re-queued",
                 left->size(), kind(), name_);
  thread_ = std::thread([this] { run(); });
  return {};
}

void Destination::queue(const std::string& alert_id) {
  {
    std::lock_guard lock(mutex_);
    schedule_.add(alert_id, 0, Clock::now());
    set_pending_locked();
  }
  wake_.notify_one();
}

void Destination::hold(Clock::time_point due) {
  {
    std::lock_guard lock(mutex_);
    const auto wake_before = schedule_.next_wake();
    schedule_.due_by(kDigestEntry, due);
    set_pending_locked();
    // A digest already due as early needs no wake-up: waking the thread at every batch of
    // held alerts only to sleep again preempted the evaluation thread, which raised them.
    if (schedule_.next_wake() == wake_before) return;
  }
  wake_.notify_one();
}

void Destination::set_pending_locked() {
  const std::size_t now_pending = schedule_.size();
  counters_.pending += now_pending;
  counters_.pending -= pending_shown_;
  pending_shown_ = now_pending;
  stats_.pending = now_pending;
}

void Destination::request_stop(Clock::time_point drain_deadline) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    drain_deadline_ = drain_deadline;
  }
  wake_.notify_all();
}

void Destination::join() {
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  schedule_ = RetrySchedule(std::chrono::milliseconds(0), std::chrono::milliseconds(0));
  set_pending_locked();  // what is left is on disk, not pending in this run
}

Destination::Outcome Destination::attempt(const std::string& entry, std::string& error) {
  return entry == kDigestEntry ? send_digest(error) : send_one(entry, error);
}

Destination::Outcome Destination::send_one(const std::string& alert_id, std::string& error) {
  auto alert = stored_alert(store_, alert_id);
  if (!alert) {
    if (alert.error().code != "alerts.unknown" && alert.error().code != "alerts.bad_json") {
      error = "cannot read alert: " + describe(alert.error());
      return Outcome::failed;
    }
    // Purged, or a hand-edited database: nothing can ever be sent for it.
    spdlog::error("alerts: {} outbox row for alert {} dropped: {}", name_, alert_id,
                  describe(alert.error()));
    (void)outbox_.remove_send(name_, alert_id);
    return Outcome::dropped;
  }
  if (auto r = channel_->send(*alert); !r) {
    error = describe(r.error());
    return Outcome::failed;
  }
  if (auto r = outbox_.remove_send(name_, alert_id); !r) {
    // Delivered but still queued on disk: the next start() sends it again. Say so.
    spdlog::error("alerts: alert {} delivered to {} but its outbox row could not be erased: {}",
                  alert_id, name_, describe(r.error()));
  }
  return Outcome::delivered;
}

Destination::Outcome Destination::send_digest(std::string& error) {
  auto held = outbox_.load_held(name_, kDigestMaxAlerts);
  if (!held) {
    error = "cannot read the digest queue: " + describe(held.error());
    return Outcome::failed;
  }
  std::vector<Alert> alerts;
  std::vector<std::string> ids;
  for (const auto& h : *held) {
    ids.push_back(h.alert_id);
    auto alert = stored_alert(store_, h.alert_id);
    if (alert) {
      alerts.push_back(std::move(*alert));
    } else if (alert.error().code != "alerts.unknown" && alert.error().code != "alerts.bad_json") {
      error = "cannot read alert " + h.alert_id + ": " + describe(alert.error());
      return Outcome::failed;
    }  // a purged or unreadable alert is left out; its row goes with the others
  }
  if (!alerts.empty()) {
    if (auto r = channel_->send_digest(alerts, wall_now()); !r) {
      error = describe(r.error());
      return Outcome::failed;
    }
    counters_.digests_sent++;
  }
  if (auto r = outbox_.remove_held(name_, ids); !r)
    spdlog::error("alerts: digest delivered to {} but its queue could not be emptied: {}", name_,
                  describe(r.error()));
  std::lock_guard lock(mutex_);
  digest_more_ = held->size() == kDigestMaxAlerts;
  return Outcome::delivered;
}

void Destination::log_failure(const std::string& entry, std::uint32_t attempts,
                              const std::string& why) {
  const auto now = Clock::now();
  if (last_failure_log_ != Clock::time_point{} && now - last_failure_log_ < kFailureLogInterval) {
    ++unlogged_failures_;
    return;
  }
  spdlog::warn(
      "alerts: {} {}: {} not delivered (attempt {}, {} more failure(s) since the last "
      "report): {}",
      kind(), name_, entry == kDigestEntry ? std::string("digest") : "alert " + entry, attempts,
      unlogged_failures_, why);
  last_failure_log_ = now;
  unlogged_failures_ = 0;
}

void Destination::run() {
  std::unique_lock lock(mutex_);
  // Delivery takes seconds: the lock is released meanwhile, so queue() never waits on it.
  const auto attempt_unlocked = [&](const std::string& entry, std::string& error) {
    lock.unlock();
    const Outcome outcome = attempt(entry, error);
    lock.lock();
    if (outcome == Outcome::failed) {
      counters_.send_failures++;
      stats_.failed++;
    }
    if (outcome == Outcome::delivered) {
      stats_.delivered++;
      if (entry != kDigestEntry) counters_.sent++;
    }
    return outcome;
  };
  while (!stopping_) {
    const auto picked = schedule_.pick(Clock::now());
    if (!picked) {
      if (const auto when = schedule_.next_wake())
        wake_.wait_until(lock, *when);
      else
        wake_.wait(lock);
      continue;
    }
    // pick() returned a copy, which stays valid while the lock is released.
    const std::string& entry = *picked;
    std::string error;
    const Outcome outcome = attempt_unlocked(entry, error);
    if (outcome == Outcome::failed) {
      const auto attempts = schedule_.failed(entry, Clock::now());
      lock.unlock();
      if (entry != kDigestEntry) (void)outbox_.record_failure(name_, entry, attempts, error);
      log_failure(entry, attempts, error);
      lock.lock();
    } else if (outcome == Outcome::delivered) {
      if (last_failure_log_ != Clock::time_point{}) {
        spdlog::info("alerts: {} {} delivers again", kind(), name_);
        last_failure_log_ = {};
        unlogged_failures_ = 0;
      }
      schedule_.succeeded(entry);
      if (entry == kDigestEntry && digest_more_) schedule_.add(kDigestEntry, 0, Clock::now());
    } else {
      schedule_.drop(entry);
    }
    set_pending_locked();
  }

  // Drain: one more try for each pending alert (not held digests: their time has not
  // come), oldest first, until the deadline. The first failure ends it: the destination is
  // down and the outbox keeps the rest for the next start.
  for (const auto& entry : schedule_.ids()) {
    if (Clock::now() >= drain_deadline_) break;
    if (entry == kDigestEntry) continue;
    std::string error;
    if (attempt_unlocked(entry, error) == Outcome::failed) {
      spdlog::warn("alerts: stopping with {} alert(s) for {} {} still in the outbox: {}",
                   schedule_.size(), kind(), name_, error);
      break;
    }
    schedule_.drop(entry);
    set_pending_locked();
  }
}

}  // namespace probity::alerts
