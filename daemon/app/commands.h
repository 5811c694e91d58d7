// The subcommands behind the probity CLI. Each returns the process exit status
// (0 ok, 1 bad input or failed check, 2 cannot start) and prints its own messages.
// One file per family: run daemon.cpp · parse parse_command.cpp · replay replay.cpp ·
// rules check|test|explain rules_command.cpp, calibrate calibrate.cpp · learn
// learn_references.cpp · alerts alerts_command.cpp · keys keys_command.cpp · state
// import|show state_command.cpp, purge purge_command.cpp · audit audit_command.cpp.
// Each opens the state directory through app/state_dir.h, nowhere else.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http.h"

namespace probity::app {

inline constexpr std::string_view kVersion = "0.1.0";

/// Options every subcommand takes; they override the config file.
struct CommonOptions {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::filesystem::path> state_dir;
  std::vector<std::filesystem::path> rule_paths;
  std::optional<std::filesystem::path> site_file;
  std::vector<std::filesystem::path> override_paths;  ///< replace the config's rules_overrides
  std::string log_level;
};

struct RunOptions {
  std::string listen;  ///< ADDRESS:PORT replacing the configured listeners
  std::string http;    ///< ADDRESS:PORT for the HTTP interface
};

struct ParseOptions {
  std::string source;
  bool keep_going = false;
};

struct RulesCheckOptions {
  std::string format = "text";
  std::vector<std::filesystem::path> paths;
};

struct RulesTestOptions {
  std::vector<std::filesystem::path> paths;
  bool verbose = false;
};

struct RulesStatsOptions {
  std::string since;  ///< alerts raised from (YYYY-MM-DD or RFC 3339); "" = all
  std::string format = "text";
};

struct RulesExplainOptions {
  std::string rule_id;
  std::vector<std::filesystem::path> paths;
};

struct ReplayOptions {
  std::vector<std::filesystem::path> files;
  std::string source;  ///< force one configured source's mapping for raw syslog input
};

struct RulesCalibrateOptions {
  std::vector<std::filesystem::path> files;
  std::string source;                ///< force one configured source's mapping
  std::optional<std::size_t> staff;  ///< staff count for the rates (default: from state)
  std::size_t top = 3;               ///< top users and values shown per rule
  std::string format = "text";
  double budget = 1.0;  ///< alerts per 1,000 staff-days the force can handle
};

struct LearnReferencesOptions {
  std::vector<std::filesystem::path> files;
  std::string source;    ///< force one configured source's mapping
  std::string since;     ///< a duration ("30d"): only references that recent; empty: all
  double min_share = 1;  ///< percent of a system's references a proposed shape must hold
  std::string format = "yaml";
};

struct AlertsListOptions {
  std::size_t limit = 50;
  http::Query filter;  ///< as the API's list takes it (app/alert_filter.h)
};

struct AlertsTriageOptions {
  std::string action;  ///< ack, assign, note, dismiss, resolve, escalate, reopen
  std::string id, text, owner, dismissal, reference;
};

struct AlertsShowOptions {
  std::string id;
  std::string reason;
};

struct UsersOptions {
  std::string action;  ///< add, passwd, role, disable, enable, list, token
  std::string name;
  std::string roles;          ///< add, role: "analyst,investigator"
  std::string password_file;  ///< "" = the terminal or standard input
  std::string label;          ///< token: the new token's label, or the one to revoke
  bool revoke = false;        ///< token: revoke (the labelled one, or all) instead of issuing
};

struct StateImportOptions {
  std::string kind;
  std::filesystem::path file;
  std::string list_name;
  bool replace = false;
};

struct StateShowOptions {
  std::string table;
  std::string key;
  std::string reason;  ///< required for tables holding personal data; recorded
};

struct AuditVerifyOptions {
  std::optional<std::filesystem::path> file;  ///< default <state_dir>/consultations.jsonl
};

struct AuditShowOptions {
  std::optional<std::filesystem::path> file;
  std::size_t last = 20;  ///< 0: every record
};

struct StatePurgeOptions {
  bool dry_run = false;
};

int run_command(const CommonOptions&, const RunOptions&);
int parse_command(const CommonOptions&, const ParseOptions&);
int rules_check_command(const CommonOptions&, const RulesCheckOptions&);
int rules_test_command(const CommonOptions&, const RulesTestOptions&);
/// Reads canonical event JSON lines from stdin; for a detection prints the condition trace
/// of each event, for a correlation the input matches per event and what it raised.
int rules_explain_command(const CommonOptions&, const RulesExplainOptions&);
int replay_command(const CommonOptions&, const ReplayOptions&);
/// Replays logs as replay_command does and prints per alerting rule its alerts, rates per
/// day and per 1,000 staff-days, top users and values, and what-ifs at other thresholds.
int rules_calibrate_command(const CommonOptions&, const RulesCalibrateOptions&);
/// Reads logs as replay_command does and proposes the site file's reference_formats from
/// the reason.ref values per source.system, with what the proposal would leave unmatched.
int learn_references_command(const CommonOptions&, const LearnReferencesOptions&);
int alerts_list_command(const CommonOptions&, const AlertsListOptions&);
int alerts_show_command(const CommonOptions&, const AlertsShowOptions&);
/// Per rule: raised, open, each dismissal, resolved, escalated, precision, time to act.
int rules_stats_command(const CommonOptions&, const RulesStatsOptions&);
/// Works an alert on the store (the daemon stopped), as the person logged in to this
/// machine; recorded in the consultation trail first.
int alerts_triage_command(const CommonOptions&, const AlertsTriageOptions&);
int keys_rotate_command(const CommonOptions&);
/// Accounts for the page and API; needs the daemon stopped (the store's lock).
int users_command(const CommonOptions&, const UsersOptions&);
int state_import_command(const CommonOptions&, const StateImportOptions&);
/// Staff, associations, registers, alerts and other personal entries need a reason and are
/// recorded in the consultation trail first; systems and domain lists are shown freely.
int state_show_command(const CommonOptions&, const StateShowOptions&);
/// Walks the consultation trail's hash chain: 0 and "N records, chain intact", or 1 naming
/// the first edited, removed or reordered record (line and seq).
int audit_verify_command(const CommonOptions&, const AuditVerifyOptions&);
/// The last records of the trail, one per line, for a reader (not a check: see verify).
int audit_show_command(const CommonOptions&, const AuditShowOptions&);
/// Runs retention (app/retention.h) now against a stopped daemon's store; --dry-run says
/// what would go and changes nothing.
int state_purge_command(const CommonOptions&, const StatePurgeOptions&);
/// `probity reload`: the running daemon re-reads its config and rules (as SIGHUP).
int reload_command(const CommonOptions&);

}  // namespace probity::app
