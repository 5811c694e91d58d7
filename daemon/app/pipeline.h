// The per-message path, in order: syslog parse → decode (DecodeStage, on the I/O thread)
// → rules (EvaluationStage) → a MatchSink (the daemon raises alerts, replay prints them). Each
// failure is counted by reason and logged once per connection. Not for listeners or
// start-up (daemon.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "alerts/alerts.h"
#include "alerts/identity_mask.h"
#include "alerts/pseudonymiser.h"
#include "app/alert_committer.h"
#include "app/backfill_log.h"
#include "app/ingest_journal.h"
#include "base/latency_histogram.h"
#include "base/throttle.h"
#include "decode/decode.h"
#include "http/alert_feed.h"
#include "ingest/ingest.h"
#include "rules/rules.h"
#include "state/reference.h"

namespace probity::app {

struct PipelineCounters {
  std::atomic<std::uint64_t> parsed{0};          ///< syslog messages parsed
  std::atomic<std::uint64_t> rejected_parse{0};  ///< not RFC 5424 / 3164
  std::atomic<std::uint64_t> events{0};          ///< canonical events decoded
  std::atomic<std::uint64_t> evaluated{0};       ///< events run through the rules
  std::atomic<std::uint64_t> rule_matches{0};
  std::atomic<std::uint64_t> alert_failures{0};  ///< matches whose alert could not be stored
  std::atomic<std::uint64_t> already_raised{0};  ///< matches of an event whose alert exists
  // Correlation state (copied from rules::CorrelationCounters after each batch / tick).
  std::atomic<std::uint64_t> correlation_late{0};    ///< events too late to correlate
  std::atomic<std::uint64_t> correlation_future{0};  ///< events dated too far ahead to correlate
  std::atomic<std::uint64_t> backfill_events{0};     ///< behind the clock: evaluated in a frame
  std::atomic<std::uint64_t> backfill_frames{0};     ///< backfill frames opened
  std::atomic<std::uint64_t> backfill_open{0};       ///< gauge: backfill frames open
  std::atomic<std::uint64_t> backfill_refused{0};    ///< behind the clock, every frame busy
  std::atomic<std::uint64_t> correlation_evicted_keys{0};
  std::atomic<std::uint64_t> correlation_evicted_pending{0};
  std::atomic<std::uint64_t> correlation_evidence_dropped{0};
  std::atomic<std::uint64_t> correlation_keys{0};     ///< gauge
  std::atomic<std::uint64_t> correlation_unsaved{0};  ///< gauge: changed since the last checkpoint
  std::atomic<std::uint64_t> correlation_state_bytes{0};  ///< gauge: the budget's measure
  std::atomic<std::uint64_t> correlation_fired{0};
  std::atomic<std::uint64_t> suppressed_repeats{0};  ///< matches folded into an open alert
  std::atomic<std::uint64_t> exceptions_applied{0};  ///< matches an exception prevented
  std::atomic<std::uint64_t> state_checkpoints{0};
  std::atomic<std::uint64_t> state_checkpoint_failures{0};
  /// From an event's arrival to its alert stored (raised, or a repeat folded into it).
  LatencyHistogram event_to_alert;
  /// One event's evaluation: rules, correlations and raising what they match.
  LatencyHistogram event_evaluation;
};

/// Where rule matches go.
class MatchSink {
 public:
  virtual ~MatchSink() = default;
  virtual void on_match(const rules::Match& match, const event::Event& e) = 0;
  /// The end of an evaluation batch: what on_match deferred becomes durable, now or (with
  /// an AlertCommitter) on another thread.
  virtual void flush() {}
  /// Returns once what flush() began is durable: a checkpoint records no position past
  /// events whose alerts are not.
  virtual void settle() {}
};

/// The daemon's MatchSink: every match becomes a stored, logged and mailed alert; a
/// suppressed repeat (Match::repeat) folds into the alert opened for its suppression key
/// (count + last seen) when this sink raised it, else it raises a new one: never dropped
/// (unless that alert's own store failed: both are counted as store failures). Alerts and
/// repeats are staged and committed together (AlertPipeline::commit).
class AlertingSink final : public MatchSink {
 public:
  /// With `mask` each alert's shown view is pseudonymised under `key` (re-read when
  /// rotated); without, pseudonymisation is off and channels show identities. With
  /// `committer` a batch's alerts are committed on its thread, else on the caller's.
  AlertingSink(alerts::AlertPipeline& alerts, PipelineCounters& counters,
               alerts::PseudonymKey* key = nullptr, const alerts::IdentityMask* mask = nullptr,
               AlertCommitter* committer = nullptr)
      : alerts_(alerts), counters_(counters), key_(key), mask_(mask), committer_(committer) {}
  /// Alerts and repeats are staged as matches come and committed (AlertPipeline::commit) as
  /// soon as the committer is idle, and at the latest at the batch's end (flush).
  void on_match(const rules::Match& match, const event::Event& e) override;
  void flush() override;
  void settle() override;

 private:
  /// Notes the event's arrival, for probity_event_to_alert_seconds once its alert is durable.
  void observe_latency(const event::Event& e);
  /// After staging a raise or a fold: with a committer that is idle, commits now rather than
  /// at the batch's end (an alert early in a large batch waited for the whole batch).
  void commit_if_idle();
  /// Re-reads the pseudonym key if its file was replaced, once a batch: `keys rotate`
  /// promises its new key to the next alert, and an event sent after it returns is in a
  /// later batch (a stat per alert was 4 % of an alert storm).
  void refresh_key();
  /// Logs how many alerts and repeats the log budgets held back in the seconds that have ended.
  void log_held_back(std::chrono::steady_clock::time_point now);
  alerts::AlertPipeline& alerts_;
  PipelineCounters& counters_;
  alerts::PseudonymKey* key_;
  const alerts::IdentityMask* mask_;
  AlertCommitter* committer_;
  bool key_error_logged_ = false;
  bool key_refreshed_ = false;  ///< this batch; flush() clears it
  std::size_t staged_ = 0;      ///< staged alerts and repeats not yet handed to the committer
  // Each alert is a log line up to 100 a second; past that the log says how many more.
  // The store, the live page and the JSONL log hold every one.
  LogBudget alert_lines_{100, std::chrono::seconds(1)};
  // Repeats folded into an open alert, likewise: a storm of them was a log line each.
  LogBudget repeat_lines_{100, std::chrono::seconds(1)};
  std::unordered_map<std::string, std::string> open_;  // suppression key -> alert id
  std::vector<event::Timestamp> uncommitted_;  // arrivals of events whose alert awaits flush()
};

/// Where decoded events go: straight to an EvaluationStage (replay) or across a thread to one
/// (the daemon, evaluation_thread.h).
class EventSink {
 public:
  virtual ~EventSink() = default;
  /// Takes the events (the vector is left empty). `position`: the journal sequence number of
  /// the last message decoded into them (0 when the input is not journaled).
  virtual void on_events(std::vector<event::Event>& events, JournalSeq position) = 0;
};

/// Rules and correlations for canonical events, and their matches (building blocks
/// excepted) to a MatchSink. One caller at a time (the evaluation thread); set_rules() may
/// be called from any thread and applies from the next batch, carrying the correlation
/// state of unchanged rules over.
class EvaluationStage final : public EventSink {
 public:
  /// With a `state` store, correlation state is restored by restore() and written every
  /// `checkpoint_every` (and by checkpoint()). With `wall_clock` (the daemon) ticks also
  /// advance the correlation clock to the wall clock, so absent rules fire while no events
  /// arrive, and event times past the wall clock + max_future_skew move no clock (the system
  /// clock unless `correlation.now` is set); without it (replay) only event times move it.
  /// Backfill frames (correlation.max_backfill_frames) are logged by a BackfillLog unless
  /// `correlation.on_backfill` is set.
  EvaluationStage(const state::ReferenceData& reference, MatchSink& matches,
                  PipelineCounters& counters, rules::CorrelationOptions correlation = {},
                  rules::CorrelationStore* state = nullptr,
                  std::chrono::milliseconds checkpoint_every = std::chrono::seconds(5),
                  bool wall_clock = false);
  ~EvaluationStage() override;

  /// From any thread (a reload); the evaluation thread takes the new rules at its next batch.
  void set_rules(std::shared_ptr<const rules::RuleSet> rules) {
    std::lock_guard lock(rules_mutex_);
    rules_ = std::move(rules);
  }
  std::shared_ptr<const rules::RuleSet> rules() const {
    std::lock_guard lock(rules_mutex_);
    return rules_;
  }

  void on_event(const event::Event& e);
  /// An empty batch is a tick: see tick(). A non-zero position is saved with the next
  /// checkpoint (CorrelationStore::set_resume_point) as where evaluation stands. A checkpoint
  /// in progress encodes a few groups per event after each batch, and at a tick (sent only
  /// when no batch waits) the rest, or until events wait (see yield_to).
  void on_events(std::vector<event::Event>& events, JournalSeq position) override;
  /// on_events() without freeing the events: EvaluationThread hands them back to the
  /// decoding thread, which frees them there.
  void evaluate_batch(const std::vector<event::Event>& events, JournalSeq position);
  /// The count of events queued in front of this stage (EvaluationThread's), read by a tick's
  /// checkpoint work, which stops when any wait. Without one, a tick encodes all the rest.
  void yield_to(const std::atomic<std::size_t>* queued_events) { queued_events_ = queued_events; }
  /// At most once a second by the wall clock: fires absent-rule deadlines the watermark
  /// passed, publishes counters, and begins a checkpoint when due and the store has written
  /// the last one (with `force`, writes one whole, as checkpoint()).
  void tick(bool force = false);

  /// Before evaluation starts: loads persisted correlation state for the current rules.
  Result<void> restore();
  /// Writes correlation state changed since the last checkpoint (e.g. at drain).
  Result<void> checkpoint();

 private:
  void sync_rules();
  void evaluate(const event::Event& e);
  void publish();
  /// Begins a checkpoint of the state as it stands, taken a slice at a time: a whole one on
  /// this thread stalled every event behind it for a fifth of a second on a busy engine.
  /// Fails only when a position-only save (nothing else changed) fails.
  Result<void> begin_checkpoint();
  /// Encodes up to `budget` more groups of the checkpoint in progress; saves it when done.
  Result<void> continue_checkpoint(std::size_t budget);
  /// The slice of the checkpoint in progress that follows a batch: a tenth of the time since
  /// the last slice.
  void encode_checkpoint_slice();
  /// At a tick: the checkpoint in progress, a few groups at a time, until it ends or events
  /// wait in the queue (yield_to).
  void encode_checkpoint_while_idle();
  /// Counts the checkpoint that ended, records the position it saved or logs its failure.
  void checkpoint_done(const Result<void>& saved, JournalSeq position);
  /// Changes not yet written: the engine's, and those the store is still writing.
  std::size_t unsaved() const;

  const state::ReferenceData& reference_;
  MatchSink& matches_sink_;
  PipelineCounters& counters_;
  // A mutex, not std::atomic<std::shared_ptr>: ThreadSanitizer reports libstdc++ 12's
  // atomic shared_ptr load (evaluation thread) racing with a reload's store (main thread),
  // and a mutex taken once per batch costs nothing measurable.
  mutable std::mutex rules_mutex_;
  std::shared_ptr<const rules::RuleSet> rules_;
  std::unique_ptr<rules::CorrelationEngine> engine_;
  BackfillLog backfill_log_;  // before the options that point at it
  rules::CorrelationOptions correlation_options_;
  rules::CorrelationStore* state_;
  std::chrono::milliseconds checkpoint_every_;
  bool wall_clock_;
  std::chrono::steady_clock::time_point last_tick_{}, last_checkpoint_{};
  std::chrono::steady_clock::time_point last_slice_{};       ///< when the last batch's slice ended
  const std::atomic<std::size_t>* queued_events_ = nullptr;  ///< yield_to
  bool unsaved_ = false;                          ///< correlation_unsaved was last set non-zero
  JournalSeq position_ = 0, saved_position_ = 0;  ///< evaluated, and as last checkpointed
  JournalSeq checkpoint_position_ = 0;            ///< of the checkpoint in progress
  std::vector<rules::Match> matches_;             // reused per event
  std::vector<std::pair<rules::Match, event::Event>> timed_;
};

/// Parse and decode: each received message becomes canonical events, handed on in
/// batches (one per read from a connection, or every kBatch events).
class DecodeStage final : public ingest::MessageSink {
 public:
  static constexpr std::size_t kBatch = 512;

  /// The decoder is mutated (gateway messages held for assembly): the pipeline is its one
  /// caller, on the I/O thread.
  DecodeStage(decode::Decoder& decoder, EventSink& next, PipelineCounters& counters);

  /// Also take a message that is not syslog as a bare record of the one source the decoder
  /// has (a gateway's own file read with --source: app/bare_records.h). Never for sockets.
  void accept_bare_records() { bare_records_ = true; }

  void on_message(std::string_view message, std::string_view peer) override;
  /// A message from the ingest journal (JournalingSink): its batch carries `seq`.
  void on_journaled(std::string_view message, std::string_view peer, JournalSeq seq,
                    std::chrono::sys_time<std::chrono::microseconds> received);
  void on_batch_end() override { flush(); }
  /// Gateway messages left incomplete past their timeout (all of them when `all`, at
  /// drain) are emitted. The I/O thread's 1 s timer calls it.
  void flush_gateways(bool all);
  /// Hands the pending batch on.
  void flush();

 private:
  void reject(std::string_view peer, const Error& error, std::string_view message);

  decode::Decoder& decoder_;
  EventSink& next_;
  PipelineCounters& counters_;
  std::vector<event::Event> pending_;
  JournalSeq position_ = 0;                       // of the last message decoded
  std::unordered_set<std::string> peers_logged_;  // connections whose first error was logged
  bool bare_records_ = false;
};

/// An alert for a rule match: evidence is the match's evidence_events (a correlation's steps) or
/// else the event, as JSON; the user is the event's user.id.
alerts::Alert make_alert(const rules::Match& match, const event::Event& e);

}  // namespace probity::app
