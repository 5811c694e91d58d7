// DecodeStage::on_message and the alert it raises for each rule match.
#include "app/pipeline.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "app/bare_records.h"
#include "syslog/syslog.h"

namespace probity::app {

DecodeStage::DecodeStage(decode::Decoder& decoder, EventSink& next, PipelineCounters& counters)
    : decoder_(decoder), next_(next), counters_(counters) {
  pending_.reserve(kBatch);
}

EvaluationStage::EvaluationStage(const state::ReferenceData& reference, MatchSink& matches,
                                 PipelineCounters& counters, rules::CorrelationOptions correlation,
                                 rules::CorrelationStore* state,
                                 std::chrono::milliseconds checkpoint_every, bool wall_clock)
    : reference_(reference),
      matches_sink_(matches),
      counters_(counters),
      correlation_options_(correlation),
      state_(state),
      checkpoint_every_(checkpoint_every),
      wall_clock_(wall_clock) {
  if (wall_clock_ && !correlation_options_.now)
    correlation_options_.now = [] {
      return std::chrono::time_point_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now());
    };
  if (correlation_options_.max_backfill_frames > 0 && !correlation_options_.on_backfill)
    correlation_options_.on_backfill = [this](const rules::BackfillNotice& n) { backfill_log_(n); };
}

namespace {

// Checkpoint work is done in steps of this many groups, and a slice or an idle tick checks its
// bound (time, or events waiting) between steps.
constexpr std::size_t kGroupsPerStep = 4;

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

void DecodeStage::on_message(std::string_view message, std::string_view peer) {
  on_journaled(
      message, peer, 0,
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()));
}

void DecodeStage::on_journaled(std::string_view message, std::string_view peer, JournalSeq seq,
                               std::chrono::sys_time<std::chrono::microseconds> received) {
  // Set before the parse: a rejected message is still one evaluation has passed.
  if (seq != 0) position_ = seq;
  auto parsed = parse_record(message, bare_records_);
  if (!parsed) {
    counters_.rejected_parse.fetch_add(1, std::memory_order_relaxed);
    reject(peer, parsed.error(), message);
    return;
  }
  counters_.parsed.fetch_add(1, std::memory_order_relaxed);
  const std::size_t before = pending_.size();
  auto decoded = decoder_.decode_into(*parsed, received, pending_);
  if (!decoded) {
    // The decoder counts its own failures by reason.
    reject(peer, decoded.error(), message);
    return;
  }
  // A gateway's assembled message counts from the line that completed it.
  for (std::size_t i = before; i < pending_.size(); ++i) pending_[i].set_received(received);
  counters_.events.fetch_add(*decoded, std::memory_order_relaxed);
  if (pending_.size() >= kBatch) flush();
}

void DecodeStage::flush() {
  if (pending_.empty()) return;
  next_.on_events(pending_, position_);
  pending_.clear();
}

void DecodeStage::flush_gateways(bool all) {
  const std::size_t n =
      all ? decoder_.flush_all(pending_)
          : decoder_.flush_expired(std::chrono::time_point_cast<std::chrono::microseconds>(
                                       std::chrono::system_clock::now()),
                                   pending_);
  counters_.events.fetch_add(n, std::memory_order_relaxed);
  flush();
}

EvaluationStage::~EvaluationStage() {
  // Frames are never saved: say so rather than let a backfill in progress vanish unremarked.
  if (engine_ && engine_->counters().backfill_open > 0)
    spdlog::info(
        "backfill: {} frame(s) open at shutdown are dropped, not saved (events sent "
        "again after a restart open a new one)",
        engine_->counters().backfill_open);
}

// A reload applies from the next batch: the engine moves the state of unchanged rules.
void EvaluationStage::sync_rules() {
  auto rules = this->rules();
  if (!rules) return;
  if (!engine_)
    engine_ = std::make_unique<rules::CorrelationEngine>(std::move(rules), correlation_options_);
  else if (engine_->rules() != rules)
    engine_->set_rules(std::move(rules));
}

void EvaluationStage::on_events(std::vector<event::Event>& events, JournalSeq position) {
  evaluate_batch(events, position);
  events.clear();
}

void EvaluationStage::evaluate_batch(const std::vector<event::Event>& events, JournalSeq position) {
  sync_rules();
  const std::size_t count = events.size();
  for (const auto& e : events) evaluate(e);
  // The batch's alerts are committed (or handed to the committer) before any checkpoint
  // work: an alert waits for its batch, not for a slice of a checkpoint too. A checkpoint
  // waits for them (settle) before it records a position past their events.
  matches_sink_.flush();
  if (position > position_) position_ = position;
  if (count == 0)
    encode_checkpoint_while_idle();
  else
    encode_checkpoint_slice();
  tick();
}

// An empty batch is a tick, sent when no batch waited: the rest of a checkpoint can be encoded
// now, but events may arrive any moment after. Encoded at once, the rest of a busy engine's
// checkpoint held them a tenth of a second (the latency bench's p999: 173 ms at half the
// maximum rate); it stops for them, and their slices and the next tick go on.
void EvaluationStage::encode_checkpoint_while_idle() {
  const auto events_wait = [this] {
    return queued_events_ && queued_events_->load(std::memory_order_relaxed) != 0;
  };
  while (engine_ && engine_->checkpoint_running() && !events_wait())
    if (!continue_checkpoint(kGroupsPerStep)) break;  // failed: counted, retried at the next
}

// A slice bounded in wall time, not in groups nor by the batch: checkpoint work takes at most
// a tenth of the time since the last slice, evaluating and waiting alike. Sized by the batch
// (a tenth of its time, at least 100 µs), a checkpoint of 25,000 groups doubled this thread's
// load for a third of a second every 5 s at half the maximum rate, and events queued behind it
// (p99 30-90 ms); spread this way it takes a second or two. A backlog gets no larger slices,
// and a trickle of events gets larger ones, up to kMaxSlice. Each batch does one step at least,
// so every checkpoint ends.
void EvaluationStage::encode_checkpoint_slice() {
  constexpr auto kMaxSlice = std::chrono::milliseconds(20);
  const auto start = std::chrono::steady_clock::now();
  const auto since_last = start - std::exchange(last_slice_, start);
  if (!engine_ || !engine_->checkpoint_running()) return;
  const auto until =
      start + std::min<std::chrono::steady_clock::duration>(kMaxSlice, since_last / 10);
  do {
    if (!continue_checkpoint(kGroupsPerStep)) break;  // failed: counted, retried at the next
  } while (engine_->checkpoint_running() && std::chrono::steady_clock::now() < until);
  last_slice_ = std::chrono::steady_clock::now();
}

void EvaluationStage::on_event(const event::Event& e) {
  sync_rules();
  evaluate(e);
  matches_sink_.flush();
}

void EvaluationStage::evaluate(const event::Event& e) {
  const auto started = std::chrono::steady_clock::now();
  matches_.clear();
  if (engine_) {
    engine_->rules()->evaluate(e, reference_, matches_);
    engine_->process(e, reference_, matches_);
    // The engine's clock follows event time too, so replay fires absent rules in order.
    if (const auto t = e.time()) {
      timed_.clear();
      engine_->advance_time(*t, reference_, timed_);
    }
    // The unsaved gauge turns non-zero with the first change after a checkpoint, before the
    // event counts as evaluated: "evaluated and unsaved 0" means saved.
    if (!unsaved_ && engine_->dirty() != 0) {
      unsaved_ = true;
      counters_.correlation_unsaved = engine_->dirty();
      unsaved_ = counters_.correlation_unsaved != 0;
    }
  }
  counters_.evaluated.fetch_add(1, std::memory_order_relaxed);
  counters_.rule_matches.fetch_add(matches_.size(), std::memory_order_relaxed);
  for (const auto& m : matches_)
    if (!m.building_block) matches_sink_.on_match(m, e);
  if (engine_)
    for (const auto& [m, at] : timed_)
      if (!m.building_block) matches_sink_.on_match(m, at);
  timed_.clear();
  counters_.event_evaluation.observe(std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started));
}

void EvaluationStage::tick(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_tick_ < std::chrono::seconds(1)) return;
  last_tick_ = now;
  sync_rules();
  if (!engine_) return;
  if (wall_clock_) {
    timed_.clear();
    engine_->advance_time(
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now()),
        reference_, timed_);
    for (const auto& [m, at] : timed_)
      if (!m.building_block) matches_sink_.on_match(m, at);
    timed_.clear();
    matches_sink_.flush();
  }
  publish();
  if (!state_) return;
  if (force) {
    (void)checkpoint();
  } else if (now - last_checkpoint_ >= checkpoint_every_ && !state_->writing()) {
    // Not while the last one is being written: encoding the next beside it held two
    // batches at once, and its save() would wait for that write on this thread.
    (void)begin_checkpoint();
  }
}

void EvaluationStage::publish() {
  const auto& c = engine_->counters();
  counters_.correlation_late = c.late_events;
  counters_.correlation_future = c.future_events;
  counters_.backfill_events = c.backfill_events;
  counters_.backfill_frames = c.backfill_frames;
  counters_.backfill_open = c.backfill_open;
  counters_.backfill_refused = c.backfill_refused;
  counters_.correlation_evicted_keys = c.evicted_keys;
  counters_.correlation_evicted_pending = c.evicted_pending;
  counters_.correlation_evidence_dropped = c.evidence_dropped;
  counters_.correlation_keys = c.keys;
  counters_.correlation_state_bytes = engine_->state_bytes();
  counters_.correlation_unsaved = unsaved();
  counters_.correlation_fired = c.fired;
  counters_.suppressed_repeats = c.folded;
  counters_.exceptions_applied = engine_->rules()->excepted();
}

std::size_t EvaluationStage::unsaved() const {
  return engine_->dirty() + (state_ ? state_->writes_in_flight() : 0);
}

Result<void> EvaluationStage::restore() {
  sync_rules();
  if (!state_ || !engine_) return {};
  auto r = engine_->restore(*state_);
  if (r)
    spdlog::info("correlation state: {} entries restored, {} of changed rules dropped",
                 engine_->counters().restored, engine_->counters().discarded);
  return r;
}

Result<void> EvaluationStage::begin_checkpoint() {
  last_checkpoint_ = std::chrono::steady_clock::now();
  if (!state_ || !engine_ || engine_->checkpoint_running()) return {};
  const bool moved = position_ != saved_position_;
  if (engine_->dirty() == 0 && !moved) return {};
  // The position goes in the same batch as the state it matches: a restart evaluates again
  // exactly what the saved state has not seen. The state saved is the state now, however
  // long encoding it takes. The alerts of the events it covers are durable first.
  matches_sink_.settle();
  if (moved) state_->set_resume_point(position_);
  checkpoint_position_ = position_;
  if (engine_->dirty() == 0) {
    rules::StateWrites none;
    auto saved = state_->save(none);
    checkpoint_done(saved, position_);
    return saved;
  }
  engine_->begin_checkpoint();
  return {};
}

Result<void> EvaluationStage::continue_checkpoint(std::size_t budget) {
  if (!state_ || !engine_ || !engine_->checkpoint_running()) return {};
  auto done = engine_->continue_checkpoint(*state_, budget);
  if (!done) {
    Result<void> failed = tl::unexpected(done.error());
    checkpoint_done(failed, checkpoint_position_);
    return failed;
  }
  if (*done) checkpoint_done({}, checkpoint_position_);
  return {};
}

void EvaluationStage::checkpoint_done(const Result<void>& saved, JournalSeq position) {
  if (saved) {
    saved_position_ = position;
    counters_.state_checkpoints.fetch_add(1, std::memory_order_relaxed);
    counters_.correlation_unsaved = unsaved();
    unsaved_ = counters_.correlation_unsaved != 0;
  } else {
    counters_.state_checkpoint_failures.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("correlation state not saved (kept for the next attempt): {}",
                  saved.error().message);
  }
}

Result<void> EvaluationStage::checkpoint() {
  // One in progress ends first, with the position it began at (a failure is counted and
  // its batch kept for the next); then one of the state now, whole.
  constexpr auto kAll = std::numeric_limits<std::size_t>::max();
  (void)continue_checkpoint(kAll);
  if (auto begun = begin_checkpoint(); !begun) return begun;
  return continue_checkpoint(kAll);
}

void DecodeStage::reject(std::string_view peer, const Error& error, std::string_view message) {
  // Once per connection: a sender with a broken format would otherwise flood the log.
  if (peers_logged_.size() > 4096) peers_logged_.clear();
  if (!peers_logged_.emplace(peer).second) return;
  spdlog::warn(
      "rejected message from {}: {} [{}]: \"{}\"; further rejects on this "
      "connection are only counted",
      peer, error.message, error.code, excerpt(message));
}

alerts::Alert make_alert(const rules::Match& match, const event::Event& e) {
  alerts::Alert a;
  a.rule_id = match.rule_id;
  a.rule_version = match.rule_version;
  a.title = match.title;
  a.description = match.description;
  a.guidance = match.guidance;
  a.severity = std::string(rules::to_string(match.severity));
  a.tags = match.tags;
  // The system looked up in, or the mail gateway: what routes call the alert's source.
  a.source = std::string(e.str(event::FieldId::source_system));
  if (a.source.empty()) a.source = std::string(e.str(event::FieldId::gateway));
  a.message = match.message;
  a.event_time = e.time().value_or(event::Timestamp{});
  a.user_id = std::string(e.str(event::FieldId::user_id));
  // A correlation brings the events of every step (the triggering one among them).
  if (match.evidence_events.empty())
    a.events_json.push_back(event::to_json(e));
  else
    a.events_json = match.evidence_events;
  a.fields = match.shown_fields;
  a.lookups = match.lookups;
  return a;
}

void AlertingSink::observe_latency(const event::Event& e) {
  if (e.received() == event::Timestamp{}) return;  // a deadline's event, or a test's
  uncommitted_.push_back(e.received());
}

void AlertingSink::flush() {
  key_refreshed_ = false;
  log_held_back(std::chrono::steady_clock::now());
  if (!committer_)
    commit_alerts(alerts_, counters_.event_to_alert, uncommitted_);
  else if (staged_ > 0)
    committer_->commit(uncommitted_, staged_);
  staged_ = 0;
}

void AlertingSink::commit_if_idle() {
  ++staged_;
  if (committer_ && committer_->commit_if_idle(uncommitted_, staged_)) staged_ = 0;
}

void AlertingSink::settle() {
  if (committer_) committer_->wait();
}

void AlertingSink::refresh_key() {
  if (std::exchange(key_refreshed_, true)) return;
  if (auto fresh = key_->refresh(); !fresh && !key_error_logged_) {
    key_error_logged_ = true;  // once: every alert would repeat it
    spdlog::error("alerts: keeping the pseudonym key in use: {}", fresh.error().message);
  }
}

void AlertingSink::log_held_back(std::chrono::steady_clock::time_point now) {
  if (const auto held = alert_lines_.held_back(now))
    spdlog::warn(
        "ALERT {} more alert(s) raised in the last second(s) are not logged one by one: each "
        "is stored, on the live page and in the JSONL log",
        held);
  if (const auto held = repeat_lines_.held_back(now))
    spdlog::info(
        "{} more repeat(s) folded into open alerts in the last second(s) are not logged one by "
        "one: each alert counts its own",
        held);
}

void AlertingSink::on_match(const rules::Match& match, const event::Event& e) {
  // The decoder gives every event an id; one made elsewhere without it is not deduplicated.
  const auto event_id = e.str(event::FieldId::event_id);
  const std::string origin = event_id.empty()
                                 ? std::string()
                                 : alerts::alert_origin(match.rule_id, event_id, match.message);
  if (auto raised = alerts_.raised_for(origin)) {
    // The same event again (a sender re-sending after a reconnect, a file replayed): its
    // alert exists and was mailed, or it was folded into one; later repeats fold into it.
    counters_.already_raised.fetch_add(1, std::memory_order_relaxed);
    spdlog::debug("alert {} was raised already for this event: {}{}", *raised, match.rule_id,
                  match.backfill ? " (backfill)" : "");
    if (!match.suppression_key.empty()) {
      if (open_.size() >= 100'000) open_.clear();
      open_[match.suppression_key] = *raised;
    }
    return;
  }
  if (match.repeat > 0) {
    auto open = open_.find(match.suppression_key);
    if (open != open_.end()) {
      // Staged, so it cannot fail here: the commit counts it (alerts.h).
      (void)alerts_.fold(open->second, e.time().value_or(event::Timestamp{}), origin,
                         alerts::AlertPipeline::Sync::at_commit);
      observe_latency(e);
      const auto now = std::chrono::steady_clock::now();
      log_held_back(now);
      if (repeat_lines_.take(now))
        spdlog::info("alert {} repeated ({} so far): {}", open->second, match.repeat + 1,
                     match.rule_id);
      commit_if_idle();
      return;
    }
    // The open alert is unknown here (raised before a restart): a new alert, not a drop.
  }
  auto alert = make_alert(match, e);
  alert.origin = origin;
  const auto now = std::chrono::steady_clock::now();
  if (mask_) {
    refresh_key();
    // A detection's evidence is this event alone: masked from it, not parsed back.
    alert.shown = mask_->shown(alert, match.message_identities, match.field_identities,
                               match.evidence_events.empty() ? &e : nullptr);
  } else {
    alert.shown = alerts::unmasked(alert);
  }
  // The log is read by more people than the PSD: it gets the shown view. Its line is made
  // before the alert moves into the pipeline (a copy of the alert, its events' JSON with it,
  // cost more than the line).
  log_held_back(now);
  std::string line;
  if (alert_lines_.take(now))
    line = fmt::format("[{}] {}: {} (user {})", rules::to_string(match.severity), match.rule_id,
                       alert.shown->message, alert.shown->user);
  auto id = alerts_.raise(std::move(alert), alerts::AlertPipeline::Sync::at_commit);
  if (!id) {
    counters_.alert_failures.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("alert for rule {} could not be stored: {}", match.rule_id, id.error().message);
    return;
  }
  observe_latency(e);
  commit_if_idle();
  if (!line.empty()) spdlog::warn("ALERT {} {}", *id, line);
  if (!match.suppression_key.empty()) {
    if (open_.size() >= 100'000) open_.clear();  // bounded: later repeats raise new alerts
    open_[match.suppression_key] = *id;
  }
}

}  // namespace probity::app
