// The per-message path, in order: syslog parse → decode → rules → a MatchSink (the
// daemon raises alerts, replay prints them). Runs on the I/O thread that received the
// message; each failure is counted by reason and logged once per connection.
// Not for listeners or start-up (daemon.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "alerts/alerts.h"
#include "decode/decode.h"
#include "ingest/ingest.h"
#include "rules/rules.h"
#include "state/reference.h"

namespace probity::app {

struct PipelineCounters {
  std::atomic<std::uint64_t> parsed{0};           ///< syslog messages parsed
  std::atomic<std::uint64_t> rejected_parse{0};   ///< not RFC 5424 / 3164
  std::atomic<std::uint64_t> events{0};           ///< canonical events decoded
  std::atomic<std::uint64_t> evaluated{0};        ///< events run through the rules
  std::atomic<std::uint64_t> rule_matches{0};
  std::atomic<std::uint64_t> alert_failures{0};   ///< matches whose alert could not be stored
};

/// Where rule matches go.
class MatchSink {
 public:
  virtual ~MatchSink() = default;
  virtual void on_match(const rules::Match& match, const event::Event& e) = 0;
};

/// The daemon's MatchSink: every match becomes a stored, logged and mailed alert.
class AlertingSink final : public MatchSink {
 public:
  AlertingSink(alerts::AlertPipeline& alerts, PipelineCounters& counters)
      : alerts_(alerts), counters_(counters) {}
  void on_match(const rules::Match& match, const event::Event& e) override;

 private:
  alerts::AlertPipeline& alerts_;
  PipelineCounters& counters_;
};

class Pipeline final : public ingest::MessageSink {
 public:
  /// The decoder is mutated (gateway messages held for assembly): the pipeline is its one
  /// caller, on the I/O thread.
  Pipeline(decode::Decoder& decoder, const state::ReferenceData& reference,
           MatchSink& matches, PipelineCounters& counters);

  /// Swaps the rule set between two messages (the I/O thread calls both).
  void set_rules(std::shared_ptr<const rules::RuleSet> rules) { rules_ = std::move(rules); }
  const rules::RuleSet* rules() const { return rules_.get(); }

  void on_message(std::string_view message, std::string_view peer) override;
  /// For input that is already canonical (JSON-lines replay): rules and matches only.
  void on_event(const event::Event& e);
  /// Gateway messages left incomplete past their timeout (all of them when `all`, at
  /// drain) are emitted and evaluated. The I/O thread's 1 s timer calls it.
  void flush_gateways(bool all);

 private:
  void reject(std::string_view peer, const Error& error, std::string_view message);

  decode::Decoder& decoder_;
  const state::ReferenceData& reference_;
  MatchSink& matches_sink_;
  PipelineCounters& counters_;
  std::shared_ptr<const rules::RuleSet> rules_;
  std::vector<event::Event> events_;    // reused per message
  std::vector<rules::Match> matches_;   // reused per event
  std::unordered_set<std::string> peers_logged_;  // connections whose first error was logged
};

/// An alert for a rule match: evidence is the event as JSON, the user is user.id.
alerts::Alert make_alert(const rules::Match& match, const event::Event& e);

}  // namespace probity::app
