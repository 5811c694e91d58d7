// open_replay_session and replay_files (replay_session.h).
#include "app/replay_session.h"

#include <chrono>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "app/event_files.h"
#include "app/setup.h"
#include "app/state_dir.h"

namespace probity::app {

rules::CorrelationOptions ReplaySession::correlation() const {
  rules::CorrelationOptions o;
  o.lateness = config.correlation_lateness;
  o.max_state_bytes = config.correlation_max_state_bytes;
  // Logs out of time order (a later file's events before an earlier one's, in one file)
  // correlate in frames of their own rather than being dropped as late.
  o.max_backfill_frames = config.correlation_backfill_frames;
  return o;
}

std::unique_ptr<ReplaySession> open_replay_session(const CommonOptions& options,
                                                   const std::string& source, RuleLoading rules) {
  auto config = effective_config(options);
  if (!config) return nullptr;
  auto session = std::make_unique<ReplaySession>();
  session->config = std::move(*config);
  const auto& c = session->config;
  set_up_logging(c.log_level == "info" ? "warn" : c.log_level);

  auto opened = open_state_dir_if_present(c);
  if (!opened) return spdlog::error("state: {}", describe(opened.error())), nullptr;
  session->store = std::move(*opened);
  if (rules == RuleLoading::load) {
    rules::LoadReport report;
    session->rules =
        rules::load_rules(c.rule_paths, rule_load_options(c, session->store.get()), report);
    if (!session->rules) return std::fprintf(stderr, "%s", report.format().c_str()), nullptr;
  }

  session->sources = c.sources;
  if (!source.empty()) {
    std::erase_if(session->sources, [&](const auto& s) { return s.name != source; });
    if (session->sources.empty()) return spdlog::error("no source named '{}'", source), nullptr;
    session->sources[0].match = {};  // --source forces this mapping on every message
    session->bare_records = true;    // ... and reads the gateway's own files as they are
  }
  return session;
}

ReplayTotals replay_files(ReplaySession& session, const std::vector<std::filesystem::path>& files,
                          const std::function<void(const event::Event&)>& consume) {
  const auto start = std::chrono::steady_clock::now();
  const auto& c = session.config;
  const std::size_t max_size =
      c.listeners.empty() ? std::size_t{64} * 1024 : c.listeners[0].max_message_size;
  MergedEventFiles merged(files, session.sources, session.store.get(), max_size, session.counters,
                          session.decode_counters, session.bare_records);
  ReplayTotals totals;
  while (auto e = merged.next()) {
    ++totals.events;
    consume(*e);
  }
  const auto& d = session.decode_counters;
  totals.rejected = session.counters.rejected_parse.load() + d.no_source.load() +
                    d.bad_payload.load() + d.missing_field.load() + d.bad_value.load() +
                    merged.bad_lines();
  totals.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return totals;
}

}  // namespace probity::app
