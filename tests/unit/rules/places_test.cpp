// travel and interleave correlations: sites compared by distance or town, remote and unknown
// addresses left out, workstations by turns against a move, names compared up to the first
// dot, state surviving a restart, and the load checks of both types.
#include <gtest/gtest.h>

#include <map>

#include "memory_correlation_store.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

namespace {

const char* kPlacesRules = R"(- detection: located
  title: Located
  severity: info
  building_block: true
  condition: exists(client.host) or exists(client.ip)
- correlation: two-sites
  title: Two sites
  severity: high
  travel: {of: located, by: user.id, within: 3h, speed: 100, town_within: 20m}
- correlation: two-desks
  title: Two desks
  severity: high
  interleave: {of: located, by: user.id, field: client.host, within: 15m, threshold: 2}
)";

state::SiteRange site(std::string id, std::string match, std::string town, std::string lat = {},
                      std::string lon = {}, bool remote = false) {
  state::SiteRange r;
  r.site_id = std::move(id);
  r.match = std::move(match);
  r.town = std::move(town);
  r.building = r.site_id + " building";
  r.latitude = std::move(lat);
  r.longitude = std::move(lon);
  r.remote = remote;
  return r;
}

event::Event at(const std::string& user, const std::string& time, const std::string& ip,
                const std::string& host = {}) {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, user);
  e.set(event::FieldId::event_time, *event::parse_time(time));
  if (!ip.empty()) e.set(event::FieldId::client_ip, ip);
  if (!host.empty()) e.set(event::FieldId::client_host, host);
  return e;
}

struct Harness {
  Harness() : rules(load_ok(kPlacesRules)), engine(rules, {}) {
    ref.add_site(site("lv", "198.51.100.0/25", "Lindvale", "53.40", "-2.10"))
        .add_site(site("pk", "198.51.100.128/25", "Penkirk", "53.05", "-2.25"))
        .add_site(site("lv-north", "198.51.101.0/24", "Lindvale", "53.43", "-2.09"))
        .add_site(site("gh", "gh-*", "Garthby"))
        .add_site(site("gm", "gmc-*", "Garthby"))
        .add_site(site("ob", "obs-*", "Orwin"))
        .add_site(site("vpn", "203.0.113.0/24", "", "", "", true));
  }
  /// Ids of the correlations that fired on `e`.
  std::vector<std::string> feed(const event::Event& e) {
    std::vector<Match> matches;
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    std::vector<std::string> out;
    for (const auto& m : matches)
      if (!m.building_block) out.push_back(m.rule_id);
    return out;
  }
  TestReference ref;
  std::shared_ptr<const RuleSet> rules;
  CorrelationEngine engine;
};

const std::vector<std::string> kNone;
const std::vector<std::string> kTwoSites{"two-sites"};
const std::vector<std::string> kTwoDesks{"two-desks"};

}  // namespace

TEST(TravelCorrelation, FasterThanTheDistanceAllowsFires) {
  Harness h;
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T14:00:00Z", "198.51.100.17")), kNone);
  // 40 km: 24 minutes at 100 km/h.
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T14:20:00Z", "198.51.100.140")), kTwoSites);
  Harness slow;
  slow.feed(at("pc1", "2026-05-11T14:00:00Z", "198.51.100.17"));
  EXPECT_EQ(slow.feed(at("pc1", "2026-05-11T14:30:00Z", "198.51.100.140")), kNone);
}

TEST(TravelCorrelation, TheLatestTimeAtTheOtherSiteDecides) {
  Harness h;
  h.feed(at("pc1", "2026-05-11T08:00:00Z", "198.51.100.17"));
  h.feed(at("pc1", "2026-05-11T09:00:00Z", "198.51.100.140"));  // a drive: fine
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T09:10:00Z", "198.51.100.140")), kNone);
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T09:15:00Z", "198.51.100.20")), kTwoSites);  // back?
}

TEST(TravelCorrelation, NeighbouringBuildingsNeedMinutesNotSeconds) {
  Harness h;  // lv and lv-north: about 3.4 km, two minutes
  h.feed(at("pc1", "2026-05-11T10:00:00Z", "198.51.100.17"));
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:01:00Z", "198.51.101.9")), kTwoSites);
  Harness later;
  later.feed(at("pc1", "2026-05-11T10:00:00Z", "198.51.100.17"));
  EXPECT_EQ(later.feed(at("pc1", "2026-05-11T10:05:00Z", "198.51.101.9")), kNone);
}

TEST(TravelCorrelation, TownsWithoutCoordinatesUseTownWithin) {
  Harness h;
  h.feed(at("pc1", "2026-05-11T09:00:00Z", "", "GH-DESK-1"));
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T09:05:00Z", "", "GMC-4")), kNone);  // one town
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T09:15:00Z", "", "OBS-77")), kTwoSites);
  Harness apart;
  apart.feed(at("pc1", "2026-05-11T09:00:00Z", "", "GH-DESK-1"));
  EXPECT_EQ(apart.feed(at("pc1", "2026-05-11T09:25:00Z", "", "OBS-77")), kNone);
}

TEST(TravelCorrelation, RemoteUnknownAndOtherUsersAreLeftOut) {
  Harness h;
  h.feed(at("pc1", "2026-05-11T17:00:00Z", "198.51.100.17"));
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T17:02:00Z", "203.0.113.4", "PK-LAPTOP")), kNone);
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T17:03:00Z", "192.0.2.1")), kNone);
  EXPECT_EQ(h.feed(at("pc2", "2026-05-11T17:04:00Z", "198.51.100.140")), kNone);
}

TEST(TravelCorrelation, StateSurvivesARestart) {
  MemoryCorrelationStore store;
  {
    Harness h;
    h.feed(at("pc1", "2026-05-11T14:00:00Z", "198.51.100.17"));
    ASSERT_TRUE(h.engine.checkpoint(store));
  }
  Harness h;
  ASSERT_TRUE(h.engine.restore(store));
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T14:10:00Z", "198.51.100.140")), kTwoSites);
}

TEST(InterleaveCorrelation, TurnsFireAMoveDoesNot) {
  Harness h;
  const char* desks[] = {"KX-1", "KX-2", "KX-1", "KX-2"};
  const char* times[] = {"10:00", "10:03", "10:05", "10:08"};
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(h.feed(at("pc1", std::string("2026-05-11T") + times[i] + ":00Z", "", desks[i])),
              kNone);
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:08:00Z", "", desks[3])), kTwoDesks);

  Harness move;
  for (const char* t : {"10:00", "10:02"})
    move.feed(at("pc1", std::string("2026-05-11T") + t + ":00Z", "", "KX-1"));
  for (const char* t : {"10:04", "10:06", "10:09"})
    EXPECT_EQ(move.feed(at("pc1", std::string("2026-05-11T") + t + ":00Z", "", "KX-2")), kNone);
}

TEST(InterleaveCorrelation, ANameAndItsFqdnAreOneWorkstation) {
  Harness h;
  const char* desks[] = {"KX-1", "kx-1.force.example", "KX-1", "kx-1.force.example", "KX-1"};
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:0" + std::to_string(i) + ":00Z", "", desks[i])),
              kNone);
}

TEST(InterleaveCorrelation, TurnsSpreadBeyondTheWindowDoNotFire) {
  Harness h;
  const char* desks[] = {"KX-1", "KX-2", "KX-1", "KX-2"};
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(h.feed(at("pc1", "2026-05-11T1" + std::to_string(i) + ":00:00Z", "", desks[i])),
              kNone);
}

// Events delivered out of order (a forwarder catching up, a sender spreading messages over
// several connections) at the desk a run already covers are part of that run, not returns.
TEST(InterleaveCorrelation, LateEventsAtTheSameDeskAreNotTurns) {
  Harness h;
  for (const char* t : {"10:00", "10:10"})
    h.feed(at("pc1", std::string("2026-05-11T") + t + ":00Z", "", "KX-1"));
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:12:00Z", "", "KX-2")), kNone);
  // Late: inside KX-1's run, and between KX-1's last event and KX-2's first.
  for (const char* t : {"10:03", "10:05", "10:07", "10:11"})
    EXPECT_EQ(h.feed(at("pc1", std::string("2026-05-11T") + t + ":00Z", "", "KX-1")), kNone) << t;
  // Late at KX-2, after its run's last event so far: the same run, extended.
  for (const char* t : {"10:13", "10:14"})
    EXPECT_EQ(h.feed(at("pc1", std::string("2026-05-11T") + t + ":00Z", "", "KX-2")), kNone) << t;
}

// Real turns still fire when their events come out of order, a late one splitting a run at
// the other desk included.
TEST(InterleaveCorrelation, TurnsFireWhateverOrderTheyArriveIn) {
  Harness h;
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:00:00Z", "", "KX-1")), kNone);
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:03:00Z", "", "KX-2")), kNone);
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:08:00Z", "", "KX-2")), kNone);
  // KX-1 at 10:05 splits KX-2's run: KX-1, KX-2, KX-1, KX-2 in time, two returns.
  EXPECT_EQ(h.feed(at("pc1", "2026-05-11T10:05:00Z", "", "KX-1")), kTwoDesks);

  // Newest first (within the engine's lateness).
  Harness reversed;
  for (const auto& [time, desk] : std::vector<std::pair<const char*, const char*>>{
           {"10:04", "KX-2"}, {"10:03", "KX-1"}, {"10:02", "KX-2"}})
    EXPECT_EQ(reversed.feed(at("pc1", std::string("2026-05-11T") + time + ":00Z", "", desk)), kNone)
        << time;
  EXPECT_EQ(reversed.feed(at("pc1", "2026-05-11T10:01:00Z", "", "KX-1")), kTwoDesks);
}

TEST(PlacesLoad, ReportsMissingAndContradictoryKeys) {
  const std::string base =
      "- detection: located\n  title: L\n  severity: info\n  condition: exists(client.ip)\n";
  EXPECT_NE(load_errors(base + "- correlation: t\n  title: T\n  severity: high\n"
                               "  travel: {of: located, by: user.id}\n")
                .find("a travel correlation needs 'within'"),
            std::string::npos);
  EXPECT_NE(
      load_errors(base + "- correlation: t\n  title: T\n  severity: high\n"
                         "  travel: {of: located, by: user.id, within: 10m, town_within: 1h}\n")
          .find("town_within is longer than within"),
      std::string::npos);
  EXPECT_NE(load_errors(base + "- correlation: t\n  title: T\n  severity: high\n"
                               "  travel: {of: located, by: user.id, within: 1h, speed: 0}\n")
                .find("'speed' is in km/h"),
            std::string::npos);
  EXPECT_NE(load_errors(base + "- correlation: t\n  title: T\n  severity: high\n"
                               "  interleave: {of: located, by: user.id, within: 15m}\n")
                .find("interleave correlation needs 'field'"),
            std::string::npos);
  EXPECT_NE(load_errors(base + "- correlation: t\n  title: T\n  severity: high\n"
                               "  interleave: {of: located, by: user.id, field: client.host, "
                               "within: 15m, speed: 9}\n")
                .find("unknown key 'speed'"),
            std::string::npos);
}
