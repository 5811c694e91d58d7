// The config file's keys, one list per mapping (schema.h), and config_keys().
#include "config/schema.h"

#include "config/config.h"

namespace probity::config {
namespace schema {

const Keys kTop{"state_dir",    "rules",     "site_file", "rules_overrides",  "disable_rules",
                "disable_tags", "log_level", "time_zone", "correlation",      "listeners",
                "http",         "alerts",    "sources",   "internal_domains", "audit",
                "retention"};
const Keys kCorrelation{"lateness",        "max_future_skew", "max_state_mb", "checkpoint_interval",
                        "backfill_frames", "backfill_idle"};
const Keys kListener{"name",
                     "address",
                     "port",
                     "protocol",
                     "tls",
                     "max_message_size",
                     "max_connections",
                     "max_connections_per_address",
                     "max_handshakes",
                     "handshake_timeout",
                     "idle_timeout"};
const Keys kListenerTls{"cert_file",           "key_file",     "ca_file", "crl_file",
                        "require_client_cert", "allowed_names"};
const Keys kHttp{"address",           "port",          "max_connections",
                 "max_event_streams", "allowed_hosts", "session_idle",
                 "session_absolute",  "tls",           "allow_plaintext"};
const Keys kHttpTls{"cert_file", "key_file"};
const Keys kRetention{"alerts", "evidence", "jsonl_rotate_mb"};
const Keys kAlerts{"jsonl",     "jsonl_shown_only", "email",     "retry_initial",
                   "retry_max", "drain_timeout",    "link_base", "recipients",
                   "routes",    "webhooks",         "siem"};
const Keys kRoute{"name",        "match", "to", "digest", "continue", "max_per_rule_per_hour",
                  "max_per_hour"};
const Keys kRouteMatch{"severity", "min_severity", "rule", "tag", "source", "internal"};
const Keys kWebhook{"name", "url", "secret_file", "ca_file", "timeout"};
const Keys kSiem{"name",      "host",     "port",   "tls",     "ca_file",
                 "cert_file", "key_file", "format", "timeout", "hostname"};
const Keys kEmail{"enabled",
                  "to",
                  "admins_to",
                  "from",
                  "smtp_url",
                  "require_tls",
                  "username",
                  "password_file",
                  "ca_file",
                  "mailbox",
                  "pseudonymise",
                  "pseudonym_key_file",
                  "max_per_rule_per_hour",
                  "max_per_hour",
                  "digest_interval"};
const Keys kAudit{"reason_pattern", "reason_min_length"};
const Keys kSource{"name",        "kind",       "match",         "format",
                   "sd_id",       "fields",     "constants",     "kv_separator",
                   "csv_columns", "csv_header", "csv_delimiter", "internal_domains",
                   "assembly"};
const Keys kSourceMatch{"app_name", "hostname", "sd_id", "message_prefix"};
const Keys kAssembly{"timeout", "max_open", "max_mb"};
const Keys kFieldMapping{"from", "time_format"};

}  // namespace schema

std::vector<std::string> config_keys() {
  using namespace schema;
  std::vector<std::string> out;
  const auto add = [&](const std::string& prefix, const Keys& keys) {
    for (const auto& k : keys) out.push_back(prefix + k);
  };
  add("", kTop);
  add("correlation.", kCorrelation);
  add("listeners.", kListener);
  add("listeners.tls.", kListenerTls);
  add("http.", kHttp);
  add("http.tls.", kHttpTls);
  add("alerts.", kAlerts);
  add("alerts.email.", kEmail);
  add("alerts.routes.", kRoute);
  add("alerts.routes.match.", kRouteMatch);
  add("alerts.webhooks.", kWebhook);
  add("alerts.siem.", kSiem);
  // recipients is keyed by the groups' names, not by fixed keys.
  out.push_back("alerts.recipients.*");
  add("audit.", kAudit);
  add("retention.", kRetention);
  add("sources.", kSource);
  add("sources.match.", kSourceMatch);
  add("sources.assembly.", kAssembly);
  // fields and constants are keyed by canonical field names, not by fixed keys.
  out.push_back("sources.fields.*");
  add("sources.fields.*.", kFieldMapping);
  out.push_back("sources.constants.*");
  return out;
}

}  // namespace probity::config
