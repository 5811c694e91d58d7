// load_config: YAML → Config. Every mapping is checked for unknown keys, so a typo in
// the config is an error at start-up with its position, never a silently ignored setting.
#include <set>

#include <yaml-cpp/yaml.h>

#include "base/duration.h"
#include "config/config.h"
#include "config/delivery_reader.h"
#include "config/reader.h"
#include "config/schema.h"

namespace probity::config {
namespace {

namespace fs = std::filesystem;

ingest::ListenerConfig read_listener(const Reader& r, const YAML::Node& n) {
  r.only_keys(n, schema::kListener, "a listener");
  ingest::ListenerConfig l;
  if (n["name"]) l.name = r.str(n["name"], "listener name");
  if (n["address"]) l.address = r.str(n["address"], "listener address");
  if (n["port"]) l.port = static_cast<std::uint16_t>(r.number(n["port"], "listener port", 65535));
  const std::string protocol = n["protocol"] ? r.str(n["protocol"], "protocol") : "tcp";
  if (protocol != "tcp" && protocol != "tls" && protocol != "udp" && protocol != "relp")
    r.error(n["protocol"], "listener protocol must be 'tcp', 'tls', 'relp' or 'udp'");
  l.udp = protocol == "udp";
  l.relp = protocol == "relp";
  if (l.udp && n["tls"]) r.error(n["tls"], "a udp listener takes no tls: (use protocol: tls)");
  // RELP over TLS is protocol relp with a tls: block, as rsyslog's imrelp has it.
  if (protocol == "tls" && !n["tls"])
    r.error(n, "a tls listener needs tls: {cert_file: ..., key_file: ...}");
  if (const auto& t = n["tls"]) {
    r.only_keys(t, schema::kListenerTls, "listener tls");
    if (!t["cert_file"] || !t["key_file"]) r.error(t, "tls needs cert_file and key_file");
    ingest::TlsConfig tls;
    tls.cert_file = r.str(t["cert_file"], "tls.cert_file");
    tls.key_file = r.str(t["key_file"], "tls.key_file");
    if (t["ca_file"]) tls.ca_file = r.str(t["ca_file"], "tls.ca_file");
    if (t["crl_file"]) tls.crl_file = r.str(t["crl_file"], "tls.crl_file");
    if (t["require_client_cert"])
      tls.require_client_cert = r.boolean(t["require_client_cert"], "tls.require_client_cert");
    if (t["allowed_names"]) tls.allowed_names = r.strings(t["allowed_names"], "tls.allowed_names");
    l.tls = std::move(tls);
  }
  if (n["max_message_size"])
    l.max_message_size = r.number(n["max_message_size"], "max_message_size", 16 << 20);
  if (n["max_connections"])
    l.max_connections = r.number(n["max_connections"], "max_connections", 1 << 20);
  if (n["max_connections_per_address"])
    l.max_connections_per_address =
        r.number(n["max_connections_per_address"], "max_connections_per_address", 1 << 20);
  if (n["max_handshakes"])
    l.max_handshakes = r.number(n["max_handshakes"], "max_handshakes", 1 << 20);
  if (n["handshake_timeout"])
    l.handshake_timeout = std::chrono::duration_cast<std::chrono::seconds>(
        r.duration(n["handshake_timeout"], "handshake_timeout"));
  if (n["idle_timeout"])
    l.idle_timeout = std::chrono::duration_cast<std::chrono::seconds>(
        r.duration(n["idle_timeout"], "idle_timeout"));
  return l;
}

// smtp://HOST[:PORT][/...] names this host (localhost, 127.0.0.0/8, [::1]).
bool smtp_relay_is_local(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find('/'));
  if (const auto at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (host.starts_with("[")) return host.substr(0, host.find(']') + 1) == "[::1]";
  host = host.substr(0, host.find(':'));
  const bool numeric = host.find_first_not_of("0123456789.") == std::string_view::npos;
  return host == "localhost" || (numeric && host.starts_with("127."));
}

void read_email(const Reader& r, const YAML::Node& n, alerts::EmailConfig& e) {
  r.only_keys(n, schema::kEmail, "alerts.email");
  if (n["enabled"]) e.enabled = r.boolean(n["enabled"], "email.enabled");
  if (n["to"]) e.to = r.str(n["to"], "email.to");
  if (n["admins_to"]) e.admins_to = r.str(n["admins_to"], "email.admins_to");
  if (n["from"]) e.from = r.str(n["from"], "email.from");
  if (n["smtp_url"]) {
    e.smtp_url = r.str(n["smtp_url"], "email.smtp_url");
    if (!e.smtp_url.empty() && e.smtp_url.rfind("smtp://", 0) != 0 &&
        e.smtp_url.rfind("smtps://", 0) != 0)
      r.error(n["smtp_url"], "email.smtp_url must start with smtp:// or smtps://");
  }
  // Unset: STARTTLS is required (a relay across a network must not be strippable), except
  // to a relay on this host, where there is no network to strip it on.
  e.require_tls = n["require_tls"] ? r.boolean(n["require_tls"], "email.require_tls")
                                   : !smtp_relay_is_local(e.smtp_url);
  if (n["username"]) e.username = r.str(n["username"], "email.username");
  if (n["password_file"]) e.password_file = r.str(n["password_file"], "email.password_file");
  if (n["ca_file"]) e.ca_file = r.str(n["ca_file"], "email.ca_file");
  if (n["mailbox"]) e.mailbox_path = r.str(n["mailbox"], "email.mailbox");
  if (n["max_per_rule_per_hour"])
    e.max_per_rule_per_hour = static_cast<std::uint32_t>(
        r.number(n["max_per_rule_per_hour"], "email.max_per_rule_per_hour", 1'000'000));
  if (n["max_per_hour"])
    e.max_per_hour =
        static_cast<std::uint32_t>(r.number(n["max_per_hour"], "email.max_per_hour", 1'000'000));
  if (n["digest_interval"])
    e.digest_interval = std::chrono::duration_cast<std::chrono::seconds>(
        r.duration(n["digest_interval"], "email.digest_interval"));
  if (n["pseudonymise"])
    e.pseudonymise_identities = r.boolean(n["pseudonymise"], "email.pseudonymise");
  if (n["pseudonym_key_file"])
    e.pseudonym_key_file = r.str(n["pseudonym_key_file"], "email.pseudonym_key_file");
}

void read_alerts(const Reader& r, const YAML::Node& n, alerts::AlertConfig& a) {
  r.only_keys(n, schema::kAlerts, "alerts");
  if (n["jsonl"]) a.jsonl_path = r.str(n["jsonl"], "alerts.jsonl");
  if (n["jsonl_shown_only"])
    a.jsonl_shown_only = r.boolean(n["jsonl_shown_only"], "alerts.jsonl_shown_only");
  if (n["email"]) read_email(r, n["email"], a.email);
  if (n["retry_initial"]) a.retry_initial = r.duration(n["retry_initial"], "retry_initial");
  if (n["retry_max"]) a.retry_max = r.duration(n["retry_max"], "retry_max");
  if (n["drain_timeout"]) a.drain_timeout = r.duration(n["drain_timeout"], "drain_timeout");
  if (n["link_base"]) {
    a.link_base = r.str(n["link_base"], "alerts.link_base");
    const bool web = a.link_base.starts_with("https://") || a.link_base.starts_with("http://");
    const bool one_token = a.link_base.find_first_of(" \t\r\n\"'<>") == std::string::npos;
    if (!a.link_base.empty() && (!web || !one_token))
      r.error(
          n["link_base"],
          "alerts.link_base must be the live page's address, e.g. https://probity.psd.example/");
  }
  read_delivery(r, n, a);
}

void read_audit(const Reader& r, const YAML::Node& n, audit::ReasonPolicy& p) {
  r.only_keys(n, schema::kAudit, "audit");
  if (n["reason_pattern"]) {
    p.reference_pattern = r.str(n["reason_pattern"], "audit.reason_pattern");
    if (auto ok = audit::check_reference_pattern(p.reference_pattern); !ok)
      r.error(n["reason_pattern"], "audit.reason_pattern is " + ok.error().message);
  }
  if (n["reason_min_length"])
    p.min_length = r.number(n["reason_min_length"], "audit.reason_min_length", 1000);
  if (p.reference_pattern.empty() && p.min_length == 0)
    r.error(n,
            "audit: reason_pattern \"\" and reason_min_length 0 would refuse every reason; "
            "set one of them");
}

// At least a day: "90m" is ninety minutes, not ninety months, and would empty the store.
RetentionPeriod retention_period(const Reader& r, const YAML::Node& n, const std::string& what) {
  const auto text = r.str(n, what);
  const auto length = parse_duration(text);
  if (!length || *length < std::chrono::days(1))
    r.error(n, what + " must be a duration of at least one day, a number and one unit (d, w): " +
                   "90d, 400d, 52w; not '" + text + "'");
  return RetentionPeriod{*length, text};
}

void read_retention(const Reader& r, const YAML::Node& n, RetentionConfig& c) {
  r.only_keys(n, schema::kRetention, "retention");
  if (n["alerts"]) c.alerts = retention_period(r, n["alerts"], "retention.alerts");
  if (n["evidence"]) c.evidence = retention_period(r, n["evidence"], "retention.evidence");
  if (n["jsonl_rotate_mb"])
    c.jsonl_rotate_mb = r.number(n["jsonl_rotate_mb"], "retention.jsonl_rotate_mb", 1 << 20);
}

event::FieldId field_id(const Reader& r, const YAML::Node& n) {
  const auto name = r.str(n, "field name");
  if (auto id = event::field_by_name(name)) return *id;
  r.error(n, "'" + name + "' is not a canonical field (see config/SOURCES.md)");
}

decode::SourceMapping read_source(const Reader& r, const YAML::Node& n) {
  r.only_keys(n, schema::kSource, "a source");
  decode::SourceMapping s;
  if (!n["name"]) r.error(n, "a source needs a name");
  s.name = r.str(n["name"], "source name");
  if (n["kind"]) {
    const auto kind = r.str(n["kind"], "source kind");
    if (kind == "from_payload") {
      s.kind = std::nullopt;
    } else if (auto k = event::kind_from_string(kind)) {
      s.kind = *k;
    } else {
      r.error(n["kind"], "source kind must be access, email or from_payload");
    }
  }
  if (n["match"]) {
    const auto& m = n["match"];
    r.only_keys(m, schema::kSourceMatch, "source match");
    if (m["app_name"]) {
      // A list of patterns is any of them ("filter_instance*|sendmail").
      std::string joined;
      for (const auto& p : r.strings(m["app_name"], "match.app_name"))
        joined += (joined.empty() ? "" : "|") + p;
      s.match.app_name = joined;
    }
    if (m["message_prefix"])
      s.match.message_prefix = r.str(m["message_prefix"], "match.message_prefix");
    if (m["hostname"]) s.match.hostname = r.str(m["hostname"], "match.hostname");
    if (m["sd_id"]) s.match.sd_id = r.str(m["sd_id"], "match.sd_id");
  }
  if (n["format"]) {
    auto f = decode::payload_format_from_string(r.str(n["format"], "format"));
    if (!f) r.error(n["format"], f.error().message);
    s.format = *f;
  }
  if (n["sd_id"]) s.sd_id = r.str(n["sd_id"], "sd_id");
  if (n["internal_domains"])
    s.internal_domains = r.strings(n["internal_domains"], "internal_domains");
  if (const auto& a = n["assembly"]) {
    r.only_keys(a, schema::kAssembly, "assembly");
    if (a["timeout"])
      s.assembly.timeout =
          std::chrono::duration_cast<std::chrono::seconds>(r.duration(a["timeout"], "timeout"));
    if (a["max_open"]) s.assembly.max_open = r.number(a["max_open"], "max_open", 10'000'000);
    if (a["max_mb"]) s.assembly.max_bytes = r.number(a["max_mb"], "max_mb", 1'048'576) << 20;
  }
  if (n["kv_separator"]) {
    const auto sep = r.str(n["kv_separator"], "kv_separator");
    if (sep.size() != 1) r.error(n["kv_separator"], "kv_separator must be one character");
    s.kv_pair_separator = sep[0];
  }
  if (n["csv_columns"]) s.csv_columns = r.strings(n["csv_columns"], "csv_columns");
  if (n["csv_header"]) {
    const auto header = r.str(n["csv_header"], "csv_header");
    if (header != "first_row")
      r.error(n["csv_header"], "csv_header must be first_row (or give csv_columns instead)");
    s.csv_header_first_row = true;
  }
  if (n["csv_delimiter"]) {
    const auto d = r.str(n["csv_delimiter"], "csv_delimiter");
    if (d.size() != 1) r.error(n["csv_delimiter"], "csv_delimiter must be one character");
    s.csv_delimiter = d[0];
  }
  if (const auto& fields = n["fields"]) {
    // canonical.field: payload_name   or   canonical.field: {from: name, time_format: epoch}
    if (!fields.IsMap()) r.error(fields, "fields must map canonical fields to payload fields");
    for (const auto& kv : fields) {
      decode::FieldMapping fm;
      fm.field = field_id(r, kv.first);
      if (kv.second.IsMap()) {
        r.only_keys(kv.second, schema::kFieldMapping, "a field mapping");
        fm.from = r.str(kv.second["from"], "from");
        if (kv.second["time_format"])
          fm.time_format = r.str(kv.second["time_format"], "time_format");
      } else {
        fm.from = r.str(kv.second, "payload field name");
      }
      s.fields.push_back(std::move(fm));
    }
  }
  if (const auto& constants = n["constants"]) {
    if (!constants.IsMap()) r.error(constants, "constants must map canonical fields to values");
    for (const auto& kv : constants)
      s.constants.emplace_back(field_id(r, kv.first), r.str(kv.second, "constant value"));
  }
  if (auto ok = decode::check_source(s); !ok) r.error(n, ok.error().message);
  return s;
}

Config read_config(const Reader& r, const YAML::Node& root) {
  Config c = default_config();
  c.file = r.file();
  c.sources.clear();
  if (root.IsNull()) {
    c.sources = decode::default_sources();
    return c;
  }
  r.only_keys(root, schema::kTop, "the config file");
  if (root["state_dir"]) c.state_dir = r.str(root["state_dir"], "state_dir");
  if (root["rules"]) {
    c.rule_paths.clear();
    for (const auto& p : r.strings(root["rules"], "rules")) c.rule_paths.emplace_back(p);
  }
  if (root["site_file"]) c.site_file = r.str(root["site_file"], "site_file");
  if (root["rules_overrides"])
    for (const auto& p : r.strings(root["rules_overrides"], "rules_overrides"))
      c.override_paths.emplace_back(p);
  if (root["disable_rules"])
    c.disabled_rule_ids = r.strings(root["disable_rules"], "disable_rules");
  if (root["disable_tags"]) c.disabled_rule_tags = r.strings(root["disable_tags"], "disable_tags");
  if (root["log_level"]) {
    c.log_level = r.str(root["log_level"], "log_level");
    static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error"};
    if (!levels.contains(c.log_level))
      r.error(root["log_level"], "log_level must be trace, debug, info, warn or error");
  }
  if (root["time_zone"]) c.time_zone = r.str(root["time_zone"], "time_zone");
  if (const auto& corr = root["correlation"]) {
    r.only_keys(corr, schema::kCorrelation, "correlation");
    if (corr["lateness"]) c.correlation_lateness = r.duration(corr["lateness"], "lateness");
    if (corr["max_future_skew"])
      c.correlation_max_future_skew = r.duration(corr["max_future_skew"], "max_future_skew");
    if (corr["backfill_frames"])
      c.correlation_backfill_frames = r.number(corr["backfill_frames"], "backfill_frames", 64);
    if (corr["backfill_idle"]) {
      c.correlation_backfill_idle = r.duration(corr["backfill_idle"], "backfill_idle");
      if (c.correlation_backfill_idle < std::chrono::seconds(1))
        r.error(corr["backfill_idle"], "backfill_idle must be at least 1s");
    }
    if (corr["max_state_mb"]) {
      c.correlation_max_state_bytes = r.number(corr["max_state_mb"], "max_state_mb", 1'048'576)
                                      << 20;
      if (c.correlation_max_state_bytes == 0)
        r.error(corr["max_state_mb"], "max_state_mb must be at least 1");
    }
    if (corr["checkpoint_interval"]) {
      c.correlation_checkpoint = r.duration(corr["checkpoint_interval"], "checkpoint_interval");
      if (c.correlation_checkpoint < std::chrono::milliseconds(100))
        r.error(corr["checkpoint_interval"], "checkpoint_interval must be at least 100ms");
    }
  }
  if (const auto& listeners = root["listeners"]) {
    if (!listeners.IsSequence()) r.error(listeners, "listeners must be a list");
    c.listeners.clear();
    for (const auto& l : listeners) c.listeners.push_back(read_listener(r, l));
  }
  if (const auto& h = root["http"]) {
    r.only_keys(h, schema::kHttp, "http");
    if (h["address"]) c.http.address = r.str(h["address"], "http.address");
    if (h["port"])
      c.http.port = static_cast<std::uint16_t>(r.number(h["port"], "http.port", 65535));
    if (h["max_connections"])
      c.http.max_connections = r.number(h["max_connections"], "http.max_connections", 1 << 20);
    if (h["max_event_streams"])
      c.http.max_event_streams =
          r.number(h["max_event_streams"], "http.max_event_streams", 1 << 20);
    if (h["allowed_hosts"])
      c.http.allowed_hosts = r.strings(h["allowed_hosts"], "http.allowed_hosts");
    if (const auto& t = h["tls"]) {
      r.only_keys(t, schema::kHttpTls, "http tls");
      if (!t["cert_file"] || !t["key_file"]) r.error(t, "http.tls needs cert_file and key_file");
      TlsServerConfig tls;
      tls.cert_file = r.str(t["cert_file"], "http.tls.cert_file");
      tls.key_file = r.str(t["key_file"], "http.tls.key_file");
      c.http.tls = std::move(tls);
    }
    if (h["allow_plaintext"])
      c.http.allow_plaintext = r.boolean(h["allow_plaintext"], "http.allow_plaintext");
    for (auto [key, out] : {std::pair{"session_idle", &c.http.session_idle},
                            std::pair{"session_absolute", &c.http.session_absolute}})
      if (h[key])
        *out = std::chrono::duration_cast<std::chrono::seconds>(
            r.duration(h[key], std::string("http.") + key));
  }
  if (root["alerts"]) read_alerts(r, root["alerts"], c.alerts);
  c.alerts.time_zone = c.time_zone;  // mail shows times in the zone the rules use
  if (root["audit"]) read_audit(r, root["audit"], c.reason_policy);
  if (root["retention"]) read_retention(r, root["retention"], c.retention);
  if (const auto& sources = root["sources"]) {
    if (!sources.IsSequence()) r.error(sources, "sources must be a list");
    std::set<std::string> names;
    for (const auto& s : sources) {
      auto source = read_source(r, s);
      if (!names.insert(source.name).second)
        r.error(s, "duplicate source name '" + source.name + "'");
      c.sources.push_back(std::move(source));
    }
  }
  std::set<std::string> configured;
  for (const auto& s : c.sources) configured.insert(s.name);
  for (auto& s : decode::default_sources())  // a configured source replaces its namesake
    if (!configured.contains(s.name)) c.sources.push_back(std::move(s));
  // The force's mail domains, for every email source that does not list its own.
  if (root["internal_domains"]) {
    const auto domains = r.strings(root["internal_domains"], "internal_domains");
    for (auto& s : c.sources)
      if (s.internal_domains.empty()) s.internal_domains = domains;
  }
  return c;
}

}  // namespace

Result<Config> load_config(const fs::path& file) {
  try {
    const Reader reader(file);
    return read_config(reader, YAML::LoadFile(file.string()));
  } catch (const ConfigError& e) {
    return tl::unexpected(e.error);
  } catch (const YAML::BadFile&) {
    return fail("config.unreadable", "cannot read config file", SourcePos{file.string()});
  } catch (const YAML::Exception& e) {
    return fail("config.yaml", e.msg,
                SourcePos{file.string(), static_cast<std::uint32_t>(e.mark.line + 1),
                          static_cast<std::uint32_t>(e.mark.column + 1), 0});
  }
}

}  // namespace probity::config
