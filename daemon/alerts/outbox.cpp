// The durable email outbox and its retry schedule: what survives a restart and what is
// tried when. Not for the delivery thread itself (pipeline.cpp).
#include "alerts/outbox.h"

#include <nlohmann/json.hpp>

namespace probity::alerts {

namespace {
constexpr std::string_view kEmailPrefix = "email:";
constexpr std::string_view kDigestPrefix = "digest:";

// What an outbox row holds for either sink (email rows add their attempt count).
nlohmann::ordered_json entry_json(std::string_view alert_id, std::string_view sink,
                                  event::Timestamp created) {
  nlohmann::ordered_json j;
  j["alert_id"] = alert_id;
  j["sink"] = sink;
  j["created"] = event::format_time(created);
  return j;
}
}  // namespace

std::string AlertOutbox::key(std::string_view alert_id) {
  return std::string(kEmailPrefix) + std::string(alert_id);
}

state::RuntimeWrite AlertOutbox::enqueue_write(std::string_view alert_id,
                                               event::Timestamp created) {
  nlohmann::ordered_json j = entry_json(alert_id, "email", created);
  j["attempts"] = 0;
  return {state::RuntimeTable::outbox, key(alert_id), j.dump()};
}

state::RuntimeWrite AlertOutbox::enqueue_digest_write(std::string_view alert_id,
                                                      event::Timestamp created) {
  return {state::RuntimeTable::outbox, std::string(kDigestPrefix) + std::string(alert_id),
          entry_json(alert_id, "digest", created).dump()};
}

Result<std::vector<std::string>> AlertOutbox::load_digest(std::size_t limit) const {
  std::vector<std::string> out;
  auto r = store_.scan(state::RuntimeTable::outbox, kDigestPrefix,
                       [&](std::string_view k, std::string_view) {
                         out.emplace_back(k.substr(kDigestPrefix.size()));
                         return out.size() < limit;
                       });
  if (!r) return tl::unexpected(r.error());
  return out;
}

Result<void> AlertOutbox::remove_digest(const std::vector<std::string>& alert_ids) {
  std::vector<state::RuntimeWrite> writes;
  for (const auto& id : alert_ids)
    writes.push_back({state::RuntimeTable::outbox, std::string(kDigestPrefix) + id, std::nullopt});
  return store_.write_batch(writes, /*sync=*/true);
}

Result<std::vector<OutboxEntry>> AlertOutbox::load() const {
  std::vector<OutboxEntry> out;
  auto r = store_.scan(state::RuntimeTable::outbox, kEmailPrefix,
                       [&out](std::string_view k, std::string_view v) {
                         OutboxEntry e{std::string(k.substr(kEmailPrefix.size())), 0};
                         // The key alone is enough to deliver; a damaged record only loses
                         // the attempt count.
                         const auto j = nlohmann::json::parse(v, nullptr, false);
                         if (!j.is_discarded() && j.is_object() && j.contains("attempts") &&
                             j["attempts"].is_number_unsigned())
                           e.attempts = j["attempts"].get<std::uint32_t>();
                         out.push_back(std::move(e));
                         return true;
                       });
  if (!r) return tl::unexpected(r.error());
  return out;
}

Result<void> AlertOutbox::remove(std::string_view alert_id) {
  return store_.erase(state::RuntimeTable::outbox, key(alert_id), /*sync=*/true);
}

Result<void> AlertOutbox::record_failure(std::string_view alert_id, std::uint32_t attempts,
                                         std::string_view error) {
  nlohmann::ordered_json j;
  j["alert_id"] = alert_id;
  j["sink"] = "email";
  j["attempts"] = attempts;
  j["last_error"] = error;
  j["last_attempt"] = event::format_time(
      std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()));
  return store_.put(state::RuntimeTable::outbox, key(alert_id),
                    j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    /*sync=*/false);
}

void RetrySchedule::add(const std::string& alert_id, std::uint32_t attempts,
                        Clock::time_point now) {
  if (entries_.try_emplace(alert_id, Entry{attempts, now}).second) by_due_.emplace(now, alert_id);
}

void RetrySchedule::erase(const std::string& alert_id) {
  const auto it = entries_.find(alert_id);
  if (it == entries_.end()) return;
  by_due_.erase({it->second.due, alert_id});
  entries_.erase(it);
}

void RetrySchedule::drop(const std::string& alert_id) { erase(alert_id); }

std::optional<std::string> RetrySchedule::pick(Clock::time_point now) const {
  if (now < hold_until_ || by_due_.empty() || by_due_.begin()->first > now) return std::nullopt;
  return by_due_.begin()->second;
}

std::optional<RetrySchedule::Clock::time_point> RetrySchedule::next_wake() const {
  if (by_due_.empty()) return std::nullopt;
  return std::max(by_due_.begin()->first, hold_until_);
}

void RetrySchedule::succeeded(const std::string& alert_id) {
  erase(alert_id);
  consecutive_failures_ = 0;
  hold_until_ = {};
}

std::uint32_t RetrySchedule::failed(const std::string& alert_id, Clock::time_point now) {
  ++consecutive_failures_;
  hold_until_ = now + backoff(consecutive_failures_);
  const auto it = entries_.find(alert_id);
  if (it == entries_.end()) return 0;
  by_due_.erase({it->second.due, alert_id});
  it->second.attempts++;
  it->second.due = now + backoff(it->second.attempts);
  by_due_.emplace(it->second.due, alert_id);
  return it->second.attempts;
}

std::chrono::milliseconds RetrySchedule::backoff(std::uint32_t failures) const {
  if (failures == 0) return std::chrono::milliseconds(0);
  auto d = initial_;
  for (std::uint32_t i = 1; i < failures && d < max_; ++i) d *= 2;
  return std::min(d, max_);
}

std::vector<std::string> RetrySchedule::ids() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_) out.push_back(id);
  return out;
}

}  // namespace probity::alerts
