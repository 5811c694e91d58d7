// The probity command line: parses arguments and dispatches to a subcommand in app/.
// Nothing else lives here.
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "state/describe.h"
#include "state/reference_rows.h"

namespace {

/// "staff|associations|...|tenders (singular or plural)", from state's list of tables.
std::string import_kinds_help() {
  std::string out;
  for (const auto kind : probity::state::import_kinds()) {
    if (!out.empty()) out += '|';
    out += probity::state::to_string(kind);
  }
  return out + " (singular or plural)";
}

}  // namespace

int main(int argc, char** argv) {
  // Files private by default, whoever launched us (systemd sets UMask=0027, a shell usually
  // 0022): RocksDB creates its files with 0644 masked by the umask, so without this the
  // store and its WAL, which name staff and subjects, would be world-readable. 0027 keeps
  // them readable by the service group (CLI users in the unit's layout) and nobody else.
  ::umask(0027);
  using namespace probity;
  CLI::App cli{"Probity: real-time integrity monitoring for police professional standards"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string(app::kVersion));

  app::CommonOptions common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("-c,--config", common.config_file,
                    "YAML config file (default: the embedded defaults)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--state-dir", common.state_dir, "RocksDB state directory (overrides config)");
    // One path per occurrence: CLI11 lets a vector option take every following word, so
    // `replay --rules DIR a.log b.log` would read a.log as a rule file.
    cmd->add_option("--rules", common.rule_paths,
                    "rule file or directory; repeat for more (overrides config)")
        ->allow_extra_args(false);
    cmd->add_option("--site", common.site_file,
                    "site file of per-force facts (default: site.yaml in the state directory)");
    cmd->add_option("--overrides", common.override_paths,
                    "overrides file (local exceptions and suppression for shipped rules) or "
                    "directory; repeat for more (overrides config rules_overrides)")
        ->allow_extra_args(false);
    cmd->add_option("--log-level", common.log_level, "trace|debug|info|warn|error");
  };

  app::RunOptions run;
  auto* run_cmd =
      cli.add_subcommand("run", "run the daemon until SIGTERM (SIGHUP reloads config and rules)");
  add_common(run_cmd);
  run_cmd->add_option("--listen", run.listen,
                      "syslog TCP listener ADDRESS:PORT (overrides config)");
  run_cmd->add_option("--http", run.http, "HTTP (metrics, health) ADDRESS:PORT (overrides config)");

  app::ParseOptions parse;
  auto* parse_cmd = cli.add_subcommand(
      "parse",
      "read syslog lines or RFC 6587 frames on stdin, print canonical events as JSON lines");
  add_common(parse_cmd);
  parse_cmd->add_option("--source", parse.source, "use this configured source's mapping");
  parse_cmd->add_flag("--keep-going", parse.keep_going,
                      "report bad messages on stderr and go on (exit status still 1)");

  app::ReplayOptions replay;
  auto* replay_cmd = cli.add_subcommand(
      "replay",
      "run log files (raw syslog or canonical JSON lines) through the rules at event "
      "time and print the alerts as JSON lines; stores and sends nothing");
  add_common(replay_cmd);
  replay_cmd->add_option("files", replay.files, "log files")->required()->check(CLI::ExistingFile);
  replay_cmd->add_option("--source", replay.source,
                         "use this configured source's mapping; the files are then its logs: "
                         "syslog, or the gateway's own bare records (JSON, CSV, kv lines)");

  auto* rules_cmd = cli.add_subcommand("rules", "check or test rule files");
  rules_cmd->require_subcommand(1);
  app::RulesCheckOptions check;
  auto* check_cmd = rules_cmd->add_subcommand("check", "validate rules without side effects");
  add_common(check_cmd);
  check_cmd->add_option("--format", check.format, "text|json")
      ->check(CLI::IsMember({"text", "json"}));
  check_cmd->add_option("paths", check.paths, "rule files or directories (default: from config)");

  app::RulesTestOptions rules_test;
  auto* test_cmd = rules_cmd->add_subcommand(
      "test", "run the inline tests of every rule through the production engine");
  add_common(test_cmd);
  test_cmd->add_flag("-v,--verbose", rules_test.verbose, "list passing tests too");
  test_cmd->add_option("paths", rules_test.paths,
                       "rule files or directories (default: from config)");

  app::RulesExplainOptions rules_explain;
  auto* explain_cmd = rules_cmd->add_subcommand(
      "explain", "explain one rule for the canonical JSON events on stdin (one per line)");
  add_common(explain_cmd);
  explain_cmd->add_option("rule", rules_explain.rule_id, "rule id")->required();
  explain_cmd->add_option("paths", rules_explain.paths,
                          "rule files or directories (default: from config)");

  app::RulesCalibrateOptions calibrate;
  app::RulesStatsOptions rules_stats;
  auto* stats_cmd = rules_cmd->add_subcommand(
      "stats", "per rule: what became of its alerts (dismissed, resolved, escalated), precision");
  add_common(stats_cmd);
  stats_cmd->add_option("--since", rules_stats.since, "alerts raised from (YYYY-MM-DD)");
  stats_cmd->add_option("--format", rules_stats.format, "text|json")
      ->check(CLI::IsMember({"text", "json"}));
  auto* calibrate_cmd = rules_cmd->add_subcommand(
      "calibrate",
      "replay the force's own logs (merged by time, no side effects) and report per alerting "
      "rule its alerts, rates per 1,000 staff-days, top users and values, and what-ifs at "
      "other thresholds");
  add_common(calibrate_cmd);
  calibrate_cmd->add_option("files", calibrate.files, "log files")
      ->required()
      ->check(CLI::ExistingFile);
  calibrate_cmd->add_option("--source", calibrate.source, "use this configured source's mapping");
  calibrate_cmd
      ->add_option("--staff", calibrate.staff,
                   "staff count for the rates (default: staff records in state, else "
                   "distinct users in the logs)")
      ->check(CLI::PositiveNumber);
  calibrate_cmd->add_option("--top", calibrate.top, "top users and values per rule (default 3)");
  calibrate_cmd->add_option("--format", calibrate.format, "text|json")
      ->check(CLI::IsMember({"text", "json"}));
  calibrate_cmd
      ->add_option("--budget", calibrate.budget,
                   "alerts per 1,000 staff-days the force can handle (default 1.0)")
      ->check(CLI::NonNegativeNumber);

  auto* learn_cmd = cli.add_subcommand("learn", "propose site facts from the force's own logs");
  learn_cmd->require_subcommand(1);
  app::LearnReferencesOptions learn_refs;
  auto* learn_refs_cmd = learn_cmd->add_subcommand(
      "references",
      "read the force's own logs (merged by time, no side effects) and propose the site "
      "file's reference_formats from the reason.ref values per source.system, with the "
      "references the proposal would flag");
  add_common(learn_refs_cmd);
  learn_refs_cmd->add_option("files", learn_refs.files, "log files")
      ->required()
      ->check(CLI::ExistingFile);
  learn_refs_cmd->add_option("--source", learn_refs.source, "use this configured source's mapping");
  learn_refs_cmd->add_option("--since", learn_refs.since,
                             "only references within this duration (30d, 2w) before the newest");
  learn_refs_cmd
      ->add_option("--min-share", learn_refs.min_share,
                   "percent of a system's references a proposed shape must hold (default 1)")
      ->check(CLI::Range(0.01, 100.0));
  learn_refs_cmd->add_option("--format", learn_refs.format, "yaml|json")
      ->check(CLI::IsMember({"yaml", "json"}));

  auto* alerts_cmd = cli.add_subcommand("alerts", "list, open or work stored alerts");
  alerts_cmd->require_subcommand(1);
  app::AlertsListOptions alerts_list;
  auto* alerts_list_cmd =
      alerts_cmd->add_subcommand("list", "the latest alerts, with users pseudonymised");
  add_common(alerts_list_cmd);
  alerts_list_cmd->add_option("-n,--limit", alerts_list.limit, "how many (default 50)");
  for (const auto& [flag, help] : std::vector<std::pair<std::string, std::string>>{
           {"status", "new, acknowledged, dismissed, resolved, escalated (comma-separated)"},
           {"severity", "low, medium, high, critical (comma-separated)"},
           {"rule", "rule ids matching this glob (lookup-of-*)"},
           {"owner", "owned by this account (none: nobody's yet)"},
           {"since", "event time from (YYYY-MM-DD or RFC 3339)"},
           {"until", "event time to (YYYY-MM-DD: the whole day)"},
           {"q", "text in the id, rule, title, shown message or pseudonym"}})
    alerts_list_cmd->add_option_function<std::string>(
        "--" + flag,
        [&alerts_list, flag](const std::string& v) { alerts_list.filter.emplace_back(flag, v); },
        help);
  app::AlertsTriageOptions alerts_triage;
  std::vector<CLI::App*> alerts_triage_cmds;
  for (const auto& [name, help] : std::vector<std::pair<const char*, const char*>>{
           {"ack", "acknowledge an alert: it is yours"},
           {"assign", "give an alert to an account: ID --owner NAME"},
           {"note", "add a note: ID --text ..."},
           {"dismiss", "close as false_positive, benign or duplicate: ID --dismissal K [--text]"},
           {"resolve", "close as dealt with: ID --text ..."},
           {"escalate", "close into a case: ID --reference CO/00123/26"},
           {"reopen", "reopen a closed alert: ID --text ..."}}) {
    auto* sub = alerts_cmd->add_subcommand(
        name, std::string(help) + " (through the running daemon, or on its store)");
    add_common(sub);
    sub->add_option("id", alerts_triage.id, "alert id")->required();
    sub->add_option("--text", alerts_triage.text, "note, explanation or reason");
    sub->add_option("--owner", alerts_triage.owner, "account (assign)");
    sub->add_option("--dismissal", alerts_triage.dismissal, "false_positive, benign, duplicate");
    sub->add_option("--reference", alerts_triage.reference, "case or complaint reference");
    sub->callback([&alerts_triage, name] { alerts_triage.action = name; });
    alerts_triage_cmds.push_back(sub);
  }
  app::AlertsShowOptions alerts_show;
  auto* alerts_show_cmd = alerts_cmd->add_subcommand(
      "show", "one alert with its evidence and real identities; the consultation is recorded");
  add_common(alerts_show_cmd);
  alerts_show_cmd->add_option("id", alerts_show.id, "alert id")->required();
  alerts_show_cmd
      ->add_option("--reason", alerts_show.reason,
                   "why you are opening it: a case reference (PSD-2024-0173) or 15+ characters "
                   "(recorded in the consultation trail first)")
      ->required();

  auto* users_cmd = cli.add_subcommand("users", "accounts for the live page and API");
  users_cmd->require_subcommand(1);
  app::UsersOptions users;
  std::vector<CLI::App*> users_cmds;
  for (const auto& [name, help] : std::vector<std::pair<const char*, const char*>>{
           {"add",
            "create an account: NAME --role analyst|investigator|admin[,...]; the "
            "password is read from --password-file or typed"},
           {"passwd", "set an account's password"},
           {"role", "set an account's roles: NAME --role ..."},
           {"disable", "stop an account logging in"},
           {"enable", "let a disabled account log in again"},
           {"list", "every account, its roles, enabled or not, its API tokens' labels"},
           {"token",
            "issue an API token for scripts (printed once; only its hash is kept): NAME "
            "[--label TEXT]; or revoke: NAME --revoke [--label TEXT] (all without a label)"}}) {
    auto* sub = users_cmd->add_subcommand(name, help);
    add_common(sub);
    if (std::string_view(name) != "list")
      sub->add_option("name", users.name, "account")->required();
    if (std::string_view(name) == "add" || std::string_view(name) == "role")
      sub->add_option("--role", users.roles, "analyst, investigator, admin (comma-separated)")
          ->required();
    if (std::string_view(name) == "add" || std::string_view(name) == "passwd")
      sub->add_option("--password-file", users.password_file,
                      "read the password from this file's first line");
    if (std::string_view(name) == "token") {
      sub->add_option("--label", users.label,
                      "names the token (1-64 letters, digits, '.', '_', '-'); default token-N");
      sub->add_flag("--revoke", users.revoke, "revoke the labelled token, or all of them");
    }
    sub->callback([&users, name] { users.action = name; });
    users_cmds.push_back(sub);
  }

  auto* keys_cmd = cli.add_subcommand("keys", "manage the pseudonym key");
  keys_cmd->require_subcommand(1);
  auto* keys_rotate_cmd = keys_cmd->add_subcommand(
      "rotate", "start a new pseudonym key; alerts keep the pseudonyms they were shown with");
  add_common(keys_rotate_cmd);

  auto* state_cmd =
      cli.add_subcommand("state", "import or show reference data, or purge by retention");
  state_cmd->require_subcommand(1);
  app::StateImportOptions import;
  auto* import_cmd = state_cmd->add_subcommand(
      "import", "load a CSV/JSON file; every row is validated and a bad file loads nothing");
  add_common(import_cmd);
  import_cmd->add_option("kind", import.kind, import_kinds_help())->required();
  import_cmd->add_option("file", import.file, "CSV, JSON or JSON-lines file")
      ->required()
      ->check(CLI::ExistingFile);
  import_cmd->add_option("--list", import.list_name, "list name (for kind 'list')");
  import_cmd->add_flag("--replace", import.replace, "replace the list instead of adding to it");
  app::StateShowOptions show;
  auto* show_cmd = state_cmd->add_subcommand(
      "show",
      "print one entry as JSON (without a key: every system, register row or list name); "
      "entries holding personal data need --reason and are recorded");
  add_common(show_cmd);
  show_cmd->add_option("table", show.table, probity::state::show_tables())->required();
  // Optional: systems, list and the registers answer without one (state/describe.h).
  show_cmd->add_option("key", show.key,
                       "staff id, email, system, list name, tender id or alert id; optional "
                       "for systems, list and the registers (business_interests and gifts "
                       "by staff id)");
  show_cmd->add_option("--reason", show.reason,
                       "why you need it: a case reference or 15+ characters; required for staff, "
                       "email, associations, registers, alerts, rule_state, audit and lists that "
                       "are not domains (recorded in the consultation trail first)");

  auto* audit_cmd = cli.add_subcommand("audit", "check or read the consultation trail");
  audit_cmd->require_subcommand(1);
  app::AuditVerifyOptions audit_verify;
  auto* audit_verify_cmd = audit_cmd->add_subcommand(
      "verify",
      "walk the trail's hash chain: exit 0 when intact, 1 naming the first edited, removed or "
      "reordered record");
  add_common(audit_verify_cmd);
  audit_verify_cmd->add_option("--file", audit_verify.file,
                               "trail file (default: consultations.jsonl in the state directory)");
  app::AuditShowOptions audit_show;
  auto* audit_show_cmd =
      audit_cmd->add_subcommand("show", "print the trail's last records, one per line");
  add_common(audit_show_cmd);
  audit_show_cmd->add_option("--file", audit_show.file,
                             "trail file (default: consultations.jsonl in the state directory)");
  audit_show_cmd->add_option("-n,--last", audit_show.last, "how many (default 20; 0: all)");

  app::StatePurgeOptions purge;
  auto* purge_cmd = state_cmd->add_subcommand(
      "purge",
      "apply the retention periods now (the daemon does this hourly); the daemon must be "
      "stopped; every removal is recorded in the consultation trail");
  add_common(purge_cmd);
  purge_cmd->add_flag("--dry-run", purge.dry_run, "say what would be removed; change nothing");

  auto* reload_cmd = cli.add_subcommand(
      "reload",
      "make the running daemon re-read its config and rules now (as SIGHUP), and say what "
      "was applied, what waits for a restart and what failed");
  add_common(reload_cmd);

  CLI11_PARSE(cli, argc, argv);

  try {
    if (*run_cmd) return app::run_command(common, run);
    if (*parse_cmd) return app::parse_command(common, parse);
    if (*replay_cmd) return app::replay_command(common, replay);
    if (*check_cmd) return app::rules_check_command(common, check);
    if (*test_cmd) return app::rules_test_command(common, rules_test);
    if (*explain_cmd) return app::rules_explain_command(common, rules_explain);
    if (*calibrate_cmd) return app::rules_calibrate_command(common, calibrate);
    if (*learn_refs_cmd) return app::learn_references_command(common, learn_refs);
    if (*alerts_list_cmd) return app::alerts_list_command(common, alerts_list);
    if (*alerts_show_cmd) return app::alerts_show_command(common, alerts_show);
    if (*stats_cmd) return app::rules_stats_command(common, rules_stats);
    for (auto* sub : alerts_triage_cmds)
      if (*sub) return app::alerts_triage_command(common, alerts_triage);
    if (*keys_rotate_cmd) return app::keys_rotate_command(common);
    if (*users_cmd) return app::users_command(common, users);
    if (*import_cmd) return app::state_import_command(common, import);
    if (*show_cmd) return app::state_show_command(common, show);
    if (*audit_verify_cmd) return app::audit_verify_command(common, audit_verify);
    if (*audit_show_cmd) return app::audit_show_command(common, audit_show);
    if (*purge_cmd) return app::state_purge_command(common, purge);
    if (*reload_cmd) return app::reload_command(common);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "probity: %s\n", e.what());
    return 2;
  }
  return 2;
}
