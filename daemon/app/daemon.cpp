// `probity run`: start-up as ordered steps, one I/O thread for listeners and HTTP, and a
// drain on SIGTERM (stop accepting, finish what was received, flush alerts, close the
// store). SIGHUP reloads rules beside the running set and swaps only if they load.
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <future>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "alerts/identity_mask.h"
#include "alerts/pseudonymiser.h"
#include "app/alert_desk.h"
#include "app/commands.h"
#include "app/config_reload.h"
#include "app/consult.h"
#include "app/control_ops.h"
#include "app/correlation_db.h"
#include "app/correlation_state.h"
#include "app/evaluation_thread.h"
#include "app/fd_budget.h"
#include "app/heap_policy.h"
#include "app/ingest_journal.h"
#include "app/internal_alerts.h"
#include "app/journaling_sink.h"
#include "app/memory_metrics.h"
#include "app/metrics.h"
#include "app/pipeline.h"
#include "app/private_files.h"
#include "app/retention_schedule.h"
#include "app/rule_outcome_metrics.h"
#include "app/rule_watch.h"
#include "app/setup.h"
#include "app/state_dir.h"
#include "app/store_journal.h"
#include "base/await.h"
#include "base/thread_role.h"
#include "http/http.h"
#include "state/store.h"

namespace probity::app {
namespace {

namespace asio = boost::asio;

/// Logs and counts a coroutine that ended with an exception (never a bare `detached`).
auto log_failure(std::string what) {
  return [what = std::move(what)](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("{} stopped: {}", what, ex.what());
    }
  };
}

std::shared_ptr<const rules::RuleSet> load_rule_set(const config::Config& config,
                                                    const state::ReferenceData& reference,
                                                    std::string& problems) {
  rules::LoadReport report;
  auto set = rules::load_rules(config.rule_paths, rule_load_options(config, &reference), report);
  problems = report.format();
  return std::shared_ptr<const rules::RuleSet>(std::move(set));
}

/// Correlation state and alert-control metrics; the evaluator publishes the counters
/// once a second from its own thread.
void register_correlation_metrics(http::MetricsRegistry& metrics, const PipelineCounters& c,
                                  const EvaluationStage& evaluator) {
  using Type = http::MetricsRegistry::Type;
  auto add = [&](const char* name, const char* help, Type type,
                 const std::atomic<std::uint64_t>& value) {
    metrics.add(name, help, type, "", [&value] { return value.load(); });
  };
  add("correlation_late_events_total",
      "Events older than the correlation watermark (evaluated, not correlated)", Type::counter,
      c.correlation_late);
  add("correlation_future_events_total",
      "Events dated past the wall clock + correlation.max_future_skew (evaluated, not "
      "correlated)",
      Type::counter, c.correlation_future);
  add("correlation_backfill_events_total",
      "Events behind the correlation watermark evaluated in a backfill frame of their own",
      Type::counter, c.backfill_events);
  add("correlation_backfill_frames_total", "Backfill frames opened", Type::counter,
      c.backfill_frames);
  add("correlation_backfill_frames_open", "Backfill frames open", Type::gauge, c.backfill_open);
  add("correlation_backfill_refused_total",
      "Events behind the correlation watermark not correlated: every backfill frame was busy "
      "(also in correlation_late_events_total)",
      Type::counter, c.backfill_refused);
  add("correlation_evicted_keys_total", "Correlation group keys evicted at max_keys", Type::counter,
      c.correlation_evicted_keys);
  add("correlation_evicted_pending_total", "Correlation window entries evicted at max_pending",
      Type::counter, c.correlation_evicted_pending);
  add("correlation_evidence_dropped_total",
      "Correlation alert evidence events dropped at max_evidence_bytes", Type::counter,
      c.correlation_evidence_dropped);
  add("correlation_keys", "Correlation group keys held", Type::gauge, c.correlation_keys);
  add("correlation_unsaved_keys", "Correlation entries changed since the last checkpoint",
      Type::gauge, c.correlation_unsaved);
  add("correlation_matches_total", "Correlation matches produced", Type::counter,
      c.correlation_fired);
  add("alerts_folded_total", "Matches folded into an open alert by suppression", Type::counter,
      c.suppressed_repeats);
  add("rule_exceptions_applied_total", "Matches dropped by an unexpired rule exception",
      Type::counter, c.exceptions_applied);
  add("correlation_checkpoints_total", "Correlation state checkpoints written", Type::counter,
      c.state_checkpoints);
  add("correlation_checkpoint_failures_total", "Correlation state checkpoints that failed",
      Type::counter, c.state_checkpoint_failures);
  // Per exception, so a PSD sees which of its exceptions (pack or overrides file) hides what.
  metrics.add_family("rule_exception_dropped_total",
                     "Matches dropped by each rule exception since the rules were last loaded",
                     Type::counter, [&evaluator] {
                       http::MetricsRegistry::Family out;
                       if (const auto r = evaluator.rules())
                         for (const auto& x : r->exceptions())
                           out.push_back({{{"rule", x.rule_id}, {"exception", x.id}}, x.dropped});
                       return out;
                     });
  // One series per rule, read from the rule set loaded when /metrics is asked: `costs` lists
  // the rules' costs (RuleSet::detection_costs, correlation_costs), `value` picks one.
  const auto per_rule = [&evaluator](auto costs, auto value) {
    return [&evaluator, costs, value] {
      http::MetricsRegistry::Family out;
      if (const auto r = evaluator.rules())
        for (const auto& cost : ((*r).*costs)())
          out.push_back({{{"rule", cost.rule_id}}, cost.*value});
      return out;
    };
  };
  // Per detection, so an administrator sees which rule matches most and which costs most.
  const auto per_detection = [&](std::uint64_t rules::DetectionCost::*value) {
    return per_rule(&rules::RuleSet::detection_costs, value);
  };
  metrics.add_family("detection_matches_total",
                     "Matches of each detection (after its exceptions) since the rules were last "
                     "loaded",
                     Type::counter, per_detection(&rules::DetectionCost::matches));
  metrics.add_family("detection_evaluations_sampled_total",
                     fmt::format("Condition tests timed per detection (one event in {})",
                                 rules::RuleSet::kCostSample),
                     Type::counter, per_detection(&rules::DetectionCost::sampled));
  metrics.add_family("detection_evaluation_sampled_nanoseconds_total",
                     "Time the timed condition tests of each detection took, in nanoseconds; "
                     "divided by probity_detection_evaluations_sampled_total, the mean per event",
                     Type::counter, per_detection(&rules::DetectionCost::sampled_ns));
  // Per correlation, so an administrator sees whose state makes checkpoints long (every
  // changed group is encoded whole at each one).
  metrics.add_family(
      "correlation_checkpoint_groups_total",
      "Groups of each correlation encoded by checkpoints since the rules were last "
      "loaded (each changed group, at each checkpoint)",
      Type::counter,
      per_rule(&rules::RuleSet::correlation_costs, &rules::CorrelationCost::groups_saved));
  metrics.add_family(
      "correlation_checkpoint_bytes_total",
      "Bytes checkpoints wrote for each correlation's groups and their new evidence "
      "since the rules were last loaded",
      Type::counter,
      per_rule(&rules::RuleSet::correlation_costs, &rules::CorrelationCost::bytes_saved));
  metrics.add("rule_exceptions_expired", "Rule exceptions past their expiry (no longer applied)",
              Type::gauge, "", [&evaluator] {
                const auto r = evaluator.rules();
                return r ? r->exceptions(std::chrono::time_point_cast<std::chrono::microseconds>(
                                             std::chrono::system_clock::now()))
                               .size()
                         : 0;
              });
}

/// The force's own mail domains, from every source that names them.
std::vector<std::string> internal_domains(const config::Config& config) {
  std::vector<std::string> out;
  for (const auto& source : config.sources)
    for (const auto& d : source.internal_domains)
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  return out;
}

/// Rule files, the site file and the overrides files: what a change to reloads.
std::vector<std::filesystem::path> reload_watch_list(const config::Config& config) {
  auto paths = config.rule_paths;
  paths.push_back(config.site_file);
  paths.insert(paths.end(), config.override_paths.begin(), config.override_paths.end());
  return paths;
}

}  // namespace

int run_command(const CommonOptions& options, const RunOptions& run) {
  set_heap_policy();
  auto config = effective_config(options);
  if (!config) return 2;
  set_up_logging(config->log_level);
  if (!run.listen.empty()) {
    auto endpoint = config::parse_endpoint(run.listen);
    if (!endpoint) return spdlog::error("--listen: {}", endpoint.error().message), 2;
    config->listeners.assign(1, ingest::ListenerConfig{});
    config->listeners[0].address = endpoint->first;
    config->listeners[0].port = endpoint->second;
  }
  if (!run.http.empty()) {
    auto endpoint = config::parse_endpoint(run.http);
    if (!endpoint) return spdlog::error("--http: {}", endpoint.error().message), 2;
    config->http.address = endpoint->first;
    config->http.port = endpoint->second;
  }
  spdlog::info("probity {} starting ({})", kVersion,
               config->file.empty() ? "embedded defaults" : config->file.string());
  // Descriptors first: connections are capped well under the limit so the store, the
  // alert log and the rule poll always have some (app/fd_budget.h).
  const auto fd_limit = raise_fd_limit();
  for (const auto& change : fit_connection_caps(*config, fd_limit.soft))
    spdlog::info("fd limit {}: {}", fd_limit.soft, change);

  // Step 1: state, refused if other local accounts could read it (app/state_dir.h), and
  // the alert files beside it likewise (app/private_files.h);
  // then retention once, before the outbox is re-queued, so purged alerts are never mailed.
  auto store = open_state_dir(*config, StateAccess::write);
  if (!store) return spdlog::critical("state: {}", describe(store.error())), 2;
  for (const auto& p : {config->alerts.jsonl_path, config->alerts.email.mailbox_path})
    if (auto ok = check_private(p, trail_file(*config)); !ok)
      return spdlog::critical("{}", ok.error().message), 2;
  spdlog::info("state: {}", config->state_dir.string());
  // The consultation trail exists, group-writable, before any CLI needs it: in the unit's
  // 0750 state directory a group member may append to it but not create it.
  if (auto trail = audit::create_trail(trail_file(*config)); !trail)
    return spdlog::critical("audit: {}", trail.error().message), 2;
  if (retention_enabled(*config)) run_retention_logged(**store, *config);
  RetentionSchedule retention(**store, *config);

  // Step 2: rules. A broken rule file stops start-up with its position.
  std::string problems;
  auto rules = load_rule_set(*config, **store, problems);
  if (!rules) {
    spdlog::critical("rules did not load:\n{}", problems);
    return 2;
  }
  if (!problems.empty()) spdlog::warn("rules loaded with warnings:\n{}", problems);
  spdlog::info("rules: {} enabled from {} path(s)", rules->size(), config->rule_paths.size());

  // Step 3: decode, alerts, pipeline.
  Counters counters;
  decode::Decoder decoder(config->sources, store->get(), &counters.decode);
  std::optional<alerts::PseudonymKey> pseudonym_key;
  std::optional<alerts::IdentityMask> identity_mask;
  if (config->alerts.email.pseudonymise_identities) {
    const auto& key_file = config->alerts.email.pseudonym_key_file;
    auto key = alerts::create_pseudonym_key_if_missing(key_file).and_then(
        [&] { return alerts::PseudonymKey::open(key_file); });
    if (!key) return spdlog::critical("alerts: {}", key.error().message), 2;
    pseudonym_key = std::move(*key);
    identity_mask.emplace(*pseudonym_key, **store, internal_domains(*config));
    spdlog::info(
        "alerts: staff identities are pseudonymised outside the audited reveal (key {} "
        "in {})",
        pseudonym_key->id(), key_file.string());
  } else {
    spdlog::warn(
        "alerts: pseudonymisation is off: email, the live page and the log show real "
        "identities");
  }
  for (auto& siem : config->alerts.siems) siem.product_version = std::string(kVersion);
  alerts::AlertPipeline alert_pipeline(**store, config->alerts, counters.alerts);
  // The live page's recent alerts and changes to them (pseudonymised summaries).
  http::AlertFeed live_alerts;
  // Per-rule figures on /metrics, from every stored alert and then from each change.
  RuleOutcomeMetrics rule_outcomes;
  if (auto ok = rule_outcomes.seed(**store); !ok)
    spdlog::error("per-rule alert figures start empty: {}", ok.error().message);
  alert_pipeline.on_stored([&](const alerts::Alert& a, alerts::StoredChange change) {
    live_alerts.publish(alert_summary_json(a));
    rule_outcomes.observe(a, change);
  });
  if (auto ok = alert_pipeline.start(); !ok)
    return spdlog::critical("alerts: {}", describe(ok.error())), 2;
  // A batch's alerts are written on a thread of their own while the next batch is evaluated.
  AlertCommitter committer(alert_pipeline, counters.pipeline.event_to_alert);
  AlertingSink alerting(alert_pipeline, counters.pipeline,
                        pseudonym_key ? &*pseudonym_key : nullptr,
                        identity_mask ? &*identity_mask : nullptr, &committer);
  // Correlation state is restored before the first event and checkpointed every
  // correlation.checkpoint_interval (5 s) and at drain: a crash loses at most that much
  // of window changes (see rules/README.md).
  // Every received message is journaled before it is decoded; evaluation saves how far it
  // got with the correlation state, so a restart (even after SIGKILL) evaluates the rest.
  // Correlation state and that position live in a database of their own
  // (app/correlation_db.h).
  auto correlation_store = open_correlation_dir(*config, StateAccess::write);
  if (!correlation_store)
    return spdlog::critical("correlation state: {}", describe(correlation_store.error())), 2;
  if (auto ok = adopt_legacy_correlation_state(**store, **correlation_store); !ok)
    return spdlog::critical("correlation state: {}", describe(ok.error())), 2;
  auto evaluated_before = EvaluatedPosition::read(**correlation_store);
  if (!evaluated_before)
    return spdlog::critical("journal: {}", describe(evaluated_before.error())), 2;
  auto journal = IngestJournal::open(config->state_dir / "journal", *evaluated_before);
  if (!journal) return spdlog::critical("journal: {}", describe(journal.error())), 2;
  if (auto ok = adopt_store_journal(**store, *journal); !ok)
    return spdlog::critical("journal: {}", describe(ok.error())), 2;
  EvaluatedPosition evaluated_position;
  evaluated_position.saved(*evaluated_before);
  StoreCorrelationState correlation_state(**correlation_store, &evaluated_position,
                                          /*background=*/true);
  rules::CorrelationOptions correlation;
  correlation.lateness = config->correlation_lateness;
  correlation.max_future_skew = config->correlation_max_future_skew;
  correlation.max_state_bytes = config->correlation_max_state_bytes;
  correlation.max_backfill_frames = config->correlation_backfill_frames;
  correlation.backfill_idle = config->correlation_backfill_idle;
  EvaluationStage evaluator(**store, alerting, counters.pipeline, correlation, &correlation_state,
                            config->correlation_checkpoint, /*wall_clock=*/true);
  evaluator.set_rules(rules);
  if (auto ok = evaluator.restore(); !ok)
    spdlog::error("correlation state could not be restored (starting empty): {}",
                  ok.error().message);
  // Parsing and decoding on the I/O thread, rules and alerts on this one.
  EvaluationThread evaluation(evaluator);
  DecodeStage pipeline(decoder, evaluation, counters.pipeline);
  JournalingSink journaling(*journal, pipeline, counters.journal);
  if (auto ok = journaling.replay(*evaluated_before); !ok)
    spdlog::error("journal: could not evaluate what was received before the last stop: {}",
                  ok.error().message);

  // Step 4: listeners on one I/O thread; HTTP on its own, so /metrics and /healthz
  // answer even while ingest waits on a full evaluation queue.
  asio::io_context io(1);
  asio::io_context http_io(1);
  std::vector<std::unique_ptr<ingest::Listener>> listeners;
  for (const auto& lc : config->listeners) {
    auto listener = ingest::make_listener(io.get_executor(), lc, journaling, counters.ingest);
    if (auto ok = listener->open(); !ok) return spdlog::critical("{}", ok.error().message), 2;
    listeners.push_back(std::move(listener));
  }
  http::MetricsRegistry metrics;
  register_metrics(metrics, counters);
  metrics.add("rules_loaded", "Enabled rules in the running set",
              http::MetricsRegistry::Type::gauge, "", [&evaluator] {
                const auto r = evaluator.rules();
                return r ? r->size() : 0;
              });
  register_correlation_metrics(metrics, counters.pipeline, evaluator);
  metrics.add(
      "evaluation_queue_events",
      "Events decoded and waiting for the evaluation thread (at most 64 batches, each of up "
      "to 512)",
      http::MetricsRegistry::Type::gauge, "", [&evaluation] { return evaluation.queued_events(); });
  register_memory_metrics(metrics, **store, **correlation_store, counters.pipeline);
  rule_outcomes.register_in(metrics);
  register_destination_metrics(metrics, alert_pipeline);
  DaemonAlertDesk desk({**store, alert_pipeline, trail_file(*config), config->reason_policy,
                        [&evaluator](std::string_view rule_id) {
                          const auto set = evaluator.rules();
                          if (!set) return std::string();
                          for (const auto& r : set->rules())
                            if (r.id == rule_id) return r.description;
                          return std::string();
                        }});
  std::atomic<bool> draining = false;  // set by SIGTERM; /healthz and the timers see it
  http::HttpServer http_server(
      http_io.get_executor(), config->http, metrics,
      [&draining, &counters] {
        if (draining) return std::pair{false, std::string("draining")};
        if (counters.ingest.accept_fd_exhausted)
          return std::pair{false, std::string("out of file descriptors (syslog accept failing)")};
        return std::pair{true, std::string()};
      },
      &live_alerts, &desk);
  if (auto ok = http_server.open(); !ok) return spdlog::critical("{}", ok.error().message), 2;
  // The command line's door while this daemon holds the store (alerts ack, users ...).
  // `probity reload` runs the reload below on the I/O thread; set before the HTTP thread
  // starts, so the control socket never sees it unset.
  std::function<ReloadOutcome()> reload_on_request;
  ControlServer control(
      http_io.get_executor(), control_socket_path(*config),
      control_ops({**store, alert_pipeline, trail_file(*config),
                   [&http_server](std::string_view account) { http_server.end_sessions(account); },
                   [&reload_on_request] { return reload_on_request(); }}));
  if (auto ok = control.open(); !ok) return spdlog::critical("{}", ok.error().message), 2;
  for (auto& l : listeners) asio::co_spawn(io, l->run(), log_failure("listener"));
  asio::co_spawn(http_io, http_server.run(), log_failure("http server"));
  asio::co_spawn(http_io, control.run(), log_failure("control socket"));

  // Rule reload (SIGHUP or a changed rule file): built beside the running set, swapped
  // in between batches with the state of unchanged rules carried over; on failure the old
  // set keeps running and an internal critical alert says why.
  std::string rule_files = rule_files_fingerprint(reload_watch_list(*config)).value_or("");
  if (auto unmet = unmet_requirements_alert(*rules, *config)) (void)alert_pipeline.raise(*unmet);
  // What of the config file runs now, section by section: SIGHUP compares against it.
  ConfigSections config_taken = config_sections(options.config_file);
  auto reload = [&](const char* why, bool reread_config) {
    ReloadOutcome outcome;
    if (reread_config && options.config_file) {
      // A config that does not load changes nothing: the running one (and its rules) stay.
      auto fresh = load_effective_config(options);
      if (!fresh) {
        spdlog::error("config reload ({}) failed; keeping the running config: {}", why,
                      describe(fresh.error()));
        (void)alert_pipeline.raise(
            internal_alert("probity-config-reload-failed", "high",
                           "Config reload failed; the previous config is still running",
                           "The config file did not load, so nothing in it was applied: " +
                               describe(fresh.error())));
        outcome.config_error = describe(fresh.error());
        return outcome;
      }
      const auto sources_before = config_taken["sources"];
      const auto restart =
          take_live_settings(*config, *fresh, config_taken, config_sections(options.config_file));
      outcome.restart = restart;
      // Certificates rotate in place (same paths, new files): read them on every reload.
      for (auto& l : listeners)
        if (auto loaded = l->reload_tls(); !loaded)
          outcome.tls_problems += loaded.error().message + "\n";
      if (!outcome.tls_problems.empty()) {
        spdlog::error("config reload ({}): TLS files did not load; the running ones stay:\n{}", why,
                      outcome.tls_problems);
        (void)alert_pipeline.raise(
            internal_alert("probity-tls-reload-failed", "high", "New TLS certificates did not load",
                           "Listeners keep the certificates they had (which may be near expiry): " +
                               outcome.tls_problems));
      }
      if (config_taken["sources"] != sources_before) {
        // On the I/O thread (SIGHUP, `probity reload`), the decoder's one caller: what gateways
        // hold for assembly goes out first, then the next message meets the new sources.
        pipeline.flush_gateways(true);
        decoder = decode::Decoder(config->sources, store->get(), &counters.decode);
        spdlog::info("config reload ({}): {} sources now decode", why, config->sources.size());
      }
      spdlog::set_level(spdlog::level::from_str(config->log_level));
      if (!restart.empty()) {
        const auto sections = fmt::format("{}", fmt::join(restart, ", "));
        spdlog::warn("config reload ({}): changes to {} take effect only after a restart", why,
                     sections);
        (void)alert_pipeline.raise(internal_alert(
            "probity-config-needs-restart", "medium", "Config changes wait for a restart",
            "The config file's sections " + sections +
                " changed; the running daemon cannot take them live (listeners, HTTP, "
                "delivery). Restart Probity to apply them. Rules, the site file, overrides, "
                "disabled rules and tags, sources and the log level were applied."));
      }
    }
    if (auto now = rule_files_fingerprint(reload_watch_list(*config))) rule_files = std::move(*now);
    std::string reload_problems;
    auto fresh = load_rule_set(*config, **store, reload_problems);
    outcome.rule_problems = reload_problems;
    outcome.rules_loaded = fresh != nullptr;
    outcome.rules = fresh ? fresh->size() : evaluator.rules()->size();
    if (fresh) {
      evaluator.set_rules(fresh);
      spdlog::info("rules reloaded ({}): {} enabled", why, fresh->size());
      if (!reload_problems.empty())
        spdlog::warn("warnings from the new rule set:\n{}", reload_problems);
      if (auto unmet = unmet_requirements_alert(*fresh, *config))
        (void)alert_pipeline.raise(*unmet);
    } else {
      spdlog::error("rule reload ({}) failed; keeping the running rules:\n{}", why,
                    reload_problems);
      (void)alert_pipeline.raise(reload_failed_alert(reload_problems));
    }
    return outcome;
  };
  reload_on_request = [&] {
    // On the I/O thread, like SIGHUP; a daemon draining never runs it, so the wait ends.
    auto done = std::make_shared<std::promise<ReloadOutcome>>();
    auto outcome = done->get_future();
    asio::post(io, [&reload, done] { done->set_value(reload("probity reload", true)); });
    if (outcome.wait_for(std::chrono::seconds(60)) == std::future_status::ready)
      return outcome.get();
    ReloadOutcome busy;
    busy.config_error = "the daemon is stopping or busy; nothing was reloaded";
    return busy;
  };
  std::thread http_thread([&http_io] { http_io.run(); });

  // Once a second: gateway messages (Postfix, Mimecast) that never complete are flushed,
  // the evaluator's clock ticks (absent rules, state checkpoints), and every 2 s the rule
  // files' modification times are compared (a poll, not inotify: it also sees files
  // replaced by editors and config management, and on network filesystems).
  asio::steady_timer gateway_timer(io);
  // Evaluated journal segments are deleted here, not on the I/O thread: unlinking a 16 MiB
  // segment stalled it, and every message behind it, for up to 10 ms.
  asio::thread_pool journal_cleaner(1);
  asio::post(journal_cleaner, [] { name_this_thread("probity-journal"); });
  // A coroutine, not a self-re-arming callback; the lambda outlives io.run() below. Ends
  // when the drain cancels the timer (or set `draining` just as a wait completed).
  auto every_second = [&]() -> asio::awaitable<void> {
    for (unsigned ticks = 1;; ++ticks) {
      gateway_timer.expires_after(std::chrono::seconds(1));
      const auto [ec] = co_await gateway_timer.async_wait(kAwait);
      if (ec || draining) co_return;
      pipeline.flush_gateways(false);
      evaluation.tick();
      // Evaluated records go, but the last few (re-sends are checked against them).
      const JournalSeq evaluated = evaluated_position.saved();
      counters.journal.pending = journal->last() - std::min(evaluated, journal->last());
      if (auto done = journal->detach_trimmable(evaluated, JournalingSink::kRecentAcknowledged);
          !done.empty())
        asio::post(journal_cleaner, [done = std::move(done)] {
          if (auto deleted = IngestJournal::delete_segments(done); !deleted)
            spdlog::warn("journal: evaluated messages not trimmed: {}", deleted.error().message);
        });
      if (ticks % 2 == 0) {
        // A check that failed (say EMFILE) is no news: only a fingerprint that was read
        // and differs is a change.
        const auto now = rule_files_fingerprint(reload_watch_list(*config));
        if (now && *now != rule_files) (void)reload("rule files changed", false);
      }
      // Alerts stored while the JSONL log could not be written get their lines now.
      if (ticks % 60 == 0) alert_pipeline.catch_up_jsonl();
    }
  };
  asio::co_spawn(io, every_second(), log_failure("one-second timer"));

  // Step 5: signals. SIGTERM/SIGINT drain; SIGHUP reloads.
  asio::signal_set reload_signal(io, SIGHUP);
  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  stop_signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: draining (no new connections; finishing received data)", sig);
    draining = true;
    for (auto& l : listeners) l->stop();
    gateway_timer.cancel();
    boost::system::error_code ignored;
    reload_signal.cancel(ignored);
  });
  auto reload_on_sighup = [&]() -> asio::awaitable<void> {
    for (;;) {
      const auto [ec, sig] = co_await reload_signal.async_wait(kAwait);
      if (ec) co_return;  // cancelled at drain
      (void)reload("SIGHUP", true);
      if (draining) co_return;
    }
  };
  asio::co_spawn(io, reload_on_sighup(), log_failure("SIGHUP reload"));
  std::signal(SIGPIPE, SIG_IGN);

  if (retention_enabled(*config)) retention.start();
  spdlog::info("probity ready");
  // Returns once the listeners have stopped and every connection is done.
  io.run();

  // Teardown, in order: what is known of open gateway messages is evaluated, the
  // evaluation queue is emptied, mail is delivered for up to the drain time (the rest
  // stays in the outbox), and HTTP stops last so the drain can be watched.
  retention.stop();
  pipeline.flush_gateways(true);
  evaluation.drain();
  if (auto ok = evaluator.checkpoint(); !ok)
    spdlog::error("correlation state not saved at shutdown: {}", ok.error().message);
  committer.stop();
  alert_pipeline.stop();
  journal_cleaner.join();
  asio::post(http_io, [&http_server, &control] {
    http_server.stop();
    control.stop();
  });
  http_thread.join();
  spdlog::info("probity stopped: {} events evaluated, {} alerts stored, {} sent, {} pending",
               counters.pipeline.evaluated.load(), counters.alerts.stored.load(),
               counters.alerts.sent.load(), counters.alerts.pending.load());
  return 0;
}

}  // namespace probity::app
