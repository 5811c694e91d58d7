// The daemon's one YAML config file: listeners, HTTP, state directory, rule paths,
// alert sinks and source mappings. Loading validates every key and value and reports
// problems with file:line:col. Not for rule files (rules/) or reference data (state/).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alerts.h"
#include "audit/audit.h"
#include "base/result.h"
#include "decode/decode.h"
#include "http/http.h"
#include "ingest/ingest.h"

namespace probity::config {

/// A retention period as written in the config ("400d"), kept for logs and the trail.
struct RetentionPeriod {
  std::chrono::microseconds length{};
  std::string text;
};

/// How long alerts and their evidence are kept (app/retention.h). Unset means kept for
/// ever: PSD material is kept for years under the force's own schedule, so Probity never
/// deletes by default; the force sets the periods its policy names.
struct RetentionConfig {
  std::optional<RetentionPeriod> alerts;    ///< alerts raised longer ago are deleted
  std::optional<RetentionPeriod> evidence;  ///< alerts raised longer ago lose their events
  std::uint64_t jsonl_rotate_mb = 64;       ///< the JSONL log is rotated at this size; 0 = never
};

struct Config {
  std::filesystem::path file;  ///< where it was loaded from; empty for the embedded defaults
  std::filesystem::path state_dir = "probity-state";
  std::vector<std::filesystem::path> rule_paths{"rules"};
  /// Per-force facts the rules need (rules/site.h); relative paths are under state_dir.
  std::filesystem::path site_file = "site.yaml";
  /// The force's overrides files (or directories of them): exceptions and suppression added to
  /// shipped rules without editing them (rules/README.md, "Local overrides"). None by default;
  /// relative paths are from the working directory, as rule paths are.
  std::vector<std::filesystem::path> override_paths;
  std::vector<std::string> disabled_rule_ids, disabled_rule_tags;
  std::string log_level = "info";
  /// The force's zone for hour() and weekday() in rules (IANA name, e.g. Europe/London).
  std::string time_zone = "UTC";
  /// How far behind the newest event time an event may arrive and still be correlated.
  std::chrono::milliseconds correlation_lateness{std::chrono::minutes(5)};
  /// How far past the daemon's wall clock an event may be dated and still move the
  /// correlation clock (a sender's clock an hour fast would otherwise make every event late).
  std::chrono::milliseconds correlation_max_future_skew{std::chrono::minutes(5)};
  /// Backfill frames at once for events behind the watermark (rules::CorrelationOptions); 0: off.
  std::size_t correlation_backfill_frames = 4;
  /// A backfill frame that has taken no event this long (wall clock) is closed.
  std::chrono::milliseconds correlation_backfill_idle{std::chrono::minutes(2)};
  /// Correlation state of all rules together, by the engine's measure (rules::CorrelationOptions).
  std::size_t correlation_max_state_bytes = std::size_t{256} << 20;
  /// How often changed correlation state is written to RocksDB (the crash-loss window).
  std::chrono::milliseconds correlation_checkpoint{std::chrono::seconds(5)};
  std::vector<ingest::ListenerConfig> listeners{ingest::ListenerConfig{}};
  http::HttpConfig http;
  alerts::AlertConfig alerts;  ///< relative paths are under state_dir (see resolve_paths)
  /// audit: what a --reason must hold before a real identity is shown.
  audit::ReasonPolicy reason_policy;
  RetentionConfig retention;
  /// Configured sources first, then decode::default_sources().
  std::vector<decode::SourceMapping> sources;
};

/// The embedded defaults: syslog on 127.0.0.1:5514, HTTP on 127.0.0.1:9095, state in
/// ./probity-state, rules from ./rules, alerts to a JSONL log and a local mailbox file.
Config default_config();

/// Reads and validates a config file. Keys not given keep their defaults. The first
/// problem is returned as an Error with file:line:col.
Result<Config> load_config(const std::filesystem::path& file);

/// Every key the config file knows, as dotted paths through mappings ("correlation.lateness",
/// "listeners.tls.cert_file": list items add no step; "sources.fields.*" where the keys are
/// canonical field names). For checks that the example config shows every setting.
std::vector<std::string> config_keys();

/// Makes the alert paths absolute under state_dir (call after command-line overrides).
void resolve_paths(Config& config);

/// "ADDRESS:PORT" → address and port; errors name the text.
Result<std::pair<std::string, std::uint16_t>> parse_endpoint(std::string_view text);

}  // namespace probity::config
