// Backfill frames: events that come behind the live correlation clock (older logs replayed, a
// backlog sent after newer events) correlate in a frame of their own, marked, without touching
// live state; frames are capped (refused under a wall clock, least recently used closed without),
// close when idle, are not persisted, and leave the future-dated protections as they were.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "memory_correlation_store.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using namespace std::chrono_literals;

namespace {

const char* kCorrelationBackfillRules = R"(- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access" and action == "query"
- detection: media-email
  title: Email to media
  severity: medium
  building_block: true
  condition: event.kind == "email" and email.to.domain == "news.example"
- detection: watched
  title: Watched subject looked up
  severity: high
  condition: event.kind == "access" and subject.id == "W1"
  suppress: {by: [user.id], for: 1h}
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: user.id, within: 1h, threshold: 3}
- correlation: lookup-then-media
  title: Look-up then media email
  severity: critical
  sequence: {by: user.id, within: 24h, steps: [lookup, media-email]}
- correlation: unanswered-media
  title: Media email never declared
  severity: high
  absent: {of: media-email, followed_by: lookup, by: user.id, within: 1h}
)";

event::Timestamp at(const std::string& text) { return *event::parse_time(text); }

event::Event access(const std::string& user, const std::string& time,
                    const std::string& subject = "P1") {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::event_id, user + "@" + time + "/" + subject);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::action, std::string("query"));
  e.set(event::FieldId::subject_id, subject);
  e.set(event::FieldId::source_host, std::string("pnc-relay"));
  e.set(event::FieldId::source_system, std::string("PNC"));
  e.set(event::FieldId::event_time, at(time));
  return e;
}

event::Event backfill_media_email(const std::string& user, const std::string& time) {
  event::Event e(event::Kind::email);
  e.set(event::FieldId::event_id, user + "@" + time + "/mail");
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::email_to_domain, std::string("news.example"));
  e.set(event::FieldId::event_time, at(time));
  return e;
}

// The daemon's way: evaluate, process, advance to the event's time; alerting matches only. The
// wall clock is `now` (unless `wall` is false: replay), notices are kept.
struct Harness {
  explicit Harness(std::size_t frames = 4, bool wall = true)
      : rules(load_ok(kCorrelationBackfillRules)), engine(rules, options(frames, wall)) {}
  CorrelationOptions options(std::size_t frames, bool wall) {
    CorrelationOptions o;
    o.max_backfill_frames = frames;
    if (wall) o.now = [this] { return now; };
    o.on_backfill = [this](const BackfillNotice& n) { notices.push_back(n); };
    return o;
  }
  std::vector<Match> feed(const event::Event& e) {
    std::vector<Match> matches, out;
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    for (auto& m : matches)
      if (!m.building_block) out.push_back(std::move(m));
    if (auto t = e.time()) tick(*t, out);
    return out;
  }
  void tick(event::Timestamp t, std::vector<Match>& out) {
    std::vector<std::pair<Match, event::Event>> timed;
    engine.advance_time(t, ref, timed);
    for (auto& [m, ev] : timed)
      if (!m.building_block) out.push_back(std::move(m));
  }
  // The daemon's one-second timer, at the wall clock.
  std::vector<Match> tick() {
    std::vector<Match> out;
    tick(now, out);
    return out;
  }
  std::vector<Match> feed_all(const std::vector<event::Event>& events) {
    std::vector<Match> out;
    for (const auto& e : events)
      for (auto& m : feed(e)) out.push_back(std::move(m));
    return out;
  }

  event::Timestamp now = at("2026-01-05T09:00:00Z");
  TestReference ref;
  std::shared_ptr<const RuleSet> rules;
  std::vector<BackfillNotice> notices;
  CorrelationEngine engine;
};

std::vector<const Match*> of(const std::vector<Match>& ms, std::string_view id) {
  std::vector<const Match*> out;
  for (const auto& m : ms)
    if (m.rule_id == id) out.push_back(&m);
  return out;
}

bool shows_backfill(const Match& m) {
  return m.backfill && std::count(m.tags.begin(), m.tags.end(), "backfill") == 1 &&
         std::any_of(m.shown_fields.begin(), m.shown_fields.end(),
                     [](const auto& f) { return f.first == "backfill"; }) &&
         m.shown_fields.size() == m.field_identities.size();
}

// Yesterday's look-ups and the email that followed them: one bulk and one sequence incident.
std::vector<event::Event> yesterdays_incident(const std::string& user) {
  return {access(user, "2026-01-04T10:00:00Z"), access(user, "2026-01-04T10:10:00Z"),
          access(user, "2026-01-04T10:20:00Z"), backfill_media_email(user, "2026-01-04T10:25:00Z")};
}

}  // namespace

TEST(Backfill, ABatchBehindTheClockCorrelatesInAFrameOfItsOwn) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));  // live: the clock is now
  const auto out = h.feed_all(yesterdays_incident("pc9"));
  const auto bulk = of(out, "bulk");
  const auto sequence = of(out, "lookup-then-media");
  ASSERT_EQ(bulk.size(), 1u);
  ASSERT_EQ(sequence.size(), 1u);
  EXPECT_TRUE(shows_backfill(*bulk[0]));
  EXPECT_TRUE(shows_backfill(*sequence[0]));
  const auto& c = h.engine.counters();
  EXPECT_EQ(c.late_events, 0u);
  EXPECT_EQ(c.backfill_events, 4u);
  EXPECT_EQ(c.backfill_frames, 1u);
  EXPECT_EQ(c.backfill_open, 1u);
  EXPECT_EQ(c.fired, 2u);
  // Opening the frame names who sent the event, its time and the live clock.
  ASSERT_EQ(h.notices.size(), 1u);
  EXPECT_EQ(h.notices[0].kind, BackfillNotice::Kind::opened);
  EXPECT_EQ(h.notices[0].host, "pnc-relay");
  EXPECT_EQ(h.notices[0].system, "PNC");
  EXPECT_EQ(h.notices[0].event_time, at("2026-01-04T10:00:00Z"));
  EXPECT_EQ(h.notices[0].clock, at("2026-01-05T08:59:00Z"));
}

TEST(Backfill, OffLateEventsAreNotCorrelated) {
  Harness h(/*frames=*/0);
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  EXPECT_TRUE(of(h.feed_all(yesterdays_incident("pc9")), "bulk").empty());
  EXPECT_EQ(h.engine.counters().late_events, 4u);
  EXPECT_EQ(h.engine.counters().backfill_frames, 0u);
  EXPECT_TRUE(h.notices.empty());
}

TEST(Backfill, LiveStateIsNeitherReadNorChanged) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:50:00Z"));
  h.feed(access("pc1", "2026-01-05T08:51:00Z"));
  // pc1's own look-ups of yesterday: they raise yesterday's alert, and add nothing to today's.
  const auto old =
      h.feed_all({access("pc1", "2026-01-04T08:00:00Z"), access("pc1", "2026-01-04T08:01:00Z"),
                  access("pc1", "2026-01-04T08:02:00Z"), access("pc1", "2026-01-04T08:03:00Z")});
  ASSERT_EQ(of(old, "bulk").size(), 1u);
  EXPECT_TRUE(of(old, "bulk")[0]->backfill);
  // Today's third look-up completes today's window: two of today plus itself, none of yesterday.
  const auto live = h.feed(access("pc1", "2026-01-05T08:52:00Z"));
  ASSERT_EQ(of(live, "bulk").size(), 1u);
  EXPECT_FALSE(of(live, "bulk")[0]->backfill);
  EXPECT_NE(of(live, "bulk")[0]->message.find("count 3"), std::string::npos)
      << of(live, "bulk")[0]->message;
  EXPECT_EQ(h.engine.clock(), at("2026-01-05T08:52:00Z"));
}

TEST(Backfill, InsideTheLatenessBoundAnEventIsLiveWhateverFrameIsOpen) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  h.feed(access("pc9", "2026-01-05T08:10:00Z"));  // behind: a frame opens
  // 4 min behind the clock: live, with pc9's live look-ups, not with the frame's one.
  h.feed(access("pc9", "2026-01-05T08:55:00Z"));
  h.feed(access("pc9", "2026-01-05T08:59:10Z"));
  EXPECT_EQ(h.engine.counters().backfill_events, 1u);
  const auto out = h.feed(access("pc9", "2026-01-05T08:59:20Z"));
  ASSERT_EQ(of(out, "bulk").size(), 1u);
  EXPECT_FALSE(of(out, "bulk")[0]->backfill);
}

TEST(Backfill, LiveEventsSlightlyOutOfOrderStayLive) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  h.feed_all(yesterdays_incident("pc9"));  // a frame far behind
  h.feed(access("pc2", "2026-01-05T08:58:00Z"));
  h.feed(access("pc2", "2026-01-05T08:59:30Z"));
  const auto out = h.feed(access("pc2", "2026-01-05T08:57:00Z"));  // 2.5 min late: live
  ASSERT_EQ(of(out, "bulk").size(), 1u);
  EXPECT_FALSE(of(out, "bulk")[0]->backfill);
  EXPECT_EQ(h.engine.counters().backfill_events, 4u);
}

// A dense day: a look-up a minute by filler users, with pc9's incident early and pc8's in the
// last minutes, inside the lateness bound of the day's end.
std::vector<event::Event> a_day() {
  std::vector<event::Event> day;
  for (int m = 0; m < 40; ++m)
    day.push_back(access(fmt::format("filler{}", m), fmt::format("2026-01-04T10:{:02}:30Z", m)));
  const auto early = yesterdays_incident("pc9");
  day.insert(day.end(), early.begin(), early.end());
  for (auto e :
       {access("pc8", "2026-01-04T10:36:00Z"), access("pc8", "2026-01-04T10:37:00Z"),
        access("pc8", "2026-01-04T10:38:00Z"), backfill_media_email("pc8", "2026-01-04T10:39:00Z")})
    day.push_back(e);
  std::stable_sort(day.begin(), day.end(),
                   [](const auto& a, const auto& b) { return *a.time() < *b.time(); });
  return day;
}

TEST(Backfill, TheSameDaySentAgainAfterARestartGivesTheSameMatches) {
  // The demo run twice: the first run correlates the day live; the daemon stops; the second
  // run sends the same day, up to the saved clock (its tail inside the lateness bound too).
  // Same triggers and messages, so the alert store finds them raised already.
  MemoryCorrelationStore store;
  std::vector<Match> first, second;
  {
    Harness h;
    first = h.feed_all(a_day());
    h.now += 5min;  // the wall clock passes the absent deadlines
    for (auto& m : h.tick()) first.push_back(std::move(m));
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  Harness h;
  h.now += 10min;
  ASSERT_TRUE(h.engine.restore(store));
  second = h.feed_all(a_day());
  h.now += 5min;  // the frame goes idle and closes: its pending deadlines have passed too
  for (auto& m : h.tick()) second.push_back(std::move(m));
  ASSERT_EQ(of(first, "bulk").size(), 2u);
  ASSERT_EQ(of(first, "lookup-then-media").size(), 2u);
  ASSERT_EQ(of(first, "unanswered-media").size(), 2u);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].rule_id, second[i].rule_id);
    EXPECT_EQ(first[i].message, second[i].message);
    EXPECT_FALSE(first[i].backfill);
    EXPECT_TRUE(second[i].backfill) << second[i].rule_id;
  }
  const auto& c = h.engine.counters();
  EXPECT_EQ(c.late_events, 0u);
  EXPECT_EQ(c.backfill_events, a_day().size());
  // Live state is as the first run left it; the next live event is live.
  const auto live = h.feed(access("pc8", "2026-01-04T10:40:00Z"));
  EXPECT_TRUE(live.empty());
  EXPECT_EQ(h.engine.counters().backfill_events, a_day().size());
}

TEST(Backfill, AnIdleFrameClosesFiresWhatIsDueAndSaysWhatItTook) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  const auto live_keys = h.engine.counters().keys;
  EXPECT_EQ(h.feed_all(yesterdays_incident("pc9")).size(), 2u);  // bulk and the sequence
  h.now += 119s;
  EXPECT_TRUE(h.tick().empty());
  EXPECT_EQ(h.engine.counters().backfill_open, 1u);
  h.now += 1s;  // backfill_idle: 2 min
  // The media email's deadline (no look-up within 1 h) has passed long ago by the live clock.
  const auto out = h.tick();
  ASSERT_EQ(of(out, "unanswered-media").size(), 1u);
  EXPECT_TRUE(shows_backfill(out[0]));
  EXPECT_EQ(h.engine.counters().backfill_open, 0u);
  ASSERT_EQ(h.notices.size(), 2u);
  const auto& closed = h.notices[1];
  EXPECT_EQ(closed.kind, BackfillNotice::Kind::closed);
  EXPECT_EQ(closed.frame, 1u);
  EXPECT_EQ(closed.events, 4u);
  EXPECT_EQ(closed.matches, 3u);
  EXPECT_EQ(closed.first, at("2026-01-04T10:00:00Z"));
  EXPECT_EQ(closed.last, at("2026-01-04T10:25:00Z"));
  // What it fired is still counted once it is gone; its keys are not.
  EXPECT_EQ(h.engine.counters().fired, 3u);
  EXPECT_EQ(h.engine.counters().keys, live_keys);
}

TEST(Backfill, PastTheCapAnEventIsRefusedCountedAndNamed) {
  Harness h(/*frames=*/1);
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  h.feed_all(yesterdays_incident("pc9"));
  // A week older: late for the live clock and for the open frame.
  const auto out = h.feed(access("pc7", "2025-12-29T10:00:00Z", "W1"));
  const auto& c = h.engine.counters();
  EXPECT_EQ(c.backfill_refused, 1u);
  EXPECT_EQ(c.late_events, 1u);
  EXPECT_EQ(c.backfill_frames, 1u);
  ASSERT_EQ(h.notices.size(), 2u);
  EXPECT_EQ(h.notices[1].kind, BackfillNotice::Kind::refused);
  EXPECT_EQ(h.notices[1].host, "pnc-relay");
  EXPECT_EQ(h.notices[1].event_time, at("2025-12-29T10:00:00Z"));
  EXPECT_EQ(h.notices[1].clock, at("2026-01-05T08:59:00Z"));
  // Its detection still alerts, and says it was not correlated.
  ASSERT_EQ(of(out, "watched").size(), 1u);
  const Match& m = *of(out, "watched")[0];
  EXPECT_TRUE(shows_backfill(m));
  EXPECT_NE(m.shown_fields.back().second.find("not correlated"), std::string::npos);
}

TEST(Backfill, WithoutAWallClockTheLeastRecentlyUsedFrameMakesRoom) {
  // Replay: logs out of order in three places, one frame allowed.
  Harness h(/*frames=*/1, /*wall=*/false);
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  EXPECT_EQ(of(h.feed_all(yesterdays_incident("pc9")), "bulk").size(), 1u);
  EXPECT_EQ(
      of(h.feed_all({access("pc8", "2025-12-29T10:00:00Z"), access("pc8", "2025-12-29T10:01:00Z"),
                     access("pc8", "2025-12-29T10:02:00Z")}),
         "bulk")
          .size(),
      1u);
  const auto& c = h.engine.counters();
  EXPECT_EQ(c.backfill_frames, 2u);
  EXPECT_EQ(c.backfill_open, 1u);
  EXPECT_EQ(c.backfill_refused, 0u);
  EXPECT_EQ(c.late_events, 0u);
}

TEST(Backfill, AbsentDeadlinesInAFrameFollowTheFramesOwnEvents) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  EXPECT_TRUE(h.feed(backfill_media_email("pc9", "2026-01-04T10:00:00Z")).empty());
  // The wall clock is a day past the deadline, but the frame's clock is not: nothing yet.
  h.now += 10s;
  EXPECT_TRUE(h.tick().empty());
  // A later event of the batch carries the frame's clock past the deadline (1h + 5 min).
  const auto out = h.feed(backfill_media_email("pc3", "2026-01-04T11:06:00Z"));
  const auto absent = of(out, "unanswered-media");
  ASSERT_EQ(absent.size(), 1u);
  EXPECT_TRUE(shows_backfill(*absent[0]));
  EXPECT_NE(absent[0]->message.find("pc9"), std::string::npos) << absent[0]->message;
}

TEST(Backfill, AnAbsentAlertsEventHasAnIdThatRepeats) {
  // So the alert store raises an absent rule's alert once when the same deadline passes again.
  std::vector<std::string> ids;
  for (int run = 0; run < 2; ++run) {
    Harness h(/*frames=*/0, /*wall=*/false);
    h.feed(backfill_media_email("pc9", "2026-01-04T10:00:00Z"));
    std::vector<std::pair<Match, event::Event>> timed;
    h.engine.advance_time(at("2026-01-04T12:00:00Z"), h.ref, timed);
    ASSERT_EQ(timed.size(), 1u);
    ids.emplace_back(timed[0].second.str(event::FieldId::event_id));
  }
  EXPECT_FALSE(ids[0].empty());
  EXPECT_EQ(ids[0], ids[1]);
}

TEST(Backfill, AFramesSuppressionIsItsOwn) {
  Harness h;
  const auto live = h.feed(access("pc7", "2026-01-05T08:59:00Z", "W1"));
  ASSERT_EQ(of(live, "watched").size(), 1u);
  // Yesterday's look-ups of the same subject: their own first alert and repeat, under a key
  // that cannot fold into today's alert.
  const auto old = h.feed_all(
      {access("pc7", "2026-01-04T10:00:00Z", "W1"), access("pc7", "2026-01-04T10:10:00Z", "W1")});
  const auto watched = of(old, "watched");
  ASSERT_EQ(watched.size(), 2u);
  EXPECT_EQ(watched[0]->repeat, 0u);
  EXPECT_EQ(watched[1]->repeat, 1u);
  EXPECT_EQ(watched[0]->suppression_key, watched[1]->suppression_key);
  EXPECT_NE(watched[0]->suppression_key, of(live, "watched")[0]->suppression_key);
  // Today's repeat still folds into today's alert.
  EXPECT_EQ(of(h.feed(access("pc7", "2026-01-05T08:59:30Z", "W1")), "watched")[0]->repeat, 1u);
}

TEST(Backfill, FramesAreNotPersisted) {
  MemoryCorrelationStore store;
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  h.feed_all(yesterdays_incident("pc9"));
  ASSERT_TRUE(h.engine.checkpoint(store));
  for (const auto& [key, value] : store.data)
    EXPECT_EQ(key.find("pc9"), std::string::npos) << "a frame's state was saved: " << key;
  Harness restarted;
  ASSERT_TRUE(restarted.engine.restore(store));
  EXPECT_EQ(restarted.engine.clock(), at("2026-01-05T08:59:00Z"));
}

TEST(Backfill, AReloadReachesTheOpenFrames) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  h.feed_all({access("pc9", "2026-01-04T10:00:00Z"), access("pc9", "2026-01-04T10:01:00Z")});
  h.engine.set_rules(
      load_ok(kCorrelationBackfillRules));  // the same rules, a new set: state carries over
  EXPECT_EQ(of(h.feed(access("pc9", "2026-01-04T10:02:00Z")), "bulk").size(), 1u);
}

TEST(Backfill, AFutureDatedEventOpensNoFrameAndMovesNoClock) {
  Harness h;
  h.feed(access("pc1", "2026-01-05T08:59:00Z"));
  h.feed(access("pc2", "9999-01-01T00:00:00Z"));
  EXPECT_EQ(h.engine.counters().future_events, 1u);
  EXPECT_EQ(h.engine.counters().backfill_frames, 0u);
  EXPECT_EQ(h.engine.clock(), at("2026-01-05T08:59:00Z"));
  // Live look-ups still correlate: nothing was made late.
  h.feed(access("pc3", "2026-01-05T09:00:00Z"));
  h.feed(access("pc3", "2026-01-05T09:00:10Z"));
  const auto out = h.feed(access("pc3", "2026-01-05T09:00:20Z"));
  ASSERT_EQ(of(out, "bulk").size(), 1u);
  EXPECT_FALSE(of(out, "bulk")[0]->backfill);
  EXPECT_EQ(h.engine.counters().backfill_events, 0u);
}
