// The sites table: address ranges (IPv4 and IPv6) and workstation patterns, longest prefix
// first; the row checks import files and inline tests share; and both ReferenceData
// implementations answering site_of alike.
#include <gtest/gtest.h>

#include "state/memory_reference.h"
#include "state/reference_rows.h"
#include "state/site_index.h"

using namespace probity::state;

namespace {

SiteRange site(std::string id, std::string match, std::string town = "Lindvale",
               bool remote = false) {
  SiteRange r;
  r.site_id = std::move(id);
  r.match = std::move(match);
  r.town = std::move(town);
  r.remote = remote;
  return r;
}

std::string found(const SiteIndex& index, std::string_view ip, std::string_view host) {
  const SiteRange* s = index.find(ip, host);
  return s ? s->site_id : "-";
}

std::vector<std::string> problems_of(std::vector<std::pair<std::string, std::string>> fields,
                                     RowSource source = RowSource::import_file) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  validate_rows(ImportKind::sites, {ReferenceRow{2, std::move(fields)}}, source, out, problems);
  std::vector<std::string> text;
  for (const auto& p : problems) text.push_back(p.column + ": " + p.message);
  return text;
}

}  // namespace

TEST(SiteRanges, ParsesIpv4AndIpv6RangesAndRefusesHostBits) {
  const auto v4 = parse_ip_range("10.43.16.0/20");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->bits, 96u + 20u);
  const auto v6 = parse_ip_range("2001:db8:40::/48");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->bits, 48u);
  EXPECT_EQ(parse_ip_range("192.0.2.7")->bits, 128u);  // one host
  EXPECT_FALSE(parse_ip_range("10.43.17.0/20"));       // host bits set: a typo, not a range
  EXPECT_FALSE(parse_ip_range("10.43.0.0/33"));
  EXPECT_FALSE(parse_ip_range("10.43.0.0/"));
  EXPECT_FALSE(parse_ip_range("EXW-WS-*"));
  EXPECT_FALSE(parse_ip_range(std::string(200, '1')));
  EXPECT_TRUE(parse_ip("[2001:db8::1]"));
  EXPECT_TRUE(parse_ip("fe80::1%eth0"));
  EXPECT_FALSE(parse_ip("10.1.2"));
}

TEST(SiteRanges, LongestPrefixWinsAcrossIpv4AndIpv6) {
  const SiteIndex index({site("station", "10.43.0.0/16"), site("custody", "10.43.16.0/20"),
                         site("campus", "2001:db8:40::/48"), site("annexe", "2001:db8:40:9::/64"),
                         site("desk", "10.43.16.5")});
  EXPECT_EQ(found(index, "10.43.1.9", ""), "station");
  EXPECT_EQ(found(index, "10.43.17.9", ""), "custody");
  EXPECT_EQ(found(index, "10.43.16.5", ""), "desk");
  EXPECT_EQ(found(index, "10.44.0.1", ""), "-");
  EXPECT_EQ(found(index, "2001:db8:40:1::20", ""), "campus");
  EXPECT_EQ(found(index, "2001:DB8:40:9::7", ""), "annexe");
  EXPECT_EQ(found(index, "::ffff:10.43.17.9", ""), "custody");  // IPv4-mapped is IPv4
  EXPECT_EQ(found(index, "not an address", ""), "-");
}

TEST(SiteRanges, WorkstationPatternsExactThenLongestPrefixAddressFirst) {
  const SiteIndex index({site("garth", "gh-*"), site("garth-cid", "GH-CID-*"),
                         site("front", "gh-cid-front"), site("vpn", "203.0.113.0/24", "", true)});
  EXPECT_EQ(found(index, "", "GH-DESK-118"), "garth");
  EXPECT_EQ(found(index, "", "gh-cid-0091.corp.example"), "garth-cid");
  EXPECT_EQ(found(index, "", "GH-CID-FRONT"), "front");
  EXPECT_EQ(found(index, "", "G"), "-");
  EXPECT_EQ(found(index, "", std::string(300, 'g')), "-");
  // The address says where the connection enters: a laptop named for a station, on the VPN.
  EXPECT_EQ(found(index, "203.0.113.44", "GH-LT-7"), "vpn");
  EXPECT_EQ(found(index, "198.51.100.1", "GH-LT-7"), "garth");
  EXPECT_EQ(found(index, "", ""), "-");
}

TEST(SiteRows, ImportReadsEveryColumnAndChecksThem) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  ASSERT_TRUE(validate_rows(
      ImportKind::sites,
      {ReferenceRow{2,
                    {{"site_id", "EXW-WYC"},
                     {"match", "EXW-WS-*"},
                     {"building", "Wyford Custody Suite"},
                     {"town", "Wyford"},
                     {"latitude", "52.3530"},
                     {"longitude", "-1.2010"},
                     {"remote", "no"}}},
       ReferenceRow{3, {{"site_id", "vpn"}, {"match", "10.250.0.0/16"}, {"remote", "TRUE"}}}},
      RowSource::import_file, out, problems));
  ASSERT_EQ(out.sites.size(), 2u);
  EXPECT_EQ(out.sites[0].site_id, "exw-wyc");
  EXPECT_EQ(out.sites[0].match, "exw-ws-*");
  EXPECT_EQ(out.sites[0].latitude, "52.3530");
  EXPECT_TRUE(out.sites[1].remote);  // a remote range needs no town
  EXPECT_TRUE(out.sites[1].town.empty());

  EXPECT_EQ(problems_of({{"site_id", "a"}, {"match", "10.1.0.0/16"}}),
            std::vector<std::string>{"town: town is required"});
  EXPECT_TRUE(
      problems_of({{"site_id", "a"}, {"match", "10.1.0.0/16"}}, RowSource::inline_test).empty());
  EXPECT_EQ(problems_of({{"site_id", "a"}, {"match", "EXW WS*"}, {"town", "X"}}).size(), 1u);
  EXPECT_EQ(problems_of({{"site_id", "a"}, {"match", "EXW-*-12"}, {"town", "X"}}).size(), 1u);
  EXPECT_EQ(problems_of({{"site_id", "a"}, {"match", "10.1.2.0/16"}, {"town", "X"}}).size(), 1u);
  EXPECT_EQ(problems_of({{"site_id", "a"}, {"match", "a-*"}, {"town", "X"}, {"latitude", "52"}}),
            std::vector<std::string>{
                "longitude: latitude and longitude are given together or not at all"});
  EXPECT_EQ(problems_of({{"site_id", "a"},
                         {"match", "a-*"},
                         {"town", "X"},
                         {"latitude", "91"},
                         {"longitude", "0"}}),
            std::vector<std::string>{"latitude: latitude '91' is not -90..90 degrees"});
  EXPECT_EQ(
      problems_of({{"site_id", "a"}, {"match", "a-*"}, {"town", "X"}, {"remote", "maybe"}}).size(),
      1u);
}

TEST(SiteRows, OneRangeBelongsToOneSite) {
  ReferenceTables out;
  std::vector<RowProblem> problems;
  EXPECT_FALSE(
      validate_rows(ImportKind::sites,
                    {ReferenceRow{2, {{"site_id", "a"}, {"match", "10.1.0.0/16"}, {"town", "X"}}},
                     ReferenceRow{3, {{"site_id", "b"}, {"match", "10.1.0.0/16"}, {"town", "Y"}}}},
                    RowSource::import_file, out, problems));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 3u);
  EXPECT_EQ(out.sites.size(), 1u);
}

TEST(SiteRows, MemoryReferenceAnswersSiteOf) {
  MemoryReference ref;
  ref.add({.sites = {site("garth", "GH-*", "Garthby"), site("vpn", "203.0.113.0/24", "", true)}});
  const auto s = ref.site_of("", "gh-desk-1");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->town, "Garthby");
  ASSERT_TRUE(ref.site_of("203.0.113.9", ""));
  EXPECT_TRUE(ref.site_of("203.0.113.9", "")->remote);
  EXPECT_FALSE(ref.site_of("192.0.2.1", "laptop-1"));
}

TEST(SiteRanges, DistanceIsGreatCircle) {
  // Lindvale to Penkirk in the rule pack's tests: about 40 km.
  EXPECT_NEAR(distance_km(53.40, -2.10, 53.05, -2.25), 40.1, 0.5);
  EXPECT_DOUBLE_EQ(distance_km(52.0, -1.0, 52.0, -1.0), 0.0);
  EXPECT_FALSE(parse_degrees("52,1", 90));
  EXPECT_FALSE(parse_degrees("nan", 90));
  EXPECT_EQ(parse_degrees("+52.5", 90), 52.5);
}
