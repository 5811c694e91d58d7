// AlertPipeline: the order that makes alerts durable (the alert and its outbox rows in one
// batch, then JSONL, then the destinations' threads), routing, and the destinations made
// from the config. Not for delivery itself (destination.cpp), message text
// (email_message.cpp) or transports (*_channel.cpp, *_sink.cpp).
#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "alerts/alerts.h"
#include "alerts/destination.h"
#include "alerts/email_channel.h"
#include "alerts/identity_mask.h"
#include "alerts/jsonl_backlog.h"
#include "alerts/outbox.h"
#include "alerts/routing.h"
#include "alerts/shown_json.h"
#include "alerts/siem_channel.h"
#include "alerts/sinks.h"
#include "alerts/webhook_channel.h"

namespace probity::alerts {

namespace {
using Clock = std::chrono::steady_clock;
constexpr std::string_view kFloodRule = "probity-mail-flood-limit";

// "2026-11-24T20:00:00.123456Z" → "20261124T200000.123456Z": sorts by time as text.
std::string compact_time(event::Timestamp t) {
  std::string s = event::format_time(t);
  std::erase_if(s, [](char c) { return c == '-' || c == ':'; });
  return s;
}

// "10 minutes", "1 hour", "45 seconds": the largest unit that divides the period.
std::string spoken(std::chrono::seconds period) {
  const auto n = period.count();
  const auto say = [](long long count, const char* unit) {
    return std::to_string(count) + " " + unit + (count == 1 ? "" : "s");
  };
  if (n > 0 && n % 3600 == 0) return say(n / 3600, "hour");
  if (n > 0 && n % 60 == 0) return say(n / 60, "minute");
  return say(n, "second");
}

// The recipient groups: those configured, and "psd" and "admins" from email.to and
// email.admins_to unless configured.
std::vector<std::pair<std::string, std::string>> recipient_groups(const AlertConfig& config) {
  auto groups = config.recipients;
  const auto has = [&groups](std::string_view name) {
    return std::any_of(groups.begin(), groups.end(),
                       [&](const auto& g) { return g.first == name; });
  };
  if (!has("psd")) groups.emplace_back("psd", config.email.to);
  if (!has("admins")) groups.emplace_back("admins", config.email.recipients_of(true));
  return groups;
}
}  // namespace

struct AlertPipeline::Delivery {
  Delivery(state::Store& s, AlertConfig c, AlertCounters& k)
      : store(s),
        config(std::move(c)),
        counters(k),
        router(effective_routes(config.routes, config.email), config.email.digest_interval) {}

  std::string next_id(event::Timestamp raised_at);
  /// The JSONL line for a stored alert: the stored JSON, or only its shown view.
  std::string jsonl_line(const Alert& alert, const std::string& stored_json) const {
    return config.jsonl_shown_only ? shown_json(alert) : stored_json;
  }
  /// The destinations a channel can be made for: recipient groups while email is on,
  /// webhooks, SIEM collectors.
  bool available(const std::string& name) const { return available_names.contains(name); }
  Result<void> make_destinations();
  Result<void> reroute_strays();
  /// The outbox rows for a routing decision, and what to tell destinations once stored.
  struct Placed {
    std::vector<state::RuntimeWrite> writes;
    std::vector<std::pair<std::string, std::optional<Clock::time_point>>> notify;
  };
  Placed place(const Alert& alert, const Router::Decision& decision, Clock::time_point now) const;

  state::Store& store;
  AlertConfig config;
  AlertCounters& counters;
  std::vector<std::pair<std::string, std::string>> groups = recipient_groups(config);
  std::set<std::string> available_names = [this] {
    std::set<std::string> names;
    if (config.email.enabled)
      for (const auto& [group, addresses] : groups) names.insert(group);
    for (const auto& w : config.webhooks) names.insert(w.name);
    for (const auto& c : config.siems) names.insert(c.name);
    return names;
  }();
  std::unique_ptr<JsonlSink> jsonl;
  std::unique_ptr<JsonlBacklog> jsonl_backlog;  // set with jsonl

  /// Read, change and store one alert under rewrite_mutex; appends it to the JSONL log.
  /// `also` goes into the same synced batch as the alert.
  Result<Alert> rewrite(const std::string& alert_id, StoredChange kind,
                        const std::function<Result<void>(Alert&)>& change,
                        std::vector<state::RuntimeWrite> also = {});
  std::mutex rewrite_mutex;
  /// Held by commit() from taking what is staged to handing it to delivery, and by
  /// rewrite(): commits end in the order they began (JSONL lines in raise order), and a
  /// change never reads the store while the alert it changes is being written.
  std::mutex commit_mutex;
  /// Tells destinations of an alert stored (queue it, or hold it for a digest). With
  /// `holds`, a hold is only noted there (destination → earliest digest due) for the caller
  /// to pass on once for many alerts: a storm's alerts wake each destination once a commit.
  using Holds = std::map<std::string, Clock::time_point, std::less<>>;
  void notify(const std::string& alert_id, const Placed& placed, Holds* holds = nullptr);
  void hold(const Holds& holds);
  // Raises and folds with Sync::at_commit wait for commit() staged: each alert, prepared (its
  // JSON, routing and writes) by the commit, off the raising thread; the writes of those
  // prepared early by write_staged(); each repeat to fold; the origins they answer
  // raised_for() with until written (then `writing_origins` while a commit writes them).
  // uncommitted_writes counts write_staged()'s unsynced writes. All under uncommitted_mutex.
  struct Staged {
    explicit Staged(Alert raised) : alert(std::move(raised)) {}
    Alert alert;
    bool prepared = false;  // the rest is set by prepare()
    std::string json;
    Placed placed;
    std::optional<std::string> flood_started;  // the rate limit this alert reached first
  };
  /// Renders the staged alert's JSON and routes it; its writes (the alert, its origin, its
  /// outbox rows) are appended to `writes`.
  void prepare(Staged& staged, std::vector<state::RuntimeWrite>& writes);
  std::mutex uncommitted_mutex;
  std::vector<state::RuntimeWrite> staged_writes;
  std::unordered_map<std::string, std::string> staged_origins, writing_origins;
  std::vector<Staged> staged;
  struct StagedFold {
    std::string alert_id;
    event::Timestamp seen;
    std::string origin;
  };
  std::vector<StagedFold> staged_folds;
  /// Applies `folds` to the alerts they repeat: in `batch` when not yet prepared, else read
  /// from the store and returned, changed. The origins' writes go to `writes`. A repeat of
  /// an alert the store does not hold (its own commit failed) is counted and logged.
  std::vector<Alert> apply_folds(const std::vector<StagedFold>& folds, std::vector<Staged>& batch,
                                 std::vector<state::RuntimeWrite>& writes);
  std::size_t staged_in_store = 0;     // the first of `staged` whose writes write_staged() made
  std::uint64_t staged_catch_ups = 0;  // JsonlBacklog::catch_ups() when the first was staged
  std::size_t uncommitted_writes = 0;
  /// Prepares and writes the staged alerts (unsynced) so readers of the store see them; they
  /// stay staged for commit(). Under commit_mutex and uncommitted_mutex.
  Result<void> write_staged();
  /// Appends the JSONL lines (alert id, line) of stored alerts; a failure is counted and
  /// logged, and catch_up_jsonl() writes them later. `catch_ups_before`: see
  /// JsonlBacklog::append.
  void append_jsonl(const std::vector<std::pair<std::string, std::string>>& lines,
                    std::optional<std::uint64_t> catch_ups_before = std::nullopt);
  std::function<void(const Alert&, StoredChange)> observer;  // on_stored()

  std::mutex id_mutex;  // guards the four below
  std::string last_id_time;
  std::uint32_t id_counter = 0;
  // The newest stored id, read once, carries ids on past a previous run's even when the
  // clock stepped back; if it cannot be read, each new id is looked up instead.
  bool ids_seeded = false, ids_probed = false;
  void seed_ids();

  std::mutex router_mutex;  // guards router (its rate-limit buckets)
  Router router;

  // start() and stop() hold it exclusively; raise() shares it to tell destinations, so a
  // row stored while start() loads them is either loaded or told, never missed.
  mutable std::shared_mutex lifecycle;
  std::map<std::string, std::unique_ptr<Destination>, std::less<>> destinations;
  bool started = false;
  bool stopped = false;
};

AlertPipeline::AlertPipeline(state::Store& store, AlertConfig config, AlertCounters& counters)
    : delivery_(std::make_unique<Delivery>(store, std::move(config), counters)) {
  Delivery& d = *delivery_;
  if (!d.config.jsonl_path.empty()) {
    d.jsonl = std::make_unique<JsonlSink>(d.config.jsonl_path);
    d.jsonl_backlog = std::make_unique<JsonlBacklog>(
        d.store, *d.jsonl,
        [&d](const Alert& alert, const std::string& json) { return d.jsonl_line(alert, json); });
  }
}

void AlertPipeline::catch_up_jsonl() {
  Delivery& d = *delivery_;
  if (!d.jsonl_backlog) return;
  auto written = d.jsonl_backlog->catch_up();
  if (!written) {
    spdlog::warn("alerts: the JSONL log is still missing stored alerts: {}",
                 describe(written.error()));
  } else if (*written > 0) {
    spdlog::info("alerts: {} stored alert(s) missing from the JSONL log appended to it now",
                 *written);
  }
}

AlertPipeline::~AlertPipeline() { stop(); }

void AlertPipeline::on_stored(std::function<void(const Alert&, StoredChange)> observer) {
  delivery_->observer = std::move(observer);
}

Result<void> AlertPipeline::Delivery::make_destinations() {
  auto zone = rules::TimeZone::load(config.time_zone, config.zoneinfo_dir);
  if (!zone) return fail("alerts.config", "alert email time zone: " + zone.error().message);
  const MailContext context{config.link_base, std::move(*zone)};
  const EmailConfig& email = config.email;
  if (email.enabled) {
    std::shared_ptr<MailSink> transport;
    if (email.smtp_url.empty()) {
      if (email.mailbox_path.empty())
        return fail("alerts.config", "email has neither an SMTP URL nor a mailbox path");
      transport = std::make_shared<MailboxSink>(email);
    } else {
      if (email.from.empty()) return fail("alerts.config", "email.from is empty");
      std::string password;
      if (!email.password_file.empty()) {
        auto p = read_password_file(email.password_file);
        if (!p) return tl::unexpected(p.error());
        password = std::move(*p);
      }
      transport = std::make_shared<SmtpSink>(email, std::move(password));
    }
    for (const auto& [group, addresses] : groups) {
      if (!email.smtp_url.empty() && addresses.empty())
        return fail("alerts.config", "recipient group " + group + " has no address" +
                                         (group == "psd" ? " (email.to is empty)" : ""));
      destinations.emplace(
          group,
          std::make_unique<Destination>(
              group, std::make_unique<EmailChannel>(group, addresses, email, transport, context),
              store, config, counters));
    }
    spdlog::info("alerts: email via {} to {} recipient group(s)", transport->name(), groups.size());
  }
  const auto add = [this](const std::string& name, auto channel) -> Result<void> {
    if (!channel) return tl::unexpected(channel.error());
    destinations.emplace(
        name, std::make_unique<Destination>(name, std::move(*channel), store, config, counters));
    return {};
  };
  for (const auto& w : config.webhooks)
    if (auto r = add(w.name, WebhookChannel::create(w)); !r) return r;
  for (const auto& c : config.siems)
    if (auto r = add(c.name, SiemChannel::create(c)); !r) return r;
  return {};
}

Result<void> AlertPipeline::Delivery::reroute_strays() {
  std::set<std::string> names;
  for (const auto& [group, addresses] : groups) names.insert(group);
  for (const auto& w : config.webhooks) names.insert(w.name);
  for (const auto& c : config.siems) names.insert(c.name);
  auto strays = AlertOutbox(store).load_strays(names);
  if (!strays) return tl::unexpected(strays.error());
  std::size_t rerouted = 0;
  for (const auto& stray : *strays) {
    auto alert = stored_alert(store, stray.alert_id);
    std::vector<state::RuntimeWrite> writes;
    if (alert) {
      std::lock_guard lock(router_mutex);
      writes = place(*alert, router.route(*alert, Clock::now()), Clock::now()).writes;
      if (writes.empty()) continue;  // no destination of its routes is on: left as it is
    } else if (alert.error().code != "alerts.unknown") {
      return tl::unexpected(alert.error());
    }
    writes.push_back({state::RuntimeTable::outbox, stray.key, std::nullopt});
    if (auto r = store.write_batch(writes, /*sync=*/true); !r) return r;
    ++rerouted;
  }
  if (rerouted > 0)
    spdlog::info(
        "alerts: {} outbox row(s) of a destination no longer configured (or from before "
        "routes) routed again by alerts.routes",
        rerouted);
  return {};
}

Result<void> AlertPipeline::start() {
  Delivery& d = *delivery_;
  std::unique_lock lifecycle(d.lifecycle);
  if (d.started || d.stopped) return {};
  // curl_global_init is not thread-safe against other curl users; do it once, early.
  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  catch_up_jsonl();  // lines a previous run could not write
  if (auto r = d.make_destinations(); !r) {
    d.destinations.clear();
    return r;
  }
  if (auto r = d.reroute_strays(); !r) return r;
  for (auto& [name, destination] : d.destinations)
    if (auto r = destination->start(); !r) return r;
  d.started = true;
  return {};
}

void AlertPipeline::Delivery::seed_ids() {
  ids_seeded = true;
  std::string newest;
  auto scanned = store.scan_backwards(state::RuntimeTable::alerts, "", [&](auto key, auto) {
    newest = key;
    return false;
  });
  if (!scanned) {
    ids_probed = true;
    return;
  }
  if (newest.empty()) return;  // no alert yet
  const auto dash = newest.rfind('-');
  unsigned counter = 0;
  if (dash == std::string::npos || std::sscanf(newest.c_str() + dash + 1, "%u", &counter) != 1) {
    ids_probed = true;  // not an id next_id() made
    return;
  }
  last_id_time = newest.substr(0, dash);
  id_counter = counter;
}

std::string AlertPipeline::Delivery::next_id(event::Timestamp raised_at) {
  std::lock_guard lock(id_mutex);
  if (!ids_seeded) seed_ids();
  for (int tries = 0;; ++tries) {
    std::string t = compact_time(raised_at);
    // Monotonic within a run even if the wall clock steps back, so ids sort in raise order.
    if (t <= last_id_time) {
      t = last_id_time;
      ++id_counter;
    } else {
      last_id_time = t;
      id_counter = 0;
    }
    char counter[16];
    std::snprintf(counter, sizeof counter, "-%06u", id_counter);
    std::string id = t + counter;
    if (!ids_probed || tries >= 1000) return id;
    auto existing = store.get(state::RuntimeTable::alerts, id);
    if (!existing || !*existing) return id;
  }
}

Result<void> AlertPipeline::Delivery::write_staged() {
  for (auto& s : staged)
    if (!s.prepared) prepare(s, staged_writes);
  if (staged_writes.empty()) return {};
  if (auto r = store.write_batch(staged_writes, /*sync=*/false); !r) return r;
  staged_writes.clear();
  staged_in_store = staged.size();
  uncommitted_writes++;
  return {};
}

std::optional<std::string> AlertPipeline::raised_for(std::string_view origin) const {
  if (origin.empty()) return std::nullopt;
  {
    const Delivery& d = *delivery_;
    std::lock_guard lock(delivery_->uncommitted_mutex);
    for (const auto* origins : {&d.staged_origins, &d.writing_origins})
      if (const auto it = origins->find(std::string(origin)); it != origins->end())
        return it->second;
  }
  auto id = delivery_->store.get(state::RuntimeTable::alert_origins, std::string(origin));
  if (!id || !*id) return std::nullopt;
  return std::move(**id);
}

AlertPipeline::Delivery::Placed AlertPipeline::Delivery::place(const Alert& alert,
                                                               const Router::Decision& decision,
                                                               Clock::time_point now) const {
  Placed placed;
  const auto wall = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  for (const auto& target : decision.targets) {
    if (!available(target.destination)) continue;
    if (target.held) {
      placed.writes.push_back(AlertOutbox::hold_write(target.destination, alert.id, alert.raised_at,
                                                      wall + target.digest_after));
      placed.notify.emplace_back(target.destination, now + target.digest_after);
    } else {
      placed.writes.push_back(
          AlertOutbox::send_write(target.destination, alert.id, alert.raised_at));
      placed.notify.emplace_back(target.destination, std::nullopt);
    }
  }
  return placed;
}

void AlertPipeline::Delivery::notify(const std::string& alert_id, const Placed& placed,
                                     Holds* holds) {
  std::shared_lock lifecycle_lock(lifecycle);
  for (const auto& [name, due] : placed.notify) {
    if (due) counters.mail_held++;
    if (!started) continue;  // start() loads the rows
    if (due && holds) {
      const auto [at, fresh] = holds->emplace(name, *due);
      if (!fresh) at->second = std::min(at->second, *due);
      continue;
    }
    const auto it = destinations.find(name);
    if (it == destinations.end()) continue;
    if (due)
      it->second->hold(*due);
    else
      it->second->queue(alert_id);
  }
}

void AlertPipeline::Delivery::hold(const Holds& holds) {
  std::shared_lock lifecycle_lock(lifecycle);
  for (const auto& [name, due] : holds)
    if (const auto it = destinations.find(name); it != destinations.end()) it->second->hold(due);
}

std::vector<Alert> AlertPipeline::Delivery::apply_folds(const std::vector<StagedFold>& folds,
                                                        std::vector<Staged>& batch,
                                                        std::vector<state::RuntimeWrite>& writes) {
  std::unordered_map<std::string_view, Alert*> targets;
  for (auto& s : batch)
    if (!s.prepared) targets.emplace(s.alert.id, &s.alert);
  std::vector<Alert> rewritten;
  rewritten.reserve(folds.size());  // no reallocation: `targets` points into it
  std::size_t unknown = 0;
  for (const auto& f : folds) {
    auto target = targets.find(f.alert_id);
    if (target == targets.end()) {
      auto stored = stored_alert(store, f.alert_id);
      if (!stored) {
        ++unknown;
        spdlog::debug("alerts: a repeat of {} is not counted: {}", f.alert_id,
                      stored.error().message);
        continue;
      }
      rewritten.push_back(std::move(*stored));
      target = targets.emplace(rewritten.back().id, &rewritten.back()).first;
    }
    Alert& alert = *target->second;
    alert.count += 1;
    if (f.seen > alert.last_seen) alert.last_seen = f.seen;
    if (!f.origin.empty())
      writes.push_back({state::RuntimeTable::alert_origins, f.origin, f.alert_id});
  }
  if (unknown > 0) {
    counters.store_failures += unknown;
    spdlog::error("alerts: {} repeat(s) not counted: the alert they repeat could not be read",
                  unknown);
  }
  return rewritten;
}

void AlertPipeline::commit() {
  Delivery& d = *delivery_;
  std::lock_guard committing(d.commit_mutex);
  std::vector<Delivery::Staged> batch;
  std::vector<Delivery::StagedFold> folds;
  std::vector<state::RuntimeWrite> writes;
  std::size_t in_store = 0, unsynced = 0;
  std::uint64_t catch_ups_before = 0;
  {
    std::lock_guard lock(d.uncommitted_mutex);
    if (d.staged.empty() && d.staged_folds.empty() && d.uncommitted_writes == 0) return;
    batch.swap(d.staged);
    folds.swap(d.staged_folds);
    writes.swap(d.staged_writes);
    in_store = std::exchange(d.staged_in_store, 0);
    unsynced = std::exchange(d.uncommitted_writes, 0);
    catch_ups_before = d.staged_catch_ups;
    d.writing_origins.swap(d.staged_origins);
  }
  // Outside the lock: the raising thread stages the next alerts while these are written.
  std::vector<Alert> folded = d.apply_folds(folds, batch, writes);
  std::vector<std::string> folded_json;
  for (const auto& alert : folded) {
    folded_json.push_back(to_json(alert));
    writes.push_back({state::RuntimeTable::alerts, alert.id, folded_json.back()});
  }
  for (auto& s : batch)
    if (!s.prepared) d.prepare(s, writes);
  auto written = writes.empty() ? d.store.sync_wal() : d.store.write_batch(writes, /*sync=*/true);
  {
    std::lock_guard lock(d.uncommitted_mutex);
    d.writing_origins.clear();  // written, or lost
    if (!written) {
      // Those the store holds already (written by write_staged()) are staged again, in
      // front, for the next commit's sync; the rest are lost, as a failed raise() is.
      const std::size_t lost = batch.size() - in_store;
      d.counters.store_failures += std::max<std::size_t>(lost + folds.size(), 1);
      if (lost + folds.size() > 0)
        spdlog::error("alerts: {} alert(s) and {} repeat(s) could not be stored: {}", lost,
                      folds.size(), describe(written.error()));
      else
        spdlog::error("alerts: {} write(s) could not be synced (kept for the next commit): {}",
                      unsynced, describe(written.error()));
      batch.erase(batch.begin() + std::ptrdiff_t(in_store), batch.end());
      if (in_store > 0) d.staged_catch_ups = catch_ups_before;
      d.staged.insert(d.staged.begin(), std::make_move_iterator(batch.begin()),
                      std::make_move_iterator(batch.end()));
      d.staged_in_store += in_store;
      d.uncommitted_writes += unsynced;
      return;
    }
  }
  if (d.jsonl_backlog) {
    std::vector<std::pair<std::string, std::string>> lines;
    lines.reserve(batch.size() + folded.size());
    for (const auto& c : batch) lines.emplace_back(c.alert.id, d.jsonl_line(c.alert, c.json));
    for (std::size_t i = 0; i < folded.size(); ++i)
      lines.emplace_back(folded[i].id, d.jsonl_line(folded[i], folded_json[i]));
    d.append_jsonl(lines, catch_ups_before);
  }
  Delivery::Holds holds;
  for (const auto& c : batch) {
    d.counters.stored++;
    if (d.observer) d.observer(c.alert, StoredChange::raised);
    d.notify(c.alert.id, c.placed, &holds);
  }
  d.hold(holds);
  if (d.observer)
    for (const auto& alert : folded) d.observer(alert, StoredChange::folded);
  for (const auto& c : batch)
    if (c.flood_started) raise_flood_alert(*c.flood_started, c.alert);
}

void AlertPipeline::Delivery::append_jsonl(
    const std::vector<std::pair<std::string, std::string>>& lines,
    std::optional<std::uint64_t> catch_ups_before) {
  if (auto r = jsonl_backlog->append(lines, catch_ups_before); !r) {
    counters.jsonl_failures++;
    spdlog::warn("alerts: {} alert(s) stored but not logged to JSONL yet (catch-up retries): {}",
                 lines.size(), describe(r.error()));
  }
}

void AlertPipeline::Delivery::prepare(Staged& s, std::vector<state::RuntimeWrite>& writes) {
  s.json = to_json(s.alert);
  const auto now = Clock::now();
  Router::Decision decision;
  {
    std::lock_guard lock(router_mutex);
    decision = router.route(s.alert, now);
  }
  s.placed = place(s.alert, decision, now);
  s.flood_started = std::move(decision.flood_started);
  writes.push_back({state::RuntimeTable::alerts, s.alert.id, s.json});
  if (!s.alert.origin.empty())
    writes.push_back({state::RuntimeTable::alert_origins, s.alert.origin, s.alert.id});
  for (auto& w : s.placed.writes) writes.push_back(std::move(w));
  s.placed.writes.clear();
  if (jsonl_backlog) writes.push_back(JsonlBacklog::mark_write(s.alert.id));
  s.prepared = true;
}

Result<std::string> AlertPipeline::raise(Alert alert, Sync sync) {
  Delivery& d = *delivery_;
  if (alert.raised_at == event::Timestamp{})
    alert.raised_at =
        std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  if (alert.id.empty()) alert.id = d.next_id(alert.raised_at);
  std::string id = alert.id;
  if (sync == Sync::at_commit) {
    std::lock_guard lock(d.uncommitted_mutex);
    if (d.staged.empty() && d.jsonl_backlog) d.staged_catch_ups = d.jsonl_backlog->catch_ups();
    if (!alert.origin.empty()) d.staged_origins.emplace(alert.origin, id);
    d.staged.emplace_back(std::move(alert));
    return id;
  }
  Delivery::Staged s(std::move(alert));
  std::vector<state::RuntimeWrite> writes;
  d.prepare(s, writes);
  const auto catch_ups_before =
      d.jsonl_backlog ? std::optional(d.jsonl_backlog->catch_ups()) : std::nullopt;
  if (auto r = d.store.write_batch(writes, /*sync=*/true); !r) {
    d.counters.store_failures++;
    spdlog::error("alerts: cannot store alert {} ({}): {}", id, s.alert.rule_id,
                  describe(r.error()));
    return tl::unexpected(r.error());
  }
  d.counters.stored++;
  if (d.observer) d.observer(s.alert, StoredChange::raised);
  if (d.jsonl_backlog) d.append_jsonl({{id, d.jsonl_line(s.alert, s.json)}}, catch_ups_before);
  d.notify(id, s.placed);
  if (s.flood_started) raise_flood_alert(*s.flood_started, s.alert);
  return id;
}

void AlertPipeline::raise_flood_alert(std::string_view limit, const Alert& alert) {
  spdlog::warn(
      "alerts: {} reached its rate limit with rule {}; its further alerts are stored and "
      "delivered in a digest",
      limit, alert.rule_id);
  Alert flood;
  flood.rule_id = std::string(kFloodRule);
  flood.title = "Alert delivery is past a rate limit";
  flood.severity = "high";
  flood.message = fmt::format(
      "More alerts were raised than the rate limit of {} allows (rule {} reached it). Every "
      "alert is stored and shown on the live page; those past the limit are delivered "
      "together in a digest (every {}) until the flood ends. A flood may be an attack "
      "meant to bury one alert.",
      limit, alert.rule_id, spoken(delivery_->config.email.digest_interval));
  flood.event_time = alert.event_time;
  flood.shown = unmasked(flood);
  if (auto r = raise(std::move(flood)); !r)
    spdlog::error("alerts: the rate-limit alert could not be stored: {}", r.error().message);
}

Result<Alert> AlertPipeline::Delivery::rewrite(const std::string& alert_id, StoredChange kind,
                                               const std::function<Result<void>(Alert&)>& change,
                                               std::vector<state::RuntimeWrite> also) {
  // The evaluation thread folds repeats while people work alerts on the HTTP thread: one
  // read-modify-write at a time, or one of two changes to the same alert would be lost.
  std::lock_guard lock(rewrite_mutex);
  std::lock_guard committing(commit_mutex);
  {
    std::lock_guard staged_lock(uncommitted_mutex);
    if (auto r = write_staged(); !r) return tl::unexpected(r.error());
  }
  auto alert = stored_alert(store, alert_id);
  if (!alert) return tl::unexpected(alert.error());
  if (auto ok = change(*alert); !ok) return tl::unexpected(ok.error());
  const std::string json = to_json(*alert);
  also.push_back({state::RuntimeTable::alerts, alert_id, json});
  if (auto r = store.write_batch(also, /*sync=*/true); !r) return tl::unexpected(r.error());
  if (jsonl) {
    if (auto r = jsonl->append(jsonl_line(*alert, json)); !r) {
      counters.jsonl_failures++;
      jsonl_backlog->mark(alert_id);
      spdlog::warn("alerts: change to {} stored but not logged to JSONL: {}", alert_id,
                   describe(r.error()));
    }
  }
  if (observer) observer(*alert, kind);
  return alert;
}

Result<void> AlertPipeline::fold(const std::string& alert_id, event::Timestamp seen,
                                 std::string_view origin, Sync sync) {
  if (sync == Sync::at_commit) {
    Delivery& d = *delivery_;
    std::lock_guard lock(d.uncommitted_mutex);
    if (!origin.empty()) d.staged_origins.insert_or_assign(std::string(origin), alert_id);
    d.staged_folds.push_back({alert_id, seen, std::string(origin)});
    return {};
  }
  std::vector<state::RuntimeWrite> also;
  if (!origin.empty())
    also.push_back({state::RuntimeTable::alert_origins, std::string(origin), alert_id});
  auto folded = delivery_->rewrite(
      alert_id, StoredChange::folded,
      [&](Alert& alert) -> Result<void> {
        alert.count += 1;
        if (seen > alert.last_seen) alert.last_seen = seen;
        return {};
      },
      std::move(also));
  if (!folded) return tl::unexpected(folded.error());
  return {};
}

Result<Alert> AlertPipeline::triage(const std::string& alert_id, const TriageRequest& request) {
  return delivery_->rewrite(alert_id, StoredChange::worked, [&](Alert& alert) -> Result<void> {
    auto entry = apply_triage(alert, request);
    if (!entry) return tl::unexpected(entry.error());
    return {};
  });
}

std::vector<AlertPipeline::DestinationStatus> AlertPipeline::destinations() const {
  const Delivery& d = *delivery_;
  std::shared_lock lifecycle(d.lifecycle);
  std::vector<DestinationStatus> out;
  for (const auto& [name, destination] : d.destinations) {
    const auto& s = destination->stats();
    out.push_back({name, std::string(destination->kind()), s.delivered, s.failed, s.pending});
  }
  return out;
}

void AlertPipeline::stop() {
  commit();  // deferred raises are delivered before the destinations drain
  Delivery& d = *delivery_;
  std::unique_lock lifecycle(d.lifecycle);
  if (!d.started || d.stopped) return;
  d.stopped = true;
  // Every destination drains at once, so the slowest sets the shutdown time, not their sum.
  const auto deadline = Clock::now() + d.config.drain_timeout;
  for (auto& [name, destination] : d.destinations) destination->request_stop(deadline);
  for (auto& [name, destination] : d.destinations) destination->join();
}

}  // namespace probity::alerts
