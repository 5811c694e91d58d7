// What `probity replay` and `probity rules calibrate` share: the effective config, the
// state directory opened read-only for reference data, the rules, the sources, and a run
// of log files (merged by event time) through one or more evaluators. Nothing is stored
// or sent. Not for the daemon (daemon.cpp), which owns sockets, threads and the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/pipeline.h"
#include "config/config.h"
#include "rules/rules.h"
#include "state/memory_reference.h"
#include "state/state.h"

namespace probity::app {

struct ReplaySession {
  config::Config config;
  std::unique_ptr<state::Store> store;  ///< read-only; null when the state dir does not exist
  state::MemoryReference no_reference;  ///< empty: answers "no" to everything
  std::shared_ptr<const rules::RuleSet> rules;  ///< null when opened with RuleLoading::skip
  std::vector<decode::SourceMapping> sources;
  /// --source was given: files are that source's logs, syslog or its own bare records.
  bool bare_records = false;
  PipelineCounters counters;  ///< parse and decode of every file, and the first evaluator
  decode::DecodeCounters decode_counters;

  const state::ReferenceData& reference() const {
    return store ? static_cast<const state::ReferenceData&>(*store) : no_reference;
  }
  rules::CorrelationOptions correlation() const;
};

/// Whether a session loads the rules: a command that only reads the logs (learn references)
/// skips them, so a rule file with an error does not stop it.
enum class RuleLoading : bool { load, skip };

/// Loads the config and the rules, opens the state directory read-only when it exists, and
/// keeps only the source named `source` (when not empty), matching every message. On a
/// problem prints it and returns null (exit status 2).
std::unique_ptr<ReplaySession> open_replay_session(const CommonOptions& options,
                                                   const std::string& source,
                                                   RuleLoading rules = RuleLoading::load);

struct ReplayTotals {
  std::uint64_t events = 0;    ///< events read
  std::uint64_t rejected = 0;  ///< messages or lines that gave no event, by any reason
  double seconds = 0;
};

/// Reads `files` merged by event time (event_files.h) and gives each event, in that order,
/// to `consume` (which runs it through one evaluator, or several).
ReplayTotals replay_files(ReplaySession& session, const std::vector<std::filesystem::path>& files,
                          const std::function<void(const event::Event&)>& consume);

}  // namespace probity::app
