// The triage lifecycle (triage.h): which changes apply in which status, what each needs,
// and that a change survives the stored JSON and races no repeat folded at the same time.
#include "alerts/triage.h"

#include <thread>

#include <gtest/gtest.h>

#include "alerts/alerts.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;

namespace {

TriageRequest request(TriageAction action, std::string actor = "ana") {
  TriageRequest r;
  r.action = action;
  r.actor = std::move(actor);
  r.at = *event::parse_time("2026-12-04T10:00:00Z");
  return r;
}

Alert fresh() {
  Alert a;
  a.id = "a1";
  a.rule_id = "lookup-of-ex-partner";
  return a;
}

}  // namespace

TEST(Triage, AcknowledgeTakesOwnershipAndHappensOnce) {
  Alert a = fresh();
  auto entry = apply_triage(a, request(TriageAction::acknowledge));
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(a.status, "acknowledged");
  EXPECT_EQ(a.owner, "ana");
  EXPECT_EQ(entry->from, "new");
  EXPECT_EQ(entry->to, "acknowledged");
  const auto again = apply_triage(a, request(TriageAction::acknowledge, "ben"));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "triage.refused");
  EXPECT_EQ(a.owner, "ana");
  EXPECT_EQ(a.history.size(), 1u);
}

TEST(Triage, ClosingNeedsItsPartsAndAClosedAlertMustBeReopened) {
  Alert a = fresh();
  auto dismiss = request(TriageAction::dismiss, "ian");
  EXPECT_FALSE(apply_triage(a, dismiss));  // no outcome
  dismiss.dismissal = "benign";
  EXPECT_FALSE(apply_triage(a, dismiss));  // benign needs the explanation
  dismiss.text = "family liaison officer contacting the family, case CO/00123/26";
  ASSERT_TRUE(apply_triage(a, dismiss));
  EXPECT_EQ(a.status, "dismissed");
  EXPECT_EQ(a.owner, "ian");

  EXPECT_FALSE(apply_triage(a, request(TriageAction::resolve)));  // closed already
  auto assign = request(TriageAction::assign);
  assign.owner = "ben";
  EXPECT_FALSE(apply_triage(a, assign));
  auto note = request(TriageAction::note);
  note.text = "checked again with the duty inspector";
  EXPECT_TRUE(apply_triage(a, note));  // notes at any state
  EXPECT_EQ(a.status, "dismissed");

  EXPECT_FALSE(apply_triage(a, request(TriageAction::reopen)));  // reopen needs a reason
  auto reopen = request(TriageAction::reopen);
  reopen.text = "the same user looked the family up again";
  ASSERT_TRUE(apply_triage(a, reopen));
  EXPECT_EQ(a.status, "acknowledged");    // it has an owner
  EXPECT_FALSE(apply_triage(a, reopen));  // open: nothing to reopen

  auto escalate = request(TriageAction::escalate, "ian");
  escalate.reference = "complaint";
  EXPECT_FALSE(apply_triage(a, escalate));  // no case number in it
  escalate.reference = "CO/00123/26";
  ASSERT_TRUE(apply_triage(a, escalate));
  EXPECT_EQ(a.status, "escalated");
  ASSERT_EQ(a.history.size(), 4u);
  EXPECT_EQ(a.history.back().reference, "CO/00123/26");
  EXPECT_EQ(a.history.back().from, "acknowledged");
}

TEST(Triage, AFalsePositiveNeedsNoExplanationButTextIsBounded) {
  Alert a = fresh();
  auto dismiss = request(TriageAction::dismiss);
  dismiss.dismissal = "false_positive";
  dismiss.text = std::string(kMaxTriageText + 1, 'x');
  EXPECT_FALSE(apply_triage(a, dismiss));
  dismiss.text = "ok\x1b[2J";
  EXPECT_FALSE(apply_triage(a, dismiss));  // a terminal escape in a note
  dismiss.text.clear();
  EXPECT_TRUE(apply_triage(a, dismiss));
  EXPECT_EQ(a.status, "dismissed");
}

TEST(Triage, ReopeningAnUnownedAlertMakesItNewAgain) {
  Alert a = fresh();
  a.status = "resolved";
  auto reopen = request(TriageAction::reopen);
  reopen.text = "resolved by mistake";
  ASSERT_TRUE(apply_triage(a, reopen));
  EXPECT_EQ(a.status, "new");
}

TEST(Triage, HistoryIsBounded) {
  Alert a = fresh();
  auto note = request(TriageAction::note);
  note.text = "n";
  for (std::size_t i = 0; i < kMaxHistory; ++i) ASSERT_TRUE(apply_triage(a, note));
  EXPECT_FALSE(apply_triage(a, note));
}

TEST(Triage, OwnerAndHistorySurviveTheStoredJson) {
  Alert a = fresh();
  a.event_time = a.raised_at = *event::parse_time("2026-12-04T09:00:00Z");
  auto assign = request(TriageAction::assign);
  assign.owner = "ben";
  assign.text = "yours: you know the area";
  ASSERT_TRUE(apply_triage(a, assign));
  auto back = alert_from_json(to_json(a));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->owner, "ben");
  EXPECT_EQ(back->status, "acknowledged");
  ASSERT_EQ(back->history.size(), 1u);
  EXPECT_EQ(back->history[0].actor, "ana");
  EXPECT_EQ(back->history[0].owner, "ben");
  EXPECT_EQ(back->history[0].text, "yours: you know the area");
  EXPECT_EQ(back->history[0].at, assign.at);
  // An alert stored before triage existed reads as new, unowned, without history.
  auto old = alert_from_json(
      R"({"id":"a0","rule_id":"r","event_time":"2026-01-01T00:00:00Z","raised_at":"2026-01-01T00:00:00Z"})");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, "new");
  EXPECT_TRUE(old->owner.empty());
  EXPECT_TRUE(old->history.empty());
}

TEST(Triage, ChangesAndFoldedRepeatsAtTheSameTimeAreAllKept) {
  probity::testing::TempDir tmp("probity-triage");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store);
  AlertCounters counters;
  AlertConfig config;
  config.email.enabled = false;
  AlertPipeline pipeline(**store, config, counters);
  Alert a = fresh();
  a.id.clear();
  auto id = pipeline.raise(a);
  ASSERT_TRUE(id);
  std::vector<std::string> seen;
  std::mutex seen_mutex;
  pipeline.on_stored([&](const Alert& stored, StoredChange) {
    std::lock_guard lock(seen_mutex);
    seen.push_back(stored.status);
  });
  constexpr int kEach = 40;
  std::thread folding([&] {
    for (int i = 0; i < kEach; ++i) ASSERT_TRUE(pipeline.fold(*id, a.event_time));
  });
  for (int i = 0; i < kEach; ++i) {
    auto note = request(TriageAction::note);
    note.text = "note " + std::to_string(i);
    ASSERT_TRUE(pipeline.triage(*id, note));
  }
  folding.join();
  auto stored = (*store)->get(state::RuntimeTable::alerts, *id);
  ASSERT_TRUE(stored && *stored);
  auto back = alert_from_json(**stored);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->count, 1u + kEach);
  EXPECT_EQ(back->history.size(), static_cast<std::size_t>(kEach));
  EXPECT_EQ(seen.size(), 2u * kEach);  // the live page hears of every change
  EXPECT_EQ(pipeline.triage("no-such-alert", request(TriageAction::acknowledge)).error().code,
            "alerts.unknown");
}
