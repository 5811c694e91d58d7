#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <map>
#include <thread>

#include "alerts/alerts.h"
#include "alerts/identity_mask.h"
#include "smtp_server.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;
using namespace std::chrono_literals;
using probity::testing::SmtpServer;
using probity::testing::TempDir;

namespace {

Alert new_alert(const std::string& title) {
  Alert a;
  a.rule_id = "pnc-lookup-of-declared-associate";
  a.rule_version = "v1";
  a.title = title;
  a.severity = "high";
  a.message = "pc1234 looked up P-77 on PNC";
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  a.user_id = "pc1234";
  a.fields = {{"subject.id", "P-77"}};
  a.events_json = {R"({"event.kind":"access","user.id":"pc1234","subject.id":"P-77"})"};
  return a;
}

// No mail and no rate limits (so no flood alert among a test's own alerts); JSONL at `jsonl`.
AlertConfig unmailed(const std::filesystem::path& jsonl) {
  AlertConfig c;
  c.email.enabled = false;
  c.email.max_per_rule_per_hour = c.email.max_per_hour = 0;
  c.jsonl_path = jsonl;
  return c;
}

std::unique_ptr<state::Store> open_store(const std::filesystem::path& dir) {
  auto s = state::Store::open({.dir = dir});
  if (!s) ADD_FAILURE() << "cannot open store: " << s.error().message;
  return s ? std::move(*s) : nullptr;
}

std::vector<std::string> outbox_keys(const state::Store& store) {
  std::vector<std::string> keys;
  auto r = store.scan(state::RuntimeTable::outbox, "", [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  });
  EXPECT_TRUE(r);
  return keys;
}

AlertConfig smtp_config(std::uint16_t port) {
  AlertConfig c;
  c.email.from = "probity@force.example";
  c.email.to = "psd@force.example, duty@force.example";
  c.email.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  c.email.connect_timeout = 2s;
  c.email.total_timeout = 5s;
  c.retry_initial = 50ms;
  c.retry_max = 200ms;
  c.drain_timeout = 1s;
  return c;
}

#define REQUIRE_AIOSMTPD()                                            \
  do {                                                                \
    const std::string missing = probity::testing::aiosmtpd_missing(); \
    ASSERT_TRUE(missing.empty()) << missing;                          \
  } while (0)

}  // namespace

TEST(AlertPipeline, RaiseStoresThenLogsJsonlThenDeliversToMailbox) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.jsonl_path = tmp / "log" / "alerts.jsonl";
  c.email.to = "psd@force.example";
  c.email.from = "probity@localhost";
  c.email.mailbox_path = tmp / "mail" / "probity.mbox";
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());

  auto id = pipeline.raise(new_alert("Record look-up of a declared associate"));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_FALSE(id->empty());
  EXPECT_EQ(counters.stored, 1u);

  auto stored = store->get(state::RuntimeTable::alerts, *id);
  ASSERT_TRUE(stored && *stored);
  auto alert = alert_from_json(**stored);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->title, "Record look-up of a declared associate");
  EXPECT_NE(alert->raised_at, event::Timestamp{});

  const std::string jsonl = probity::testing::read_file(c.jsonl_path);
  EXPECT_EQ(jsonl, **stored + "\n");
  struct stat st {};
  ASSERT_EQ(::stat(c.jsonl_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);

  // Sent is counted a moment before the pending gauge drops (the delivery thread's order).
  ASSERT_TRUE(probity::testing::wait_until(
      [&] { return counters.sent == 1 && counters.pending == 0; }, 5s));
  EXPECT_TRUE(outbox_keys(*store).empty());
  const std::string mbox = probity::testing::read_file(c.email.mailbox_path);
  EXPECT_TRUE(mbox.starts_with("From probity@localhost ")) << mbox;
  EXPECT_NE(mbox.find("\nSubject: [Probity][HIGH] Record look-up of a declared associate\n"),
            std::string::npos)
      << mbox;
  EXPECT_NE(mbox.find("\nMessage-ID: <probity." + *id + "@localhost>\n"), std::string::npos);
  EXPECT_EQ(mbox.find('\r'), std::string::npos);
  EXPECT_TRUE(mbox.ends_with("\n\n"));
  pipeline.stop();
}

// Group commit: alerts raised with Sync::at_commit wait for commit(), yet a re-sent event
// finds them (raised_for) and a repeat folds into them; none is counted stored nor mailed
// until commit() has stored and synced them.
TEST(AlertPipeline, DeferredRaisesAreDeliveredOnlyOnceCommitted) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.email.to = "psd@force.example";
  c.email.from = "probity@localhost";
  c.email.mailbox_path = tmp / "mail" / "probity.mbox";
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());

  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto a = new_alert("Deferred " + std::to_string(i));
    a.origin = "origin-" + std::to_string(i);
    auto id = pipeline.raise(a, AlertPipeline::Sync::at_commit);
    ASSERT_TRUE(id) << id.error().message;
    ids.push_back(*id);
  }
  ASSERT_TRUE(pipeline.fold(ids[0], *event::parse_time("2026-11-24T20:10:00Z"), "origin-3",
                            AlertPipeline::Sync::at_commit));
  EXPECT_EQ(pipeline.raised_for("origin-1"), ids[1]);
  EXPECT_EQ(pipeline.raised_for("origin-3"), ids[0]);
  EXPECT_EQ(counters.stored, 0u);
  std::this_thread::sleep_for(200ms);  // a delivery that was queued would have run by now
  EXPECT_EQ(counters.sent, 0u);

  pipeline.commit();
  EXPECT_EQ(counters.stored, 3u);
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.sent == 3; }, 5s));
  pipeline.commit();  // nothing left: no second count
  EXPECT_EQ(counters.stored, 3u);
  pipeline.stop();
}

// Under fd exhaustion the JSONL line failed after the alert was stored, and it never
// appeared: the log is what sites tail and ship, so it must catch up.
TEST(AlertPipeline, AlertsStoredWhileTheJsonlLogFailsAreLoggedByCatchUpAndAtStart) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.jsonl_path = tmp / "alerts.jsonl";
  c.email.enabled = false;
  std::filesystem::create_directories(c.jsonl_path);  // a directory: every append fails
  AlertCounters counters;
  std::string first, second;
  {
    AlertPipeline pipeline(*store, c, counters);
    ASSERT_TRUE(pipeline.start());
    first = pipeline.raise(new_alert("one")).value();
    second = pipeline.raise(new_alert("two")).value();
    EXPECT_EQ(counters.jsonl_failures, 2u);
    pipeline.catch_up_jsonl();  // still failing: the marks stay
    EXPECT_EQ(outbox_keys(*store).size(), 2u);
    std::filesystem::remove(c.jsonl_path);
    pipeline.catch_up_jsonl();
    EXPECT_TRUE(outbox_keys(*store).empty());
  }
  const std::string log = probity::testing::read_file(c.jsonl_path);
  EXPECT_NE(log.find("\"id\":\"" + first + "\""), std::string::npos) << log;
  EXPECT_LT(log.find(first), log.find(second)) << "oldest first";

  // A stored alert whose line is missing when the daemon stops is logged at the next start.
  std::filesystem::remove(c.jsonl_path);
  std::filesystem::create_directories(c.jsonl_path);
  std::string third;
  {
    AlertPipeline pipeline(*store, c, counters);
    ASSERT_TRUE(pipeline.start());
    third = pipeline.raise(new_alert("three")).value();
  }
  std::filesystem::remove(c.jsonl_path);
  AlertPipeline restarted(*store, c, counters);
  ASSERT_TRUE(restarted.start());
  const std::string after = probity::testing::read_file(c.jsonl_path);
  EXPECT_NE(after.find(third), std::string::npos) << after;
  EXPECT_EQ(after.find(first), std::string::npos) << "lines already written are not repeated";
}

TEST(AlertPipeline, IdsAreUniqueAndSortInRaiseOrder) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.email.enabled = false;
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());
  std::vector<std::string> ids;
  const auto same_instant = *event::parse_time("2026-11-24T20:00:00Z");
  for (int i = 0; i < 5; ++i) {
    Alert a = new_alert("t");
    a.raised_at = same_instant;
    ids.push_back(*pipeline.raise(a));
  }
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_LT(ids[i - 1], ids[i]);
  EXPECT_TRUE(outbox_keys(*store).empty());  // email disabled: nothing queued
}

// An alert storm raises thousands a second: each evaluation batch's alerts are stored in
// one write and their JSONL lines appended in one, at commit(), not one by one.
TEST(AlertPipeline, DeferredRaisesAreStoredAndLoggedTogetherAtCommit) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  const AlertConfig c = unmailed(tmp / "alerts.jsonl");
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    auto a = new_alert("Storm " + std::to_string(i));
    a.origin = "storm-" + std::to_string(i);
    ids.push_back(*pipeline.raise(a, AlertPipeline::Sync::at_commit));
  }
  EXPECT_FALSE(*store->get(state::RuntimeTable::alerts, ids.front()));
  EXPECT_FALSE(std::filesystem::exists(c.jsonl_path));
  EXPECT_EQ(pipeline.raised_for("storm-49"), ids.back());

  pipeline.commit();
  EXPECT_EQ(counters.stored, 50u);
  for (const auto& id : ids) EXPECT_TRUE(*store->get(state::RuntimeTable::alerts, id)) << id;
  std::ifstream log(c.jsonl_path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(log, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 50u);
  for (std::size_t i = 0; i < lines.size(); ++i)
    EXPECT_EQ(alert_from_json(lines[i])->id, ids[i]) << "in raise order";
  EXPECT_TRUE(outbox_keys(*store).empty()) << "every line written, so no mark is left";
  EXPECT_EQ(pipeline.raised_for("storm-49"), ids.back());  // now from the store
}

// Ids come from the clock; a restart after the clock stepped back must not reuse one.
TEST(AlertPipeline, IdsCarryOnPastTheNewestStoredAlertAfterARestart) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.email.enabled = false;
  AlertCounters counters;
  std::string before;
  {
    AlertPipeline first(*store, c, counters);
    Alert a = new_alert("t");
    a.raised_at = *event::parse_time("2026-11-24T20:00:00Z");
    before = *first.raise(a);
    before = *first.raise(a);  // the second at the same instant: "-000001"
  }
  AlertPipeline second(*store, c, counters);
  Alert earlier = new_alert("t");
  earlier.raised_at = *event::parse_time("2026-11-24T19:00:00Z");
  const auto id = second.raise(earlier);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_GT(*id, before);
  EXPECT_EQ(id->substr(0, id->rfind('-')), before.substr(0, before.rfind('-')));
}

TEST(AlertPipeline, NothingIsLoggedOrSentWhenTheStoreRefusesTheAlert) {
  TempDir tmp("probity-alerts");
  { ASSERT_TRUE(open_store(tmp / "state")); }
  auto ro = state::Store::open({.dir = tmp / "state", .read_only = true});
  ASSERT_TRUE(ro) << ro.error().message;
  AlertConfig c;
  c.jsonl_path = tmp / "alerts.jsonl";
  c.email.mailbox_path = tmp / "probity.mbox";
  AlertCounters counters;
  AlertPipeline pipeline(**ro, c, counters);
  ASSERT_TRUE(pipeline.start());
  EXPECT_FALSE(pipeline.raise(new_alert("t")));
  EXPECT_EQ(counters.store_failures, 1u);
  EXPECT_EQ(counters.stored, 0u);
  // Deferred raises fail at commit(), all of the batch at once, and are not tried again.
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(pipeline.raise(new_alert("t"), AlertPipeline::Sync::at_commit));
  pipeline.commit();
  EXPECT_EQ(counters.store_failures, 4u);
  pipeline.commit();
  EXPECT_EQ(counters.store_failures, 4u);
  EXPECT_EQ(counters.stored, 0u);
  pipeline.stop();
  EXPECT_FALSE(std::filesystem::exists(c.jsonl_path));
  EXPECT_FALSE(std::filesystem::exists(c.email.mailbox_path));
}

TEST(AlertPipelineSmtp, DeliversWithHeadersAndBodyToARealServer) {
  REQUIRE_AIOSMTPD();
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  SmtpServer server(probity::testing::pick_free_port(), tmp / "smtp");
  ASSERT_TRUE(server.ready()) << server.log();

  AlertCounters counters;
  AlertPipeline pipeline(*store, smtp_config(server.port()), counters);
  ASSERT_TRUE(pipeline.start());
  Alert a = new_alert("Record look-up of a declared associate");
  // Quoted-printable (for the é) wraps the long line right before the '.', so the relay
  // sees a line starting with a dot: it only survives if curl dot-stuffed it.
  a.message = "first line\n" + std::string(73, 'x') + ".hidden line é";
  a.shown = unmasked(a);  // mail carries the shown view: here identical to the stored one
  auto id = pipeline.raise(a);
  ASSERT_TRUE(id);
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.sent == 1; }, 10s))
      << server.log();
  EXPECT_EQ(counters.send_failures, 0u);
  EXPECT_TRUE(outbox_keys(*store).empty());

  const auto mails = server.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].envelope, "probity@force.example\npsd@force.example\nduty@force.example\n");
  const std::string& m = mails[0].message;
  EXPECT_NE(m.find("Subject: [Probity][HIGH] Record look-up of a declared associate\r\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("From: probity@force.example\r\n"), std::string::npos);
  EXPECT_NE(m.find("To: psd@force.example, duty@force.example\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <probity." + *id + "@force.example>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(m.find("Alert id:   " + *id + "\r\n"), std::string::npos);
  EXPECT_NE(m.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_NE(m.find("=\r\n.hidden line =C3=A9\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("subject.id: P-77"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos);

  // Normal path: one delivery, never a second.
  std::this_thread::sleep_for(300ms);
  pipeline.stop();
  EXPECT_EQ(server.mails().size(), 1u);
  EXPECT_EQ(counters.sent, 1u);
}

TEST(AlertPipelineSmtp, OutageDelaysMailButNeverLosesIt) {
  REQUIRE_AIOSMTPD();
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  const auto port = probity::testing::pick_free_port();  // nothing listens yet

  AlertCounters counters;
  AlertPipeline pipeline(*store, smtp_config(port), counters);
  ASSERT_TRUE(pipeline.start());
  auto id = pipeline.raise(new_alert("During the outage"));
  ASSERT_TRUE(id);
  EXPECT_EQ(counters.stored, 1u);
  auto stored = store->get(state::RuntimeTable::alerts, *id);
  ASSERT_TRUE(stored && *stored);
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.send_failures >= 2; }, 5s));
  EXPECT_EQ(counters.sent, 0u);
  EXPECT_EQ(counters.pending, 1u);
  EXPECT_EQ(outbox_keys(*store), std::vector<std::string>{"send:psd:" + *id});

  SmtpServer server(port, tmp / "smtp");
  ASSERT_TRUE(server.ready()) << server.log();
  // The delivery thread counts the mail sent, then (logging "delivers again" between) its
  // pending gauge: read together, the two can be seen half way.
  ASSERT_TRUE(probity::testing::wait_until(
      [&] { return counters.sent == 1 && counters.pending == 0; }, 10s))
      << server.log() << " sent " << counters.sent << ", pending " << counters.pending;
  EXPECT_TRUE(outbox_keys(*store).empty());
  std::this_thread::sleep_for(300ms);
  pipeline.stop();
  const auto mails = server.mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].message.find("Subject: [Probity][HIGH] During the outage\r\n"),
            std::string::npos);
}

TEST(AlertPipelineSmtp, RestartDeliversWhatThePreviousRunLeftInTheOutbox) {
  REQUIRE_AIOSMTPD();
  TempDir tmp("probity-alerts");
  const auto port = probity::testing::pick_free_port();
  std::vector<std::string> ids;
  {
    auto store = open_store(tmp / "state");
    ASSERT_TRUE(store);
    AlertCounters counters;
    AlertPipeline pipeline(*store, smtp_config(port), counters);
    ASSERT_TRUE(pipeline.start());
    ids.push_back(*pipeline.raise(new_alert("first")));
    ids.push_back(*pipeline.raise(new_alert("second")));
    ASSERT_TRUE(probity::testing::wait_until([&] { return counters.send_failures >= 1; }, 5s));
    pipeline.stop();  // the drain fails too: the relay is still down
    EXPECT_EQ(counters.sent, 0u);
    EXPECT_EQ(outbox_keys(*store).size(), 2u);
  }

  SmtpServer server(port, tmp / "smtp");
  ASSERT_TRUE(server.ready()) << server.log();
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertCounters counters;
  AlertPipeline pipeline(*store, smtp_config(port), counters);
  ASSERT_TRUE(pipeline.start());
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.sent == 2; }, 10s))
      << server.log();
  EXPECT_TRUE(outbox_keys(*store).empty());
  pipeline.stop();
  const auto mails = server.mails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_NE(mails[0].message.find("Message-ID: <probity." + ids[0] + "@"), std::string::npos);
  EXPECT_NE(mails[1].message.find("Message-ID: <probity." + ids[1] + "@"), std::string::npos);
}

TEST(AlertPipelineSmtp, RequireTlsRefusesARelayWithoutStartTls) {
  REQUIRE_AIOSMTPD();
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  SmtpServer server(probity::testing::pick_free_port(), tmp / "smtp");
  ASSERT_TRUE(server.ready()) << server.log();
  AlertConfig c = smtp_config(server.port());
  c.email.require_tls = true;
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());
  ASSERT_TRUE(pipeline.raise(new_alert("must not go in clear")));
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.send_failures >= 1; }, 5s));
  pipeline.stop();
  EXPECT_EQ(counters.sent, 0u);
  EXPECT_TRUE(server.mails().empty());
  EXPECT_EQ(outbox_keys(*store).size(), 1u);  // kept for when TLS works
}

TEST(AlertPipeline, StartFailsOnAnUnreadablePasswordFile) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c = smtp_config(25);
  c.email.username = "probity";
  c.email.password_file = tmp / "no-such-file";
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  auto r = pipeline.start();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "cannot read SMTP password file " + (tmp / "no-such-file").string());
}

TEST(AlertPipeline, FoldCountsARepeatIntoTheStoredAlertAndLogsIt) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.email.enabled = false;
  c.jsonl_path = tmp / "alerts.jsonl";
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());
  auto id = pipeline.raise(new_alert("t"));
  ASSERT_TRUE(id);
  const auto later = *event::parse_time("2026-11-24T21:00:00Z");
  ASSERT_TRUE(pipeline.fold(*id, later));
  ASSERT_TRUE(pipeline.fold(*id, *event::parse_time("2026-11-24T20:30:00Z")));  // earlier
  auto stored = store->get(state::RuntimeTable::alerts, *id);
  ASSERT_TRUE(stored && *stored);
  auto a = alert_from_json(**stored);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->count, 3u);
  EXPECT_EQ(a->last_seen, later);
  EXPECT_EQ(counters.stored.load(), 1u);  // one alert, not three
  std::ifstream log(tmp / "alerts.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(log, line)) ++lines;
  EXPECT_EQ(lines, 3);  // raised, then each fold as the updated alert
  auto missing = pipeline.fold("no-such-alert", later);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "alerts.unknown");
}

// Repeats staged with Sync::at_commit are counted by the commit: into an alert of the same
// commit before it is first written (one JSONL line), into an alert stored by an earlier one
// (read, counted, written and logged again), and a repeat of an alert the store does not
// hold is a counted store failure that leaves the rest of the commit alone.
TEST(AlertPipeline, StagedRepeatsAreCountedByTheCommit) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  const AlertConfig c = unmailed(tmp / "alerts.jsonl");
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  std::vector<std::pair<std::string, StoredChange>> observed;
  pipeline.on_stored(
      [&](const Alert& a, StoredChange change) { observed.emplace_back(a.id, change); });
  ASSERT_TRUE(pipeline.start());
  const auto at = [](const char* time) { return *event::parse_time(time); };
  const auto stored_count = [&](const std::string& id) {
    auto json = store->get(state::RuntimeTable::alerts, id);
    return json && *json ? alert_from_json(**json)->count : 0u;
  };

  const auto earlier = *pipeline.raise(new_alert("earlier"), AlertPipeline::Sync::at_commit);
  pipeline.commit();
  const auto fresh = *pipeline.raise(new_alert("fresh"), AlertPipeline::Sync::at_commit);
  ASSERT_TRUE(
      pipeline.fold(fresh, at("2026-11-24T21:00:00Z"), "o-1", AlertPipeline::Sync::at_commit));
  ASSERT_TRUE(
      pipeline.fold(fresh, at("2026-11-24T20:30:00Z"), "o-2", AlertPipeline::Sync::at_commit));
  ASSERT_TRUE(
      pipeline.fold(earlier, at("2026-11-24T21:00:00Z"), "o-3", AlertPipeline::Sync::at_commit));
  ASSERT_TRUE(pipeline.fold("no-such-alert", at("2026-11-24T21:00:00Z"), "o-4",
                            AlertPipeline::Sync::at_commit));
  EXPECT_EQ(stored_count(earlier), 1u);  // staged: nothing written yet
  EXPECT_EQ(pipeline.raised_for("o-3"), earlier);
  pipeline.commit();

  EXPECT_EQ(stored_count(fresh), 3u);
  EXPECT_EQ(stored_count(earlier), 2u);
  auto fresh_alert = stored_alert(*store, fresh);
  ASSERT_TRUE(fresh_alert);
  EXPECT_EQ(fresh_alert->last_seen, at("2026-11-24T21:00:00Z"));
  EXPECT_EQ(pipeline.raised_for("o-2"), fresh);  // from the store now
  EXPECT_EQ(counters.stored.load(), 2u);
  EXPECT_EQ(counters.store_failures.load(), 1u);  // the repeat of no alert
  std::ifstream log(c.jsonl_path);
  std::vector<std::string> ids;
  for (std::string line; std::getline(log, line);) ids.push_back(alert_from_json(line)->id);
  EXPECT_EQ(ids, (std::vector<std::string>{earlier, fresh, earlier}));
  ASSERT_EQ(observed.size(), 3u);
  EXPECT_EQ(observed[2], std::make_pair(earlier, StoredChange::folded));
  pipeline.stop();
}

// The daemon commits on a thread of its own (app/alert_committer.h) while the evaluation
// thread raises, folds and asks raised_for(): every alert and repeat ends up stored, each
// alert's last JSONL line is its final state, and (under tests/tsan.sh) nothing races.
TEST(AlertPipeline, CommitsOnAnotherThreadBesideRaisesAndRepeats) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  const AlertConfig c = unmailed(tmp / "alerts.jsonl");
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());
  std::atomic<bool> raising{true};
  std::thread committer([&] {
    while (raising) {
      pipeline.commit();
      std::this_thread::yield();
    }
    pipeline.commit();
  });
  const auto seen = *event::parse_time("2026-11-24T21:00:00Z");
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    auto a = new_alert("t");
    a.origin = "raised-" + std::to_string(i);
    const auto id = *pipeline.raise(a, AlertPipeline::Sync::at_commit);
    ids.push_back(id);
    EXPECT_EQ(pipeline.raised_for(a.origin), id) << i;
    ASSERT_TRUE(
        pipeline.fold(id, seen, "repeat-" + std::to_string(i), AlertPipeline::Sync::at_commit));
    EXPECT_EQ(pipeline.raised_for("repeat-" + std::to_string(i)), id) << i;
  }
  raising = false;
  committer.join();
  EXPECT_EQ(counters.stored.load(), 300u);
  EXPECT_EQ(counters.store_failures.load(), 0u);
  std::map<std::string, std::uint64_t> last_logged;
  std::ifstream log(c.jsonl_path);
  for (std::string line; std::getline(log, line);) {
    auto a = alert_from_json(line);
    ASSERT_TRUE(a) << line;
    last_logged[a->id] = a->count;
  }
  for (const auto& id : ids) {
    auto stored = stored_alert(*store, id);
    ASSERT_TRUE(stored) << id;
    EXPECT_EQ(stored->count, 2u) << id;
    EXPECT_EQ(last_logged[id], 2u) << id;
  }
  pipeline.stop();
}

namespace {

// A flood raised alert by alert (Sync::now), or deferred and committed in batches as the
// evaluation thread does (each batch wakes the digest once).
void flood_is_stored_whole_but_mailed_as_one_digest(AlertPipeline::Sync sync) {
  TempDir tmp("probity-alerts");
  auto store = open_store(tmp / "state");
  ASSERT_TRUE(store);
  AlertConfig c;
  c.email.to = "psd@force.example";
  c.email.from = "probity@localhost";
  c.email.mailbox_path = tmp / "probity.mbox";
  c.email.max_per_rule_per_hour = 3;
  c.email.max_per_hour = 100;
  // Long enough that all 200 are held before the first digest, even under ThreadSanitizer.
  c.email.digest_interval = 5s;
  AlertCounters counters;
  AlertPipeline pipeline(*store, c, counters);
  ASSERT_TRUE(pipeline.start());
  for (int i = 0; i < 200; ++i) {
    Alert a = new_alert("Look-up of a watch-listed subject");
    a.user_id = "pc" + std::to_string(i);
    a.shown = unmasked(a);
    ASSERT_TRUE(pipeline.raise(a, sync));
    if (i % 50 == 49) pipeline.commit();
  }
  Alert other = new_alert("Another rule");
  other.rule_id = "another-rule";
  other.shown = unmasked(other);
  ASSERT_TRUE(pipeline.raise(other, sync));  // another rule still has its own budget
  pipeline.commit();

  EXPECT_EQ(counters.stored, 202u);  // 201 + the flood-limit alert
  EXPECT_EQ(counters.mail_held, 197u);
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.digests_sent == 1; }, 20s));
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.pending == 0; }, 5s));
  const std::string mbox = probity::testing::read_file(c.email.mailbox_path);
  std::size_t subjects = 0;
  for (auto at = mbox.find("\nSubject: "); at != std::string::npos;
       at = mbox.find("\nSubject: ", at + 1))
    ++subjects;
  EXPECT_EQ(subjects, 3u + 1u + 1u + 1u) << mbox;  // 3 own, the other rule, the notice, a digest
  EXPECT_NE(mbox.find("Subject: [Probity][HIGH] Alert delivery is past a rate limit"),
            std::string::npos);
  EXPECT_NE(mbox.find("Subject: [Probity][DIGEST][HIGH] 197 alerts for psd"), std::string::npos)
      << mbox;
  EXPECT_NE(mbox.find("User: pc199"), std::string::npos);
  EXPECT_TRUE(outbox_keys(*store).empty());
  pipeline.stop();
}

}  // namespace

TEST(AlertPipeline, AFloodIsStoredWholeButMailedAsOneDigest) {
  flood_is_stored_whole_but_mailed_as_one_digest(AlertPipeline::Sync::now);
}

TEST(AlertPipeline, AFloodCommittedInBatchesIsMailedAsOneDigestToo) {
  flood_is_stored_whole_but_mailed_as_one_digest(AlertPipeline::Sync::at_commit);
}
