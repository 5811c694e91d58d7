// Pipeline::on_message and the alert it raises for each rule match.
#include "app/pipeline.h"

#include <spdlog/spdlog.h>

#include "syslog/syslog.h"

namespace probity::app {

Pipeline::Pipeline(decode::Decoder& decoder, EventSink& next, PipelineCounters& counters)
    : decoder_(decoder), next_(next), counters_(counters) {
  pending_.reserve(kBatch);
}

Evaluator::Evaluator(const state::ReferenceData& reference, MatchSink& matches,
                     PipelineCounters& counters)
    : reference_(reference), matches_sink_(matches), counters_(counters) {}

namespace {

/// The start of a rejected message, printable, for the log line.
std::string excerpt(std::string_view message) {
  constexpr std::size_t kShown = 120;
  std::string out;
  for (const char c : message.substr(0, kShown)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", u);
    }
  }
  if (message.size() > kShown) out += "...";
  return out;
}

}  // namespace

void Pipeline::on_message(std::string_view message, std::string_view peer) {
  const auto received = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
  auto parsed = syslog::parse_syslog(message);
  if (!parsed) {
    counters_.rejected_parse.fetch_add(1, std::memory_order_relaxed);
    reject(peer, parsed.error(), message);
    return;
  }
  counters_.parsed.fetch_add(1, std::memory_order_relaxed);
  auto decoded = decoder_.decode_into(*parsed, received, pending_);
  if (!decoded) {
    // The decoder counts its own failures by reason.
    reject(peer, decoded.error(), message);
    return;
  }
  counters_.events.fetch_add(*decoded, std::memory_order_relaxed);
  if (pending_.size() >= kBatch) flush();
}

void Pipeline::flush() {
  if (pending_.empty()) return;
  next_.on_events(pending_);
  pending_.clear();
}

void Pipeline::flush_gateways(bool all) {
  const std::size_t n =
      all ? decoder_.flush_all(pending_)
          : decoder_.flush_expired(std::chrono::time_point_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now()),
                                   pending_);
  counters_.events.fetch_add(n, std::memory_order_relaxed);
  flush();
}

void Evaluator::on_events(std::vector<event::Event>& events) {
  const auto rules = rules_.load();  // once per batch: a reload applies from the next one
  for (const auto& e : events) evaluate(rules.get(), e);
  events.clear();
}

void Evaluator::on_event(const event::Event& e) { evaluate(rules_.load().get(), e); }

void Evaluator::evaluate(const rules::RuleSet* rules, const event::Event& e) {
  matches_.clear();
  if (rules) rules->evaluate(e, reference_, matches_);
  counters_.evaluated.fetch_add(1, std::memory_order_relaxed);
  counters_.rule_matches.fetch_add(matches_.size(), std::memory_order_relaxed);
  for (const auto& m : matches_) matches_sink_.on_match(m, e);
}

void Pipeline::reject(std::string_view peer, const Error& error, std::string_view message) {
  // Once per connection: a sender with a broken format would otherwise flood the log.
  if (peers_logged_.size() > 4096) peers_logged_.clear();
  if (!peers_logged_.emplace(peer).second) return;
  spdlog::warn("rejected message from {}: {} [{}]: \"{}\"; further rejects on this "
               "connection are only counted",
               peer, error.message, error.code, excerpt(message));
}

alerts::Alert make_alert(const rules::Match& match, const event::Event& e) {
  alerts::Alert a;
  a.rule_id = match.rule_id;
  a.rule_version = match.rule_version;
  a.title = match.title;
  a.severity = std::string(rules::to_string(match.severity));
  a.message = match.message;
  a.event_time = e.time().value_or(event::Timestamp{});
  a.user_id = std::string(e.str(event::FieldId::user_id));
  a.events_json.push_back(event::to_json(e));
  a.fields = match.shown_fields;
  return a;
}

void AlertingSink::on_match(const rules::Match& match, const event::Event& e) {
  auto id = alerts_.raise(make_alert(match, e));
  if (!id) {
    counters_.alert_failures.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("alert for rule {} could not be stored: {}", match.rule_id, id.error().message);
    return;
  }
  spdlog::warn("ALERT {} [{}] {}: {}", *id, rules::to_string(match.severity), match.rule_id,
               match.message);
}

}  // namespace probity::app
