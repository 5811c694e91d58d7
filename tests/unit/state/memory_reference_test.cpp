// MemoryReference and the RocksDB Store, loaded with the same rows, give the same answer to
// every ReferenceData question (the registers through the one RegisterIndex), including a
// tender whose panel is spread over its bidders' rows.
#include <gtest/gtest.h>

#include "state/memory_reference.h"
#include "state/store.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

Timestamp at(std::string_view text) { return *event::parse_time(text); }

ReferenceTables sample_rows() {
  ReferenceTables t;
  StaffRecord pc1;
  pc1.id = "PC1";
  pc1.surname = "Hartley";
  pc1.emails = {"James.Hartley@Force.Example", "jh@force.example"};
  pc1.vetting.level = VettingLevel::nppv2;
  StaffRecord pc2;
  pc2.id = "pc2";
  pc2.surname = "Ng";
  pc2.hr_status = HrStatus::suspended;
  t.staff = {pc1, pc2};

  Association family{"pc1", "P9", "Pat Smith", AssociationKind::family, std::nullopt};
  Association media{"PC1", "p9", "Pat Smith", AssociationKind::media, std::nullopt};
  Association pi{"pc2", "firm.example", "Firm", AssociationKind::private_investigator, {}};
  t.associations = {family, media, pi};
  t.systems = {{"PND", VettingLevel::nppv3}, {"niche", VettingLevel::rv}};
  t.lists = {{"media_domains", {"News.Example", "paper.example"}}, {"empty_list", {}}};

  t.business_interests = {{"pc1", "Acme Ltd", "Acme.co.uk", "director", true, std::nullopt},
                          {"pc2", "No Domain Ltd", "", "", false, std::nullopt}};
  t.gifts = {{"pc1", "Acme Ltd", "acme.co.uk", 4500, at("2026-01-10T00:00:00Z"), true},
             {"PC1", "Acme Ltd", "ACME.co.uk", 1000, at("2026-03-01T00:00:00Z"), false}};
  // Tender T-1: pc1 sits on the panel only on Beta's row; a panel is per tender, so pc1 is
  // on the panel Acme bids to as well.
  TenderBid acme{"T-1", "Acme Ltd", "acme.co.uk", TenderStatus::open, {}, {}, {}};
  TenderBid beta{"t-1", "Beta plc", "beta.example", TenderStatus::open, {"PC1"}, {}, {}};
  TenderBid closed{"T-2", "Gamma", "gamma.example", TenderStatus::awarded, {"pc2"}, {}, {}};
  t.tenders = {acme, beta, closed};

  HighProfilePerson striker;
  striker.ref = "HP-1";
  striker.surname = "O'Brien";
  striker.forenames = "Sean";
  striker.dob = "1995-07-02";
  striker.ids = {"P0012345", "nn0012345"};
  striker.address = "Flat 2, 14 Moor Road, Harwick, NM2 4LB";
  HighProfilePerson mp;
  mp.ref = "hp-2";
  mp.surname = "Smith-Jones";
  mp.forenames = "Anna";
  mp.aliases = "Anna Jones";
  mp.address = "3 Dale View, Exton";
  t.high_profile = {striker, mp};
  t.sites = {
      {"EXW-WYF", "10.43.0.0/16", "Wyford Police Station", "Wyford", "52.35", "-1.19", false},
      {"exw-wyc", "10.43.16.0/20", "Wyford Custody Suite", "Wyford", "", "", false},
      {"EXW-EXC", "EXC-WS-*", "Exton Central", "Exton", "", "", false},
      {"vpn", "2001:db8:fe::/48", "", "", "", "", true}};
  t.subject_addresses = {{"P0012345", "14 MOOR RD HARWICK NM2 4LB", ""},
                         {"p0012345", "3 Dale View, Oxley", "PNC"},
                         {"N-77", "Flat 1, 2 Mill Lane", "niche"}};
  return t;
}

class MemoryVersusStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open({.dir = dir_.path() / "db"});
    ASSERT_RESULT_OK(s);
    store_ = std::move(*s);
    const ReferenceTables rows = sample_rows();
    ASSERT_RESULT_OK(store_->put_staff(rows.staff));
    ASSERT_RESULT_OK(store_->put_associations(rows.associations));
    ASSERT_RESULT_OK(store_->put_systems(rows.systems));
    for (const auto& [name, values] : rows.lists)
      ASSERT_RESULT_OK(store_->put_list(name, values, /*replace=*/true));
    for_each_register(
        [&](const auto& reg) { ASSERT_RESULT_OK(store_->put_register(reg.kind, rows)); });
    memory_.add(rows);
  }

  /// Asks both the same question and expects the same answer; returns it.
  template <class Ask>
  auto both(Ask ask) {
    const auto from_memory = ask(static_cast<const ReferenceData&>(memory_));
    const auto from_store = ask(static_cast<const ReferenceData&>(*store_));
    EXPECT_EQ(from_memory, from_store);
    return from_memory;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  MemoryReference memory_;
};

std::optional<std::string> id_of(const std::shared_ptr<const StaffRecord>& r) {
  if (!r) return std::nullopt;
  return r->id;
}

}  // namespace

TEST_F(MemoryVersusStore, StaffByIdAndByEmail) {
  EXPECT_EQ(both([](const ReferenceData& r) { return id_of(r.staff("pc1")); }), "pc1");
  EXPECT_EQ(both([](const ReferenceData& r) { return id_of(r.staff("PC2")); }), "pc2");
  EXPECT_EQ(both([](const ReferenceData& r) { return id_of(r.staff("pc9")); }), std::nullopt);
  EXPECT_EQ(both([](const ReferenceData& r) {
              return id_of(r.staff_by_email("james.hartley@force.example"));
            }),
            "pc1");
  EXPECT_EQ(
      both([](const ReferenceData& r) { return id_of(r.staff_by_email("JH@force.example")); }),
      "pc1");
  EXPECT_EQ(both([](const ReferenceData& r) { return id_of(r.staff_by_email("x@y.example")); }),
            std::nullopt);
  both([](const ReferenceData& r) { return r.staff("pc2")->hr_status; });
  both([](const ReferenceData& r) { return r.staff("pc1")->emails; });
}

TEST_F(MemoryVersusStore, AssociationsByKind) {
  using K = AssociationKind;
  EXPECT_TRUE(both([](const ReferenceData& r) { return r.associated("PC1", "p9", std::nullopt); }));
  EXPECT_TRUE(both([](const ReferenceData& r) { return r.associated("pc1", "P9", K::family); }));
  EXPECT_TRUE(both([](const ReferenceData& r) { return r.associated("pc1", "p9", K::media); }));
  EXPECT_FALSE(both([](const ReferenceData& r) { return r.associated("pc1", "p9", K::criminal); }));
  EXPECT_TRUE(both([](const ReferenceData& r) {
    return r.associated("pc2", "firm.example", K::private_investigator);
  }));
  EXPECT_FALSE(
      both([](const ReferenceData& r) { return r.associated("pc2", "p9", std::nullopt); }));
}

TEST_F(MemoryVersusStore, SystemsAndLists) {
  EXPECT_EQ(both([](const ReferenceData& r) { return r.system_required_vetting("pnd"); }),
            VettingLevel::nppv3);
  EXPECT_EQ(both([](const ReferenceData& r) { return r.system_required_vetting("Niche"); }),
            VettingLevel::rv);
  EXPECT_EQ(both([](const ReferenceData& r) { return r.system_required_vetting("other"); }),
            std::nullopt);
  EXPECT_TRUE(
      both([](const ReferenceData& r) { return r.in_list("MEDIA_DOMAINS", "news.example"); }));
  EXPECT_FALSE(
      both([](const ReferenceData& r) { return r.in_list("media_domains", "x.example"); }));
  EXPECT_TRUE(both([](const ReferenceData& r) { return r.list_exists("empty_list"); }));
  EXPECT_FALSE(both([](const ReferenceData& r) { return r.in_list("empty_list", ""); }));
  EXPECT_FALSE(both([](const ReferenceData& r) { return r.list_exists("no_such_list"); }));
}

TEST_F(MemoryVersusStore, BusinessInterestsAndGifts) {
  EXPECT_TRUE(
      both([](const ReferenceData& r) { return r.has_business_interest("PC1", "acme.co.uk"); }));
  EXPECT_FALSE(both([](const ReferenceData& r) { return r.has_business_interest("pc2", ""); }));
  const auto date_of = [](const std::optional<Gift>& g) {
    return g ? std::optional<Timestamp>(g->date) : std::nullopt;
  };
  EXPECT_EQ(both([&](const ReferenceData& r) {
              return date_of(r.latest_gift("pc1", "acme.co.uk", at("2026-12-31T00:00:00Z")));
            }),
            at("2026-03-01T00:00:00Z"));
  EXPECT_EQ(both([&](const ReferenceData& r) {
              return date_of(r.latest_gift("pc1", "ACME.CO.UK", at("2026-02-01T00:00:00Z")));
            }),
            at("2026-01-10T00:00:00Z"));
  EXPECT_EQ(both([&](const ReferenceData& r) {
              return date_of(r.latest_gift("pc1", "acme.co.uk", at("2025-12-31T00:00:00Z")));
            }),
            std::nullopt);
}

TEST_F(MemoryVersusStore, TenderPanelIsTheUnionOfTheTendersRows) {
  // pc1 is on T-1's panel through Beta's row; Acme bids for T-1 too.
  EXPECT_TRUE(both(
      [](const ReferenceData& r) { return r.on_open_tender_panel_with("pc1", "acme.co.uk"); }));
  EXPECT_TRUE(both(
      [](const ReferenceData& r) { return r.on_open_tender_panel_with("PC1", "beta.example"); }));
  // T-2 is awarded: neither its panel nor its bidder count.
  EXPECT_FALSE(both(
      [](const ReferenceData& r) { return r.on_open_tender_panel_with("pc2", "gamma.example"); }));
  EXPECT_FALSE(
      both([](const ReferenceData& r) { return r.is_open_tender_supplier("gamma.example"); }));
  EXPECT_TRUE(both([](const ReferenceData& r) { return r.is_open_tender_supplier("Acme.co.uk"); }));
}

TEST_F(MemoryVersusStore, LaterRowsReplaceEarlierOnesAlike) {
  StaffRecord moved;
  moved.id = "pc2";
  moved.surname = "Ng";
  moved.emails = {"jh@force.example"};  // the alias moves to pc2: the last write wins
  ASSERT_RESULT_OK(store_->put_staff({moved}));
  memory_.add({.staff = {moved}});
  EXPECT_EQ(
      both([](const ReferenceData& r) { return id_of(r.staff_by_email("jh@force.example")); }),
      "pc2");
  EXPECT_EQ(both([](const ReferenceData& r) {
              return id_of(r.staff_by_email("james.hartley@force.example"));
            }),
            "pc1");
  TenderBid awarded{"T-1", "Acme Ltd", "acme.co.uk", TenderStatus::awarded, {}, {}, {}};
  ASSERT_RESULT_OK(store_->put_register(ImportKind::tenders, {.tenders = {awarded}}));
  memory_.add({.tenders = {awarded}});
  EXPECT_FALSE(
      both([](const ReferenceData& r) { return r.is_open_tender_supplier("acme.co.uk"); }));
}

/// The refs of high-profile candidates, for comparing the two implementations.
std::vector<std::string> refs(const std::vector<HighProfilePerson>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.ref);
  return out;
}

TEST_F(MemoryVersusStore, HighProfileCandidatesByIdNameAndAddress) {
  using V = std::vector<std::string>;
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_with_id("NN0012345")); }),
            V{"hp-1"});
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_with_id("P9")); }), V{});
  // Surname keys: joined particle, a barrel, an alias's words; not a forename alone.
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_named("OBRIEN SEAN")); }),
            V{"hp-1"});
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_named("o brien")); }),
            V{"hp-1"});
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_named("JONES, A")); }),
            V{"hp-2"});
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_named("Sean")); }), V{});
  // Addresses: by postcode written without its space, or by house number and street.
  EXPECT_EQ(
      both([](const ReferenceData& r) { return refs(r.high_profile_at("2 14 MOOR RD NM24LB")); }),
      V{"hp-1"});
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_at("3 DALE VW")); }),
            V{"hp-2"});
  EXPECT_EQ(both([](const ReferenceData& r) { return refs(r.high_profile_at("no number")); }), V{});
}

TEST_F(MemoryVersusStore, SitesByLongestRangeThenWorkstation) {
  auto site_id = [](std::string_view ip, std::string_view host) {
    return [=](const ReferenceData& r) {
      const auto s = r.site_of(ip, host);
      return s ? s->site_id + (s->remote ? " (remote)" : "") : std::string("-");
    };
  };
  EXPECT_EQ(both(site_id("10.43.2.1", "")), "exw-wyf");
  EXPECT_EQ(both(site_id("10.43.17.1", "EXC-WS-0001")), "exw-wyc");
  EXPECT_EQ(both(site_id("192.0.2.1", "exc-ws-0001.force.example")), "exw-exc");
  EXPECT_EQ(both(site_id("2001:db8:fe:1::9", "EXC-WS-0001")), "vpn (remote)");
  EXPECT_EQ(both(site_id("", "")), "-");
}

TEST_F(MemoryVersusStore, SubjectAddressBySystemThenAnySystem) {
  auto address = [](std::string_view system, std::string_view id) {
    return [=](const ReferenceData& r) { return r.subject_address(system, id).value_or("-"); };
  };
  EXPECT_EQ(both(address("PNC", "P0012345")), "3 Dale View, Oxley");
  EXPECT_EQ(both(address("athena", "p0012345")), "14 MOOR RD HARWICK NM2 4LB");
  EXPECT_EQ(both(address("", "p0012345")), "14 MOOR RD HARWICK NM2 4LB");
  EXPECT_EQ(both(address("NICHE", "n-77")), "Flat 1, 2 Mill Lane");
  EXPECT_EQ(both(address("pnc", "n-77")), "-");  // a system's row is that system's only
  EXPECT_EQ(both(address("pnc", "")), "-");
  const SubjectAddress moved{"P0012345", "9 New Street, Exton", "pnc"};
  ASSERT_RESULT_OK(
      store_->put_register(ImportKind::subject_addresses, {.subject_addresses = {moved}}));
  memory_.add({.subject_addresses = {moved}});
  EXPECT_EQ(both(address("PNC", "P0012345")), "9 New Street, Exton");
}

TEST(MemoryReference, EmptyAnswersNoToEverything) {
  const MemoryReference none;
  EXPECT_FALSE(none.staff("pc1"));
  EXPECT_FALSE(none.staff_by_email("a@b.example"));
  EXPECT_FALSE(none.associated("pc1", "p1"));
  EXPECT_FALSE(none.system_required_vetting("pnd"));
  EXPECT_FALSE(none.in_list("l", "v"));
  EXPECT_FALSE(none.list_exists("l"));
  EXPECT_FALSE(none.has_business_interest("pc1", "a.example"));
  EXPECT_FALSE(none.latest_gift("pc1", "a.example", at("2026-01-01T00:00:00Z")));
  EXPECT_FALSE(none.on_open_tender_panel_with("pc1", "a.example"));
  EXPECT_FALSE(none.is_open_tender_supplier("a.example"));
  EXPECT_FALSE(none.subject_address("pnc", "p1"));
}

TEST(MemoryReference, AListAddedLaterReplacesTheListOfThatName) {
  MemoryReference ref({.lists = {{"watch", {"p1", "p2"}}}});
  ref.add({.lists = {{"WATCH", {"p3"}}}});
  EXPECT_FALSE(ref.in_list("watch", "p1"));
  EXPECT_TRUE(ref.in_list("watch", "P3"));
}
