// The alerts stage: the alert model, durable storage of each alert before anything is
// sent, a durable outbox with retries, and the sinks (JSONL log, SMTP email, local mbox).
// Not for rule evaluation (rules/); the triage lifecycle's rules are triage.h's.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alerts/triage.h"
#include "base/result.h"
#include "event/event.h"

namespace probity::state {
class Store;
}

namespace probity::alerts {

/// The alert as the pseudonymised channels (email, live page, API, log) show it, made
/// once when it is raised (identity_mask.h) and stored with it: a later key rotation leaves
/// the pseudonyms it was shown with unchanged.
struct ShownAlert {
  std::string key_id;   ///< the pseudonym key's id; "" when identities are shown unmasked
  std::string user;     ///< the user's pseudonym, or "unknown user"
  std::string message;  ///< the message with identities replaced or withheld
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> events_json;  ///< canonical fields only; source fields withheld
  /// The reference data the rule relied on (Alert::lookups), a value withheld unless it is
  /// plainly not about a person (a flag, a number, a vetting level, a department).
  std::vector<std::pair<std::string, std::string>> lookups;
};

struct Alert {
  std::string id;  ///< unique and sortable by time; raise() assigns one when empty
  std::string rule_id;
  std::string rule_version;  ///< hash of the rule text that fired
  std::string title;
  /// Why the behaviour matters and what to do next, as the rule said when the alert was
  /// raised ("" for alerts stored before rules carried them, and for internal alerts).
  std::string description;
  std::string guidance;
  std::string severity;           ///< "low" | "medium" | "high" | "critical" (free text is kept)
  std::vector<std::string> tags;  ///< the rule's tags when it fired (routes match on them)
  /// The system the triggering event came from (an access event's source_system, an
  /// email event's gateway): "" when the event named none. Routes match on it.
  std::string source;
  std::string message;  ///< rendered alert text
  event::Timestamp event_time{};
  event::Timestamp raised_at{};          ///< raise() sets it when left at the epoch
  std::string user_id;                   ///< staff id the alert is about
  std::vector<std::string> events_json;  ///< evidence: the triggering events as JSON
  std::vector<std::pair<std::string, std::string>> fields;  ///< shown fields, in rule order
  /// The reference data the rule consulted, expression -> value ("staff(user.id).vetting.level"
  /// -> "NPPV2"): what the alert relied on besides its events (rules::Match::lookups).
  std::vector<std::pair<std::string, std::string>> lookups;
  std::string status = "new";  ///< triage.h: new, acknowledged, dismissed, resolved, escalated
  std::string owner;           ///< the Probity account working it; "" until someone does
  /// What raised it, as a hash of the rule, the triggering event's id and the message: the
  /// same events replayed or re-sent give the same origin, and raise() stores no second
  /// alert for it (nor mails one). "" = not deduplicated (internal alerts, tests).
  std::string origin;
  std::vector<TriageEntry> history;  ///< every triage change, oldest first (triage.h)
  /// Matches folded into this alert by the rule's suppression window (1 = just the first),
  /// and the event time of the latest; fold() updates both.
  std::uint64_t count = 1;
  event::Timestamp last_seen{};
  /// What the pseudonymised channels show; nullopt (an alert stored before this existed):
  /// they show the title and rule only.
  std::optional<ShownAlert> shown;
};

/// What a store of an alert was: a new one, a repeat folded into it, or a person's change.
enum class StoredChange { raised, folded, worked };

/// The daemon's own alerts about itself (rule ids "probity-...": a failed reload, the mail
/// flood limit); they carry no personal data and are not mailed one by one.
inline bool is_internal(const Alert& a) { return a.rule_id.starts_with("probity-"); }

/// The alert as every channel outside the audited reveal shows it: user, message, fields
/// and evidence from `shown`, or withheld when there is none.
Alert as_shown(const Alert& a);

/// Alert::origin for a match: SHA-256 (hex, 32 characters) over the rule id, the
/// triggering event's id and the rendered message, so each key a rule fires for on one
/// event has its own origin.
std::string alert_origin(std::string_view rule_id, std::string_view event_id,
                         std::string_view message);

/// One compact JSON object (one JSONL line); evidence events are embedded as objects.
std::string to_json(const Alert& a);
/// The alert's history as to_json writes it (a JSON array), for the API's detail view.
std::string history_to_json(const std::vector<TriageEntry>& history);
/// Inverse of to_json. Errors ("alerts.bad_json") name the missing or mistyped member.
Result<Alert> alert_from_json(std::string_view json);

/// Stored alerts read back for a reader (`probity alerts list`): each decoded alert to
/// `on_alert`, in id order (oldest first); an entry that does not decode goes to
/// `on_unreadable` with its id and the error, and the scan goes on. Errors: the store's
/// (state.read). Any thread; cost O(stored alerts).
Result<void> for_each_stored_alert(
    const state::Store& store, const std::function<void(const Alert&)>& on_alert,
    const std::function<void(std::string_view id, const Error&)>& on_unreadable);

/// One stored alert, decoded. Errors: alerts.unknown (no such alert), alerts.bad_json, the
/// store's (state.read).
Result<Alert> stored_alert(const state::Store& store, std::string_view id);

/// One stored alert as its JSON document indented for a reader, exactly the members stored
/// (as stored when it is not JSON); nullopt when there is no such alert (not an error).
/// Errors: the store's (state.read).
Result<std::optional<std::string>> stored_alert_document(const state::Store& store,
                                                         std::string_view id);

struct EmailConfig {
  bool enabled = true;
  std::string to;  ///< one or more addresses, comma-separated
  /// Where Probity's own alerts (a failed reload, the flood limit) go: the administrators,
  /// who can act on them, not the PSD. "" = `to`.
  std::string admins_to;
  /// The recipients of `alert`'s own mail.
  const std::string& recipients_of(bool internal) const {
    return internal && !admins_to.empty() ? admins_to : to;
  }
  std::string from;  ///< envelope and header sender
  /// "" = append to mailbox_path instead (the default config needs no mail server);
  /// otherwise smtp://host:port or smtps://host:port.
  std::string smtp_url;
  bool require_tls = false;  ///< smtp:// must upgrade with STARTTLS or fail
  std::string username;
  std::filesystem::path password_file;  ///< read once at start(); never in the config itself
  std::filesystem::path ca_file;        ///< extra CA bundle for self-signed relays; "" = system
  std::filesystem::path mailbox_path;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds total_timeout{30};
  /// The mail flood limit (mail_throttle.h): individual emails per rule and in all per
  /// hour (0: no limit); alerts past it are mailed together every digest_interval.
  std::uint32_t max_per_rule_per_hour = 20;
  std::uint32_t max_per_hour = 60;
  std::chrono::seconds digest_interval{600};
  /// Pseudonymise staff identities in every channel but the audited reveal (default).
  /// The daemon creates the key on first start.
  bool pseudonymise_identities = true;
  std::filesystem::path pseudonym_key_file;
};

/// alerts.webhooks[] (webhook_channel.h).
struct WebhookConfig {
  std::string name;  ///< the destination's name in alerts.routes, for errors and logs
  std::string url;   ///< http:// or https://
  /// The HMAC key: the file's first line, read once by create(); never in the config.
  std::filesystem::path secret_file;
  std::filesystem::path ca_file;     ///< the CA bundle to verify the receiver with; "" = system
  std::chrono::seconds timeout{10};  ///< the whole request, connect included
};

/// alerts.siem[] (siem_channel.h).
struct SiemConfig {
  std::string name;           ///< the destination's name in alerts.routes, for errors and logs
  std::string host;           ///< the collector; also the name its certificate must carry
  std::uint16_t port = 6514;  ///< RFC 5425's syslog-over-TLS port
  bool tls = true;
  /// A CA bundle to verify the collector with, besides the system's CA directory (Debian's
  /// libcurl keeps /etc/ssl/certs); "" = the system's alone.
  std::filesystem::path ca_file;
  std::filesystem::path cert_file;  ///< our client certificate, for mutual TLS; "" = none
  std::filesystem::path key_file;
  std::string format = "cef";        ///< "cef" or "json" (the shown alert's to_json)
  std::chrono::seconds timeout{10};  ///< connect, handshake and write of one message
  std::string hostname;              ///< HOSTNAME in the syslog header; "" = this machine's name
  std::string product_version;       ///< CEF's Device Version: app/ passes app::kVersion
};

/// One entry of alerts.routes: which alerts it takes (every condition it sets must hold)
/// and which destinations they go to. routing.h applies them.
struct Route {
  std::string name;                     ///< for log lines and the flood alert
  std::vector<std::string> severities;  ///< any of these; empty: any
  std::string min_severity;             ///< at least this ("medium"); "": any
  std::vector<std::string> rules;       ///< rule ids or globs ("pnc-*"); empty: any
  std::vector<std::string> tags;        ///< any of these tags; empty: any
  std::vector<std::string> sources;     ///< Alert::source, any case; empty: any
  /// Takes Probity's own alerts (is_internal) and nothing else; routes without it never
  /// take them.
  bool internal = false;
  std::vector<std::string> to;  ///< destination names: recipient groups, webhooks, SIEMs
  /// 0: each alert at once; else the route's alerts go out in a digest this often.
  std::chrono::seconds digest{0};
  bool continue_matching = false;  ///< after this route, later matching routes take it too
  /// Rate limits (token buckets refilled over an hour; 0: none): alerts past them wait for
  /// a digest, and one internal alert says so.
  std::uint32_t max_per_rule_per_hour = 0;
  std::uint32_t max_per_hour = 0;
};

struct AlertConfig {
  std::filesystem::path jsonl_path;  ///< "" = no JSONL log
  /// The JSONL log carries only the shown view (for a log shipped to a SIEM); by default it
  /// is the daemon's private record, real identities included, like the store.
  bool jsonl_shown_only = false;
  EmailConfig email;
  std::chrono::milliseconds retry_initial{1000};
  std::chrono::milliseconds retry_max{60000};
  /// How long stop() keeps trying pending deliveries before leaving them for the next run.
  std::chrono::milliseconds drain_timeout{5000};
  /// The live page as an investigator reaches it ("https://probity.psd.example/"): each alert
  /// email links to <link_base>?alert=ID, which opens that alert after login. "" = no link.
  std::string link_base;
  /// The zone alert email shows times in (the config's top-level time_zone, which the
  /// loader copies here), read from zoneinfo_dir by start(); UTC is always shown beside it.
  std::string time_zone = "UTC";
  std::string zoneinfo_dir = "/usr/share/zoneinfo";
  /// Named recipient groups (alerts.recipients: name -> comma-separated addresses). Two
  /// more exist unless named here: "psd" (email.to) and "admins" (email.admins_to, else to).
  std::vector<std::pair<std::string, std::string>> recipients;
  /// Routes in order; empty: internal alerts to "admins", the rest to "psd" (routing.h).
  std::vector<Route> routes;
  std::vector<WebhookConfig> webhooks;
  std::vector<SiemConfig> siems;
};

/// Plain atomics the metrics endpoint reads; the pipeline only ever adds or sets them.
struct AlertCounters {
  std::atomic<std::uint64_t> stored{0};          ///< alerts durably written
  std::atomic<std::uint64_t> store_failures{0};  ///< raise() calls that could not store
  std::atomic<std::uint64_t> jsonl_failures{0};  ///< JSONL lines that could not be written
  std::atomic<std::uint64_t> sent{0};            ///< delivered by SMTP or to the mailbox
  std::atomic<std::uint64_t> send_failures{0};   ///< failed delivery attempts (retried)
  std::atomic<std::uint64_t> pending{0};         ///< gauge: outbox entries not yet delivered
  std::atomic<std::uint64_t> mail_held{0};       ///< alerts the flood limit left to a digest
  std::atomic<std::uint64_t> digests_sent{0};
};

/// Stores, logs and delivers alerts. raise() may be called from any thread (normally the
/// evaluation thread); each destination (alerts.routes) is delivered to by a thread of its
/// own that start() creates (destination.h).
/// Delivery is at least once: a crash between a successful send and the outbox erase
/// sends that alert again on the next start (same Message-ID, so clients can fold it).
class AlertPipeline {
 public:
  AlertPipeline(state::Store& store, AlertConfig config, AlertCounters& counters);
  ~AlertPipeline();  ///< calls stop()
  AlertPipeline(const AlertPipeline&) = delete;
  AlertPipeline& operator=(const AlertPipeline&) = delete;

  /// Makes the destinations (reading the SMTP password and webhook secrets), routes again
  /// the outbox rows of destinations no longer configured, re-queues what a previous run
  /// left and starts each destination's thread. Errors: an unreadable password or secret
  /// file, no mailbox path, a recipient group without an address, the store's.
  Result<void> start();

  /// The alert already raised for `origin` (Alert::origin), if any: one point read. Store
  /// errors read as none (the alert is raised again rather than lost).
  std::optional<std::string> raised_for(std::string_view origin) const;

  /// How a raise or a fold becomes durable: synced before it returns, or staged (a raise)
  /// or written now (a fold) and synced by the next commit(), with every other deferred one
  /// (group commit: an alert storm costs one fsync per evaluation batch, not one per alert).
  enum class Sync { now, at_commit };

  /// Assigns id (and raised_at) when empty; writes the alert and its outbox entry in ONE
  /// batch, appends the JSONL line, wakes delivery. Returns the id. An error means nothing
  /// was stored; a JSONL failure after storing is counted and logged, not returned.
  /// Cost: one fsync (now). Callable before start(): delivery then waits for start().
  /// at_commit only stages the alert and returns its id: the next commit() does the rest
  /// (so nothing is mailed before it is durable), and raised_for() knows its origin at once.
  Result<std::string> raise(Alert alert, Sync sync = Sync::now);
  /// Writes and syncs what was raised or folded with Sync::at_commit, counts it stored and
  /// hands it to delivery. One fsync when there is anything to commit. Any thread (app/'s
  /// AlertCommitter runs it beside the evaluation thread): raises staged meanwhile wait for
  /// the next commit, and commits run one at a time, in order.
  void commit();

  /// A repeat inside a rule's suppression window: adds one to the stored alert's count,
  /// sets last_seen to `seen` if later, rewrites it (synced) and appends the updated alert
  /// to the JSONL log. Sends no new email. Errors: alerts.unknown (no such alert), store
  /// errors. Same threads and cost as raise().
  /// `origin` (Alert::origin of the repeat's event) is recorded with it, so the same
  /// event replayed later is known as already counted (raised_for) and not folded twice.
  /// at_commit only stages the repeat: the next commit() counts it (in the alert itself
  /// when that is staged too) and a repeat of an alert it cannot read is counted as a store
  /// failure and logged there; raised_for() knows its origin at once.
  Result<void> fold(const std::string& alert_id, event::Timestamp seen,
                    std::string_view origin = {}, Sync sync = Sync::now);

  /// Works the stored alert: apply_triage (triage.h) under the same lock as fold(), stored
  /// synced and appended to the JSONL log. Returns the alert as now stored. Errors:
  /// alerts.unknown, triage.refused (nothing changed), store errors. Any thread; one fsync.
  Result<Alert> triage(const std::string& alert_id, const TriageRequest& request);

  /// Appends to the JSONL log every stored alert whose line could not be written when it
  /// was raised (jsonl_backlog.h); start() does it once, app/ calls it every minute.
  /// Failures are logged. Any thread; cost O(alerts missing from the log).
  void catch_up_jsonl();

  /// Called with each alert as stored, on the thread that stored it: raised (internal ones
  /// included), folded or worked. For the live page and the per-rule metrics. Set before
  /// start(); must not block.
  void on_stored(std::function<void(const Alert&, StoredChange)> observer);

  /// Each destination started (recipient group, webhook, SIEM) and how its delivery goes,
  /// for /metrics. Any thread; empty before start().
  struct DestinationStatus {
    std::string name, kind;
    std::uint64_t delivered = 0, failed = 0, pending = 0;
  };
  std::vector<DestinationStatus> destinations() const;

  /// Drains: tries pending deliveries once more for at most drain_timeout, then joins.
  /// Undelivered entries stay in the outbox for the next start(). Idempotent.
  void stop();

 private:
  struct Delivery;  // routing, destinations and the JSONL log (pipeline.cpp)
  /// The internal alert that says `limit` (a route's or rule's rate limit) was reached by
  /// `alert`'s rule, raised (synced) at once.
  void raise_flood_alert(std::string_view limit, const Alert& alert);
  std::unique_ptr<Delivery> delivery_;
};

}  // namespace probity::alerts
