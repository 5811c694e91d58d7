#include "config/config.h"

#include <set>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "test_support.h"

using namespace probity;
using probity::testing::TempDir;
using probity::testing::write_file;

namespace {

Result<config::Config> load(const TempDir& dir, const std::string& yaml) {
  write_file(dir / "probity.yaml", yaml);
  return config::load_config(dir / "probity.yaml");
}

}  // namespace

TEST(ConfigLoader, EmptyFileGivesDefaultsAndEmbeddedSources) {
  TempDir dir;
  auto c = load(dir, "");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_EQ(c->listeners.at(0).port, 5514);
  EXPECT_EQ(c->http.port, 9095);
  ASSERT_FALSE(c->sources.empty());
  EXPECT_EQ(c->sources.front().name, "probity-access");
}

TEST(ConfigLoader, ReportsUnknownKeyWithFileLineAndColumn) {
  TempDir dir;
  auto c = load(dir, "state_dir: /tmp/x\nhttp:\n  address: 127.0.0.1\n  prot: 80\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().pos.line, 4u);
  EXPECT_EQ(c.error().pos.column, 3u);
  EXPECT_NE(c.error().message.find("unknown key 'prot'"), std::string::npos) << c.error().message;
  EXPECT_NE(describe(c.error()).find("probity.yaml:4:3: "), std::string::npos);
}

TEST(ConfigLoader, ReadsListenersDurationsAndAlerts) {
  TempDir dir;
  auto c = load(dir, R"(
listeners:
  - name: audit
    address: 0.0.0.0
    port: 6514
    max_message_size: 8192
    idle_timeout: 5m
alerts:
  retry_initial: 250ms
  email:
    to: psd@force.example
    smtp_url: smtps://mail.force.example:465
)");
  ASSERT_TRUE(c) << describe(c.error());
  ASSERT_EQ(c->listeners.size(), 1u);
  EXPECT_EQ(c->listeners[0].name, "audit");
  EXPECT_EQ(c->listeners[0].max_message_size, 8192u);
  EXPECT_EQ(c->listeners[0].idle_timeout, std::chrono::minutes(5));
  EXPECT_EQ(c->alerts.retry_initial, std::chrono::milliseconds(250));
  EXPECT_EQ(c->alerts.email.smtp_url, "smtps://mail.force.example:465");
}

TEST(ConfigLoader, StartTlsIsRequiredByDefaultExceptToARelayOnThisHost) {
  TempDir dir("probity-config");
  const auto relay = [&](const std::string& url, const std::string& extra = "") {
    auto c = load(dir, "alerts:\n  email:\n    smtp_url: " + url + "\n" + extra);
    EXPECT_TRUE(c) << url;
    return c && c->alerts.email.require_tls;
  };
  EXPECT_TRUE(relay("smtp://mail.force.example:25"));
  EXPECT_TRUE(relay("smtp://10.0.0.5"));
  EXPECT_TRUE(relay("smtp://127.evil.example:25"));  // a name, not an address
  EXPECT_FALSE(relay("smtp://127.0.0.1:2525"));
  EXPECT_FALSE(relay("smtp://localhost"));
  EXPECT_FALSE(relay("smtp://[::1]:25"));
  EXPECT_FALSE(relay("smtp://mail.force.example", "    require_tls: false\n"));
}

TEST(ConfigLoader, RejectsBadValuesWithTheirPosition) {
  TempDir dir;
  auto port = load(dir, "http:\n  port: 70000\n");
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().pos.line, 2u);
  auto duration = load(dir, "alerts:\n  retry_max: soon\n");
  ASSERT_FALSE(duration);
  EXPECT_NE(duration.error().message.find("duration"), std::string::npos);
  auto url = load(dir, "alerts:\n  email:\n    smtp_url: http://x\n");
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("smtp://"), std::string::npos);
}

TEST(ConfigLoader, ReadsASourceMappingBeforeTheEmbeddedOnes) {
  TempDir dir;
  auto c = load(dir, R"(
sources:
  - name: niche-audit
    kind: access
    match: {app_name: niche}
    format: kv
    fields:
      user.id: usr
      event.time: {from: ts, time_format: epoch}
    constants:
      source.system: Niche
)");
  ASSERT_TRUE(c) << describe(c.error());
  ASSERT_GE(c->sources.size(), 2u);
  const auto& s = c->sources[0];
  EXPECT_EQ(s.name, "niche-audit");
  EXPECT_EQ(s.format, decode::PayloadFormat::kv);
  ASSERT_EQ(s.fields.size(), 2u);
  EXPECT_EQ(s.fields[0].field, event::FieldId::user_id);
  EXPECT_EQ(s.fields[1].time_format, "epoch");
  EXPECT_EQ(c->sources[1].name, "probity-access");
}

TEST(ConfigLoader, ReadsACsvSource) {
  TempDir dir;
  auto c = load(dir, R"(
sources:
  - name: door-log
    match: {app_name: doors}
    format: csv
    csv_columns: [time, user, door]
    csv_delimiter: ";"
    fields:
      user.id: user
      subject.id: door
  - name: vault-csv
    match: {app_name: vault}
    format: csv
    csv_header: first_row
    fields:
      user.id: Operator
)");
  ASSERT_TRUE(c) << describe(c.error());
  const auto& s = c->sources[0];
  EXPECT_EQ(s.format, decode::PayloadFormat::csv);
  EXPECT_EQ(s.csv_columns, (std::vector<std::string>{"time", "user", "door"}));
  EXPECT_EQ(s.csv_delimiter, ';');
  EXPECT_FALSE(s.csv_header_first_row);
  EXPECT_TRUE(c->sources[1].csv_header_first_row);
  EXPECT_EQ(c->sources[1].csv_delimiter, ',');
}

TEST(ConfigLoader, RejectsBadCsvSettings) {
  TempDir dir;
  const std::string head = "sources:\n  - name: x\n    format: csv\n";
  auto unknown = load(dir, head + "    csv_header: first_row\n    csv_headers: first_row\n");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown key 'csv_headers'"), std::string::npos)
      << unknown.error().message;
  auto header = load(dir, head + "    csv_header: yes_please\n");
  ASSERT_FALSE(header);
  EXPECT_NE(header.error().message.find("first_row"), std::string::npos);
  EXPECT_EQ(header.error().pos.line, 4u);
  auto delimiter = load(dir, head + "    csv_header: first_row\n    csv_delimiter: \";;\"\n");
  ASSERT_FALSE(delimiter);
  EXPECT_NE(delimiter.error().message.find("one character"), std::string::npos);
  auto neither = load(dir, head);
  ASSERT_FALSE(neither);
  EXPECT_NE(neither.error().message.find("csv_columns or csv_header"), std::string::npos)
      << neither.error().message;
  auto not_csv = load(dir, "sources:\n  - name: x\n    format: kv\n    csv_columns: [a, b]\n");
  ASSERT_FALSE(not_csv);
  EXPECT_NE(not_csv.error().message.find("for format csv"), std::string::npos)
      << not_csv.error().message;
}

TEST(ConfigLoader, RejectsMappingToAFieldThatIsNotCanonical) {
  TempDir dir;
  auto c = load(dir, "sources:\n  - name: x\n    format: kv\n    fields:\n      user.idd: usr\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().pos.line, 5u);
  EXPECT_NE(c.error().message.find("user.idd"), std::string::npos);
}

TEST(ConfigLoader, ReportsYamlSyntaxErrorsWithPosition) {
  TempDir dir;
  auto c = load(dir, "http:\n  port: [1\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "config.yaml");
  EXPECT_GT(c.error().pos.line, 0u);
}

TEST(ConfigEndpoint, ParsesAddressAndPort) {
  auto ok = config::parse_endpoint("127.0.0.1:5514");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->first, "127.0.0.1");
  EXPECT_EQ(ok->second, 5514);
  EXPECT_FALSE(config::parse_endpoint("127.0.0.1"));
  EXPECT_FALSE(config::parse_endpoint(":80"));
  EXPECT_FALSE(config::parse_endpoint("host:99999"));
}

TEST(ConfigPaths, AlertFilesGoUnderTheStateDir) {
  auto c = config::default_config();
  c.state_dir = "/var/lib/probity";
  config::resolve_paths(c);
  EXPECT_EQ(c.alerts.jsonl_path, "/var/lib/probity/alerts.jsonl");
  EXPECT_EQ(c.alerts.email.mailbox_path, "/var/lib/probity/mailbox");
}

TEST(ConfigLoader, ShippedExampleConfigLoads) {
  auto c = config::load_config(PROBITY_SOURCE_DIR "/config/probity.example.yaml");
  ASSERT_TRUE(c) << describe(c.error());
  ASSERT_EQ(c->listeners.size(), 3u);
  ASSERT_TRUE(c->listeners[1].tls);
  EXPECT_TRUE(c->listeners[1].tls->require_client_cert);
  EXPECT_FALSE(c->listeners[1].relp);
  EXPECT_TRUE(c->listeners[2].relp);
  ASSERT_TRUE(c->listeners[2].tls);
  EXPECT_EQ(c->sources.front().name, "niche-audit");
  // The example shows the built-in reference pattern, not a copy that drifted from it.
  EXPECT_EQ(c->reason_policy.reference_pattern, audit::kDefaultReferencePattern);
  EXPECT_EQ(c->reason_policy.min_length, 15u);
}

TEST(ConfigLoader, RulesOverridesTakeOnePathOrAList) {
  TempDir dir;
  auto none = load(dir, "state_dir: /tmp/x\n");
  ASSERT_TRUE(none) << describe(none.error());
  EXPECT_TRUE(none->override_paths.empty());  // no overrides unless configured
  auto one = load(dir, "rules_overrides: /etc/probity/overrides.yaml\n");
  ASSERT_TRUE(one) << describe(one.error());
  EXPECT_EQ(one->override_paths, std::vector<std::filesystem::path>{"/etc/probity/overrides.yaml"});
  auto two = load(dir, "rules_overrides: [a.yaml, /etc/probity/overrides.d]\n");
  ASSERT_TRUE(two) << describe(two.error());
  EXPECT_EQ(two->override_paths,
            (std::vector<std::filesystem::path>{"a.yaml", "/etc/probity/overrides.d"}));
  auto bad = load(dir, "rules_overrides: {file: a.yaml}\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().pos.line, 1u);
  EXPECT_NE(bad.error().message.find("rules_overrides must be a list of strings"),
            std::string::npos)
      << bad.error().message;
}

TEST(ConfigLoader, AuditSectionSetsTheReasonPolicy) {
  TempDir dir;
  auto c = load(dir, "audit:\n  reason_pattern: '\\bNICHE\\d{6}\\b'\n  reason_min_length: 0\n");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_EQ(c->reason_policy.reference_pattern, "\\bNICHE\\d{6}\\b");
  EXPECT_EQ(c->reason_policy.min_length, 0u);
  auto defaults = load(dir, "");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->reason_policy.reference_pattern, audit::kDefaultReferencePattern);
}

TEST(ConfigLoader, RejectsAReasonPatternThatDoesNotCompileAtItsPosition) {
  TempDir dir;
  auto c = load(dir, "audit:\n  reason_pattern: 'PSD-('\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().pos.line, 2u);
  EXPECT_NE(c.error().message.find("audit.reason_pattern"), std::string::npos) << c.error().message;
}

TEST(ConfigLoader, RejectsAnAuditPolicyThatRefusesEveryReason) {
  TempDir dir;
  auto c = load(dir, "audit:\n  reason_pattern: ''\n  reason_min_length: 0\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("refuse every reason"), std::string::npos) << c.error().message;
}

namespace {

/// The dotted key paths a YAML tree holds (list items add no step). Under a path whose keys
/// the schema gives as "*" (canonical field names), each key is written "*".
void collect_keys(const YAML::Node& n, const std::string& path, const std::set<std::string>& schema,
                  std::set<std::string>& out) {
  if (n.IsSequence()) {
    for (const auto& item : n) collect_keys(item, path, schema, out);
    return;
  }
  if (!n.IsMap()) return;
  const std::string prefix = path.empty() ? "" : path + ".";
  for (const auto& kv : n) {
    const std::string key = schema.contains(prefix + "*") ? "*" : kv.first.as<std::string>();
    out.insert(prefix + key);
    collect_keys(kv.second, prefix + key, schema, out);
  }
}

}  // namespace

TEST(ConfigExample, ShowsEveryKeyTheLoaderKnows) {
  const auto keys = config::config_keys();
  const std::set<std::string> schema(keys.begin(), keys.end());
  std::set<std::string> shown;
  collect_keys(YAML::LoadFile(PROBITY_SOURCE_DIR "/config/probity.example.yaml"), "", schema,
               shown);
  for (const auto& key : schema)
    EXPECT_TRUE(shown.contains(key)) << key << " is missing from config/probity.example.yaml";
  // And the other way: the list is the loader's (an unknown key would not load at all).
  for (const auto& key : shown) EXPECT_TRUE(schema.contains(key)) << key;
  EXPECT_TRUE(schema.contains("internal_domains"));
  EXPECT_TRUE(schema.contains("sources.fields.*.time_format"));
}

TEST(ConfigLoader, TlsListenerNeedsItsCertificateAndKey) {
  TempDir dir;
  auto c = load(dir, "listeners:\n  - name: a\n    protocol: tls\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("cert_file"), std::string::npos) << c.error().message;
}

TEST(ConfigLoader, DurationsTakeTheRulesUnitsAndMilliseconds) {
  TempDir dir;
  auto c = load(dir,
                "correlation:\n  lateness: 7d\n  checkpoint_interval: 500ms\n"
                "alerts:\n  retry_max: 2w\n");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_EQ(c->correlation_lateness, std::chrono::hours(7 * 24));
  EXPECT_EQ(c->correlation_checkpoint, std::chrono::milliseconds(500));
  EXPECT_EQ(c->alerts.retry_max, std::chrono::hours(14 * 24));
  auto bad = load(dir, "correlation:\n  lateness: 7 days\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("30d, 2w"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().pos.line, 2u);
}

TEST(ConfigLoader, BooleansTakeTheRulesYesNoWords) {
  // base/boolean.h: the config and rule files share one grammar, in any case.
  TempDir dir;
  auto c = load(dir, "alerts:\n  jsonl_shown_only: Yes\n  email:\n    require_tls: n\n");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_TRUE(c->alerts.jsonl_shown_only);
  EXPECT_FALSE(c->alerts.email.require_tls);
  auto bad = load(dir, "alerts:\n  jsonl_shown_only: 2\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("yes/no"), std::string::npos) << bad.error().message;
  EXPECT_EQ(bad.error().pos.line, 2u);
}

TEST(ConfigLoader, ReadsTimeZoneAndCorrelationSettings) {
  TempDir dir;
  auto c = load(dir,
                "time_zone: Europe/London\ncorrelation:\n  lateness: 2m\n"
                "  checkpoint_interval: 1s\n  max_future_skew: 1h\n  max_state_mb: 8\n");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_EQ(c->time_zone, "Europe/London");
  EXPECT_EQ(c->correlation_lateness, std::chrono::minutes(2));
  EXPECT_EQ(c->correlation_max_future_skew, std::chrono::hours(1));
  EXPECT_EQ(c->correlation_max_state_bytes, std::size_t{8} << 20);
  EXPECT_EQ(c->correlation_checkpoint, std::chrono::seconds(1));
  EXPECT_FALSE(load(dir, "correlation:\n  checkpoint_interval: 1ms\n"));
  EXPECT_FALSE(load(dir, "correlation:\n  window: 1h\n"));
}

TEST(ConfigLoader, ReadsBackfillFramesAndTheirIdleTime) {
  TempDir dir;
  auto defaults = load(dir, "");
  ASSERT_TRUE(defaults) << describe(defaults.error());
  EXPECT_EQ(defaults->correlation_backfill_frames, 4u);
  EXPECT_EQ(defaults->correlation_backfill_idle, std::chrono::minutes(2));
  auto c = load(dir, "correlation:\n  backfill_frames: 0\n  backfill_idle: 30s\n");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_EQ(c->correlation_backfill_frames, 0u);
  EXPECT_EQ(c->correlation_backfill_idle, std::chrono::seconds(30));
  auto too_many = load(dir, "correlation:\n  backfill_frames: 65\n");
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().pos.line, 2u);
  auto too_short = load(dir, "correlation:\n  backfill_idle: 500ms\n");
  ASSERT_FALSE(too_short);
  EXPECT_NE(too_short.error().message.find("backfill_idle must be at least 1s"), std::string::npos)
      << too_short.error().message;
}

TEST(ConfigLoader, RetentionIsUnsetByDefaultSoNothingIsEverDeleted) {
  TempDir dir;
  auto c = load(dir, "");
  ASSERT_TRUE(c) << describe(c.error());
  EXPECT_FALSE(c->retention.alerts);
  EXPECT_FALSE(c->retention.evidence);
  EXPECT_EQ(c->retention.jsonl_rotate_mb, 64u);
}

TEST(ConfigLoader, ReadsRetentionPeriodsKeepingTheirText) {
  TempDir dir;
  auto c = load(dir, "retention:\n  alerts: 400d\n  evidence: 13w\n  jsonl_rotate_mb: 0\n");
  ASSERT_TRUE(c) << describe(c.error());
  ASSERT_TRUE(c->retention.alerts);
  EXPECT_EQ(c->retention.alerts->length, std::chrono::days(400));
  EXPECT_EQ(c->retention.alerts->text, "400d");
  ASSERT_TRUE(c->retention.evidence);
  EXPECT_EQ(c->retention.evidence->length, std::chrono::weeks(13));
  EXPECT_EQ(c->retention.jsonl_rotate_mb, 0u);
}

TEST(ConfigLoader, RejectsARetentionPeriodShorterThanADayOrNotADuration) {
  TempDir dir;
  // "90m" is ninety minutes: accepting it would empty the store within the hour.
  auto c = load(dir, "retention:\n  alerts: 90m\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().pos.line, 2u);
  EXPECT_EQ(c.error().pos.column, 11u);
  EXPECT_EQ(c.error().message,
            "retention.alerts must be a duration of at least one day, a number and one unit "
            "(d, w): 90d, 400d, 52w; not '90m'");
  c = load(dir, "retention:\n  evidence: three months\n");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("not 'three months'"), std::string::npos) << c.error().message;
}

TEST(ConfigLoader, ReadsHttpTlsAndThePlaintextOptIn) {
  TempDir dir;
  auto c = load(dir,
                "http:\n  address: 0.0.0.0\n  tls:\n    cert_file: /etc/p/http.pem\n"
                "    key_file: /etc/p/http.key\n  allow_plaintext: yes\n");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->http.tls);
  EXPECT_EQ(c->http.tls->cert_file, "/etc/p/http.pem");
  EXPECT_EQ(c->http.tls->key_file, "/etc/p/http.key");
  EXPECT_TRUE(c->http.allow_plaintext);
  EXPECT_FALSE(load(dir, "")->http.tls);  // plain HTTP on loopback by default
  auto half = load(dir, "http:\n  tls:\n    cert_file: a.pem\n");
  ASSERT_FALSE(half);
  EXPECT_NE(half.error().message.find("key_file"), std::string::npos) << half.error().message;
  // Client certificates are the syslog listener's business, not the page's.
  auto extra = load(dir, "http:\n  tls:\n    cert_file: a\n    key_file: b\n    ca_file: c\n");
  ASSERT_FALSE(extra);
  EXPECT_NE(extra.error().message.find("ca_file"), std::string::npos) << extra.error().message;
}

TEST(ConfigLoader, RoutesNameGroupsWebhooksAndSiemsThatExist) {
  TempDir dir;
  auto c = load(dir,
                "alerts:\n"
                "  recipients:\n"
                "    psd-duty: duty@force.example\n"
                "    psd-intel: [a@force.example, b@force.example]\n"
                "  webhooks:\n"
                "    - {name: cases, url: 'https://cases.example/h', secret_file: /x}\n"
                "  siem:\n"
                "    - {name: siem, host: siem.example, tls: false}\n"
                "  routes:\n"
                "    - match: {severity: critical, rule: 'pnc-*', tag: [misuse]}\n"
                "      to: [psd-duty, cases]\n"
                "      continue: true\n"
                "    - match: {min_severity: low, source: PNC}\n"
                "      to: psd-intel\n"
                "      digest: hourly\n"
                "      max_per_hour: 5\n"
                "    - match: {internal: true}\n"
                "      to: [admins, siem]\n");
  ASSERT_TRUE(c) << describe(c.error());
  const auto& a = c->alerts;
  ASSERT_EQ(a.recipients.size(), 2u);
  EXPECT_EQ(a.recipients[1].second, "a@force.example, b@force.example");
  ASSERT_EQ(a.routes.size(), 3u);
  EXPECT_EQ(a.routes[0].severities, std::vector<std::string>{"critical"});
  EXPECT_EQ(a.routes[0].rules, std::vector<std::string>{"pnc-*"});
  EXPECT_TRUE(a.routes[0].continue_matching);
  EXPECT_EQ(a.routes[0].max_per_rule_per_hour, 20u);  // email's default limit
  EXPECT_EQ(a.routes[1].digest, std::chrono::hours(1));
  EXPECT_EQ(a.routes[1].max_per_hour, 5u);
  EXPECT_EQ(a.routes[1].sources, std::vector<std::string>{"PNC"});
  EXPECT_TRUE(a.routes[2].internal);
  ASSERT_EQ(a.siems.size(), 1u);
  EXPECT_EQ(a.siems[0].port, 514);  // plain TCP's usual port when tls is off
}

TEST(ConfigLoader, ARouteToAnUnknownDestinationOrABadNameIsRefusedAtItsLine) {
  TempDir dir;
  auto unknown =
      load(dir, "alerts:\n  routes:\n    - match: {min_severity: high}\n      to: [psd-duty]\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().pos.line, 4u);
  EXPECT_NE(unknown.error().message.find("'psd-duty' is not a recipient group"), std::string::npos)
      << unknown.error().message;
  auto bad_name = load(dir, "alerts:\n  recipients:\n    'PSD Duty': a@b\n");
  ASSERT_FALSE(bad_name);
  EXPECT_NE(bad_name.error().message.find("lower-case"), std::string::npos);
  auto twice = load(dir,
                    "alerts:\n  recipients: {cases: a@b}\n  webhooks:\n"
                    "    - {name: cases, url: 'https://x/', secret_file: /s}\n");
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("used twice"), std::string::npos);
  auto short_digest = load(dir, "alerts:\n  routes:\n    - {to: psd, digest: 500ms}\n");
  ASSERT_FALSE(short_digest);
  EXPECT_NE(short_digest.error().message.find("at least 1s"), std::string::npos);
  auto bad_severity = load(dir, "alerts:\n  routes:\n    - {to: psd, match: {severity: urgent}}\n");
  ASSERT_FALSE(bad_severity);
  auto no_secret = load(dir, "alerts:\n  webhooks:\n    - {name: w, url: 'https://x/'}\n");
  ASSERT_FALSE(no_secret);
  EXPECT_NE(no_secret.error().message.find("secret_file"), std::string::npos);
}
