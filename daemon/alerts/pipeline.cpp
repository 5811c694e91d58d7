// AlertPipeline: the order that makes alerts durable (store, then JSONL, then outbox
// delivery) and the delivery thread that empties the outbox. Not for message text
// (email_message.cpp) or transports (*_sink.cpp).
#include <curl/curl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "alerts/alerts.h"
#include "alerts/email_message.h"
#include "alerts/identity_mask.h"
#include "alerts/jsonl_backlog.h"
#include "alerts/mail_throttle.h"
#include "alerts/outbox.h"
#include "alerts/sinks.h"

namespace probity::alerts {

namespace {
using Clock = std::chrono::steady_clock;
constexpr auto kFailureLogInterval = std::chrono::seconds(60);
// The schedule entry standing for "send the digest"; no alert id starts with a control byte.
const std::string kDigestEntry = "\x01digest";
constexpr std::size_t kDigestMaxAlerts = 500;  // per message; the rest go in the next one
constexpr std::string_view kFloodRule = "probity-mail-flood-limit";

// Probity's own alerts (a failed reload, the flood limit itself) are never held back.

// "2026-11-24T20:00:00.123456Z" → "20261124T200000.123456Z": sorts by time as text.
std::string compact_time(event::Timestamp t) {
  std::string s = event::format_time(t);
  std::erase_if(s, [](char c) { return c == '-' || c == ':'; });
  return s;
}
}  // namespace

struct AlertPipeline::Delivery {
  Delivery(state::Store& s, AlertConfig c, AlertCounters& k)
      : store(s),
        config(std::move(c)),
        counters(k),
        outbox(s),
        schedule(config.retry_initial, config.retry_max),
        throttle(config.email.max_per_rule_per_hour, config.email.max_per_hour) {}

  enum class Outcome { delivered, failed, dropped };

  std::string next_id(event::Timestamp raised_at);
  void run();
  Outcome attempt(const std::string& alert_id, std::string& error);
  Outcome send_digest(std::string& error);
  /// Under `mutex`: the digest goes out once the interval has passed (or now, at start).
  void schedule_digest(Clock::time_point due) { schedule.add(kDigestEntry, 0, due); }
  void log_failure(const std::string& alert_id, std::uint32_t attempts, const std::string& why);
  bool mail_enabled() const { return config.email.enabled; }
  /// The JSONL line for a stored alert: the stored JSON, or only its shown view.
  std::string jsonl_line(const Alert& alert, const std::string& stored_json) const {
    if (!config.jsonl_shown_only) return stored_json;
    Alert shown = as_shown(alert);
    shown.shown.reset();
    return to_json(shown);
  }

  state::Store& store;
  AlertConfig config;
  AlertCounters& counters;
  AlertOutbox outbox;
  std::unique_ptr<JsonlSink> jsonl;
  std::unique_ptr<JsonlBacklog> jsonl_backlog;  // set with jsonl
  std::unique_ptr<MailSink> mail;
  MailContext mail_context;  // start() loads the zone

  /// Read, change and store one alert under rewrite_mutex; appends it to the JSONL log.
  Result<Alert> rewrite(const std::string& alert_id, StoredChange kind,
                        const std::function<Result<void>(Alert&)>& change);
  std::mutex rewrite_mutex;
  std::function<void(const Alert&, StoredChange)> observer;  // on_stored()

  std::mutex id_mutex;  // guards the two below
  std::string last_id_time;
  std::uint32_t id_counter = 0;

  std::mutex mutex;  // guards everything below
  std::condition_variable wake;
  RetrySchedule schedule;
  MailThrottle throttle;
  bool flooding = false;     // between the first held alert and the digest that empties the hold
  bool digest_more = false;  // the last digest left alerts for another one, due at once
  bool started = false;
  bool stopping = false;
  std::thread thread;

  // Rate-limited failure logging: the delivery thread only.
  Clock::time_point last_failure_log{};
  std::uint64_t unlogged_failures = 0;
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

Result<void> AlertPipeline::start() {
  Delivery& d = *delivery_;
  {
    std::lock_guard lock(d.mutex);
    if (d.started) return {};
  }
  // curl_global_init is not thread-safe against other curl users; do it once, early.
  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  catch_up_jsonl();  // lines a previous run could not write
  auto zone = rules::TimeZone::load(d.config.time_zone, d.config.zoneinfo_dir);
  if (!zone) return fail("alerts.config", "alert email time zone: " + zone.error().message);
  d.mail_context = {d.config.link_base, std::move(*zone)};
  const EmailConfig& email = d.config.email;
  if (d.mail_enabled()) {
    if (email.smtp_url.empty()) {
      if (email.mailbox_path.empty())
        return fail("alerts.config", "email has neither an SMTP URL nor a mailbox path");
      d.mail = std::make_unique<MailboxSink>(email);
    } else {
      if (email.to.empty()) return fail("alerts.config", "email.to is empty");
      if (email.from.empty()) return fail("alerts.config", "email.from is empty");
      std::string password;
      if (!email.password_file.empty()) {
        auto p = read_password_file(email.password_file);
        if (!p) return tl::unexpected(p.error());
        password = std::move(*p);
      }
      d.mail = std::make_unique<SmtpSink>(email, std::move(password));
    }
  }

  auto left = d.outbox.load();
  if (!left) return tl::unexpected(left.error());
  std::lock_guard lock(d.mutex);
  const auto now = Clock::now();
  for (const auto& e : *left) d.schedule.add(e.alert_id, e.attempts, now);
  auto held = d.outbox.load_digest(1);
  if (!held) return tl::unexpected(held.error());
  if (!held->empty()) d.schedule_digest(now);
  d.counters.pending = d.schedule.size();
  if (!left->empty())
    spdlog::info("alerts: {} alert email(s) left in the outbox by a previous run, re-queued",
                 left->size());
  if (d.mail) {
    d.thread = std::thread([&d] { d.run(); });
    spdlog::info("alerts: delivering email via {}", d.mail->name());
  } else if (!d.schedule.empty()) {
    spdlog::warn("alerts: email is disabled; {} outbox entries stay queued", d.schedule.size());
  }
  d.started = true;
  return {};
}

std::string AlertPipeline::Delivery::next_id(event::Timestamp raised_at) {
  std::lock_guard lock(id_mutex);
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
  return t + counter;
}

std::optional<std::string> AlertPipeline::raised_for(std::string_view origin) const {
  if (origin.empty()) return std::nullopt;
  auto id = delivery_->store.get(state::RuntimeTable::alert_origins, std::string(origin));
  if (!id || !*id) return std::nullopt;
  return std::move(**id);
}

Result<std::string> AlertPipeline::raise(Alert alert) {
  Delivery& d = *delivery_;
  if (alert.raised_at == event::Timestamp{})
    alert.raised_at =
        std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  if (alert.id.empty()) {
    // A previous run may have used the same instant (clock stepped back across a restart):
    // one point read per alert rules that out.
    for (int tries = 0; tries < 1000; ++tries) {
      alert.id = d.next_id(alert.raised_at);
      auto existing = d.store.get(state::RuntimeTable::alerts, alert.id);
      if (!existing || !*existing) break;
    }
  }
  const std::string json = to_json(alert);

  bool own_mail = true, flood_starts = false;
  if (d.mail_enabled() && !is_internal(alert)) {
    std::lock_guard lock(d.mutex);
    own_mail = d.throttle.admit(alert.rule_id, Clock::now());
    flood_starts = !own_mail && !d.flooding;
    if (!own_mail) d.flooding = true;
  }
  std::vector<state::RuntimeWrite> writes;
  writes.push_back({state::RuntimeTable::alerts, alert.id, json});
  if (!alert.origin.empty())
    writes.push_back({state::RuntimeTable::alert_origins, alert.origin, alert.id});
  if (d.mail_enabled())
    writes.push_back(own_mail ? AlertOutbox::enqueue_write(alert.id, alert.raised_at)
                              : AlertOutbox::enqueue_digest_write(alert.id, alert.raised_at));
  if (d.jsonl_backlog) writes.push_back(JsonlBacklog::mark_write(alert.id));
  if (auto r = d.store.write_batch(writes, /*sync=*/true); !r) {
    d.counters.store_failures++;
    spdlog::error("alerts: cannot store alert {} ({}): {}", alert.id, alert.rule_id,
                  describe(r.error()));
    return tl::unexpected(r.error());
  }
  d.counters.stored++;
  if (d.observer) d.observer(alert, StoredChange::raised);

  if (d.jsonl_backlog) {
    if (auto r = d.jsonl_backlog->append(alert.id, d.jsonl_line(alert, json)); !r) {
      d.counters.jsonl_failures++;
      spdlog::warn("alerts: alert {} stored but not logged to JSONL yet (catch-up retries it): {}",
                   alert.id, describe(r.error()));
    }
  }

  if (d.mail_enabled()) {
    std::lock_guard lock(d.mutex);
    if (own_mail) {
      d.schedule.add(alert.id, 0, Clock::now());
    } else {
      d.counters.mail_held++;
      d.schedule_digest(Clock::now() + d.config.email.digest_interval);
    }
    d.counters.pending = d.schedule.size();
  }
  d.wake.notify_one();
  if (flood_starts) {
    spdlog::warn(
        "alerts: mail flood limit reached ({} per rule, {} in all per hour); further "
        "alerts are stored and mailed in a digest every {} s",
        d.config.email.max_per_rule_per_hour, d.config.email.max_per_hour,
        d.config.email.digest_interval.count());
    Alert flood;
    flood.rule_id = std::string(kFloodRule);
    flood.title = "Alert mail is past the flood limit";
    flood.severity = "high";
    flood.message = fmt::format(
        "More alerts were raised than the mail flood limit allows (rule {} reached it). Every "
        "alert is stored; those past the limit are mailed together in a digest every {} "
        "minutes until the flood ends. A flood may be an attack meant to bury one alert.",
        alert.rule_id, d.config.email.digest_interval.count() / 60);
    flood.event_time = alert.event_time;
    flood.shown = unmasked(flood);
    if (auto r = raise(std::move(flood)); !r)
      spdlog::error("alerts: the flood-limit alert could not be stored: {}", r.error().message);
  }
  return alert.id;
}

Result<Alert> AlertPipeline::Delivery::rewrite(const std::string& alert_id, StoredChange kind,
                                               const std::function<Result<void>(Alert&)>& change) {
  // The evaluation thread folds repeats while people work alerts on the HTTP thread: one
  // read-modify-write at a time, or one of two changes to the same alert would be lost.
  std::lock_guard lock(rewrite_mutex);
  auto alert = stored_alert(store, alert_id);
  if (!alert) return tl::unexpected(alert.error());
  if (auto ok = change(*alert); !ok) return tl::unexpected(ok.error());
  const std::string json = to_json(*alert);
  if (auto r = store.put(state::RuntimeTable::alerts, alert_id, json, /*sync=*/true); !r)
    return tl::unexpected(r.error());
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

Result<void> AlertPipeline::fold(const std::string& alert_id, event::Timestamp seen) {
  auto folded =
      delivery_->rewrite(alert_id, StoredChange::folded, [&](Alert& alert) -> Result<void> {
        alert.count += 1;
        if (seen > alert.last_seen) alert.last_seen = seen;
        return {};
      });
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

AlertPipeline::Delivery::Outcome AlertPipeline::Delivery::attempt(const std::string& alert_id,
                                                                  std::string& error) {
  if (alert_id == kDigestEntry) return send_digest(error);
  auto stored = store.get(state::RuntimeTable::alerts, alert_id);
  if (!stored) {
    error = "cannot read alert: " + describe(stored.error());
    return Outcome::failed;
  }
  if (!*stored) {
    // Only a hand-edited database gets here; nothing can ever be sent for it.
    spdlog::error("alerts: outbox entry for unknown alert {}; dropping the entry", alert_id);
    (void)outbox.remove(alert_id);
    return Outcome::dropped;
  }
  auto alert = alert_from_json(**stored);
  if (!alert) {
    spdlog::error("alerts: stored alert {} is unreadable ({}); dropping its outbox entry", alert_id,
                  describe(alert.error()));
    (void)outbox.remove(alert_id);
    return Outcome::dropped;
  }
  // Probity's own alerts go to the administrators (email.admins_to), the rest to the PSD.
  EmailConfig addressed = config.email;
  addressed.to = config.email.recipients_of(is_internal(*alert));
  if (auto r = mail->deliver(compose_email(*alert, addressed, mail_context), addressed.to); !r) {
    error = describe(r.error());
    return Outcome::failed;
  }
  if (auto r = outbox.remove(alert_id); !r) {
    // Delivered but still queued on disk: the next start() sends it again. Say so.
    spdlog::error("alerts: alert {} delivered but its outbox entry could not be erased: {}",
                  alert_id, describe(r.error()));
  }
  return Outcome::delivered;
}

AlertPipeline::Delivery::Outcome AlertPipeline::Delivery::send_digest(std::string& error) {
  auto ids = outbox.load_digest(kDigestMaxAlerts);
  if (!ids) {
    error = "cannot read the digest queue: " + describe(ids.error());
    return Outcome::failed;
  }
  std::vector<Alert> alerts;
  for (const auto& id : *ids) {
    auto stored = store.get(state::RuntimeTable::alerts, id);
    if (!stored) {
      error = "cannot read alert " + id + ": " + describe(stored.error());
      return Outcome::failed;
    }
    // A purged or unreadable alert is left out; its entry goes with the others.
    if (*stored)
      if (auto a = alert_from_json(**stored)) alerts.push_back(std::move(*a));
  }
  if (!alerts.empty()) {
    const auto now =
        std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    const std::string digest_id = "digest." + compact_time(now);
    if (auto r = mail->deliver(compose_digest(alerts, digest_id, now, config.email, mail_context),
                               config.email.to);
        !r) {
      error = describe(r.error());
      return Outcome::failed;
    }
    counters.digests_sent++;
  }
  if (auto r = outbox.remove_digest(*ids); !r)
    spdlog::error("alerts: digest delivered but its queue could not be emptied: {}",
                  describe(r.error()));
  std::lock_guard lock(mutex);
  digest_more = ids->size() == kDigestMaxAlerts;  // more held than one message lists
  if (!digest_more) flooding = false;
  return Outcome::delivered;
}

void AlertPipeline::Delivery::log_failure(const std::string& alert_id, std::uint32_t attempts,
                                          const std::string& why) {
  const auto now = Clock::now();
  if (last_failure_log != Clock::time_point{} && now - last_failure_log < kFailureLogInterval) {
    ++unlogged_failures;
    return;
  }
  spdlog::warn(
      "alerts: email for alert {} not delivered (attempt {}, {} more failure(s) since "
      "the last report, {} pending): {}",
      alert_id, attempts, unlogged_failures, counters.pending.load(), why);
  last_failure_log = now;
  unlogged_failures = 0;
}

void AlertPipeline::Delivery::run() {
  std::unique_lock lock(mutex);
  // Sending takes seconds: the lock is released meanwhile, so enqueue never waits on SMTP.
  const auto attempt_unlocked = [&](const std::string& id, std::string& error) {
    lock.unlock();
    const Outcome outcome = attempt(id, error);
    lock.lock();
    if (outcome == Outcome::failed) counters.send_failures++;
    return outcome;
  };
  while (!stopping) {
    const auto picked = schedule.pick(Clock::now());
    if (!picked) {
      if (const auto when = schedule.next_wake())
        wake.wait_until(lock, *when);
      else
        wake.wait(lock);
      continue;
    }
    std::string id = *picked;  // a copy: the schedule changes once the lock is released
    std::string error;
    const Outcome outcome = attempt_unlocked(id, error);
    if (outcome == Outcome::failed) {
      const auto attempts = schedule.failed(id, Clock::now());
      lock.unlock();
      (void)outbox.record_failure(id, attempts, error);
      log_failure(id, attempts, error);
      lock.lock();
    } else {
      if (outcome == Outcome::delivered) {
        counters.sent++;
        if (unlogged_failures > 0 || last_failure_log != Clock::time_point{}) {
          spdlog::info("alerts: email delivery recovered; alert {} sent", id);
          last_failure_log = {};
          unlogged_failures = 0;
        }
        schedule.succeeded(id);
        if (id == kDigestEntry && digest_more) schedule_digest(Clock::now());
      } else {
        schedule.drop(id);
      }
    }
    counters.pending = schedule.size();
  }

  // Drain: one more try for each pending entry, oldest first, within drain_timeout. The
  // first failure ends it: the relay is down and the outbox keeps the rest for next start.
  const auto deadline = Clock::now() + config.drain_timeout;
  for (const auto& id : schedule.ids()) {
    if (Clock::now() >= deadline) break;
    std::string error;
    const Outcome outcome = attempt_unlocked(id, error);
    if (outcome == Outcome::failed) {
      spdlog::warn("alerts: stopping with {} alert email(s) still in the outbox: {}",
                   schedule.size(), error);
      break;
    }
    if (outcome == Outcome::delivered) counters.sent++;
    schedule.drop(id);
    counters.pending = schedule.size();
  }
}

void AlertPipeline::stop() {
  Delivery& d = *delivery_;
  {
    std::lock_guard lock(d.mutex);
    if (!d.started || d.stopping) return;
    d.stopping = true;
  }
  d.wake.notify_all();
  if (d.thread.joinable()) d.thread.join();
}

}  // namespace probity::alerts
