// The durable outbox and its retry schedule: what survives a restart and what is tried
// when. Not for the delivery threads themselves (destination.cpp).
#include "alerts/outbox.h"

#include <nlohmann/json.hpp>

namespace probity::alerts {

namespace {
constexpr std::string_view kSend = "send:";
constexpr std::string_view kHold = "hold:";
// Rows written before routes existed (one email sink): routed again at start.
constexpr std::string_view kLegacyEmail = "email:";
constexpr std::string_view kLegacyDigest = "digest:";

std::string key_of(std::string_view kind, std::string_view destination, std::string_view alert_id) {
  std::string key(kind);
  key.append(destination).append(":").append(alert_id);
  return key;
}

std::string prefix_of(std::string_view kind, std::string_view destination) {
  return key_of(kind, destination, "");
}

nlohmann::ordered_json entry_json(std::string_view alert_id, std::string_view destination,
                                  event::Timestamp created) {
  nlohmann::ordered_json j;
  j["alert_id"] = alert_id;
  j["destination"] = destination;
  j["created"] = event::format_time(created);
  return j;
}

std::string dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

state::RuntimeWrite AlertOutbox::send_write(std::string_view destination, std::string_view alert_id,
                                            event::Timestamp created) {
  auto j = entry_json(alert_id, destination, created);
  j["attempts"] = 0;
  return {state::RuntimeTable::outbox, key_of(kSend, destination, alert_id), dump(j)};
}

state::RuntimeWrite AlertOutbox::hold_write(std::string_view destination, std::string_view alert_id,
                                            event::Timestamp created, event::Timestamp due) {
  auto j = entry_json(alert_id, destination, created);
  j["digest_due"] = event::format_time(due);
  return {state::RuntimeTable::outbox, key_of(kHold, destination, alert_id), dump(j)};
}

Result<std::vector<OutboxEntry>> AlertOutbox::load_sends(std::string_view destination) const {
  std::vector<OutboxEntry> out;
  const std::string prefix = prefix_of(kSend, destination);
  auto r =
      store_.scan(state::RuntimeTable::outbox, prefix, [&](std::string_view k, std::string_view v) {
        OutboxEntry e{std::string(k.substr(prefix.size())), 0};
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

Result<std::vector<HeldEntry>> AlertOutbox::load_held(std::string_view destination,
                                                      std::size_t limit) const {
  std::vector<HeldEntry> out;
  const std::string prefix = prefix_of(kHold, destination);
  auto r =
      store_.scan(state::RuntimeTable::outbox, prefix, [&](std::string_view k, std::string_view v) {
        HeldEntry e{std::string(k.substr(prefix.size())), {}};
        // No readable due time: due now rather than never.
        const auto j = nlohmann::json::parse(v, nullptr, false);
        if (!j.is_discarded() && j.is_object() && j.contains("digest_due") &&
            j["digest_due"].is_string())
          e.due =
              event::parse_time(j["digest_due"].get<std::string>()).value_or(event::Timestamp{});
        out.push_back(std::move(e));
        return out.size() < limit;
      });
  if (!r) return tl::unexpected(r.error());
  return out;
}

Result<std::vector<StrayEntry>> AlertOutbox::load_strays(
    const std::set<std::string>& destinations) const {
  std::vector<StrayEntry> out;
  auto r = store_.scan(state::RuntimeTable::outbox, "", [&](std::string_view k, std::string_view) {
    const auto last_colon = k.rfind(':');
    if (last_colon == std::string_view::npos) return true;
    std::string_view destination;
    if (k.starts_with(kSend) || k.starts_with(kHold)) {
      destination = k.substr(kSend.size(), last_colon - kSend.size());
    } else if (!k.starts_with(kLegacyEmail) && !k.starts_with(kLegacyDigest)) {
      return true;  // not a delivery entry (the JSONL backlog's marks)
    }
    if (destination.empty() || !destinations.contains(std::string(destination)))
      out.push_back({std::string(k), std::string(k.substr(last_colon + 1))});
    return true;
  });
  if (!r) return tl::unexpected(r.error());
  return out;
}

Result<void> AlertOutbox::remove_send(std::string_view destination, std::string_view alert_id) {
  return store_.erase(state::RuntimeTable::outbox, key_of(kSend, destination, alert_id),
                      /*sync=*/true);
}

Result<void> AlertOutbox::remove_held(std::string_view destination,
                                      const std::vector<std::string>& ids) {
  std::vector<state::RuntimeWrite> writes;
  for (const auto& id : ids)
    writes.push_back({state::RuntimeTable::outbox, key_of(kHold, destination, id), std::nullopt});
  return store_.write_batch(writes, /*sync=*/true);
}

Result<void> AlertOutbox::record_failure(std::string_view destination, std::string_view alert_id,
                                         std::uint32_t attempts, std::string_view error) {
  nlohmann::ordered_json j;
  j["alert_id"] = alert_id;
  j["destination"] = destination;
  j["attempts"] = attempts;
  j["last_error"] = error;
  j["last_attempt"] = event::format_time(
      std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()));
  return store_.put(state::RuntimeTable::outbox, key_of(kSend, destination, alert_id), dump(j),
                    /*sync=*/false);
}

void RetrySchedule::add(const std::string& alert_id, std::uint32_t attempts,
                        Clock::time_point now) {
  if (entries_.try_emplace(alert_id, Entry{attempts, now}).second) by_due_.emplace(now, alert_id);
}

void RetrySchedule::due_by(const std::string& id, Clock::time_point due) {
  const auto it = entries_.find(id);
  if (it == entries_.end()) {
    add(id, 0, due);
  } else if (due < it->second.due) {
    by_due_.erase({it->second.due, id});
    it->second.due = due;
    by_due_.emplace(due, id);
  }
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
