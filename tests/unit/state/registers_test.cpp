// The registers (business interests, gifts and hospitality, suppliers and tenders): import
// with file:line errors, the look-ups rules make, and opening a database made before the
// registers existed.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <algorithm>

#include "raw_db.h"
#include "state/import.h"
#include "state/store.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

Timestamp register_at(std::string_view text) { return *event::parse_time(text); }

class RegistersTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    store_.reset();
    auto s = Store::open({.dir = dir_.path() / "db"});
    ASSERT_RESULT_OK(s);
    store_ = std::move(*s);
  }

  ImportReport import(ImportKind kind, const std::string& name, const std::string& text,
                      bool replace = false) {
    auto r = import_file(*store_, kind, dir_.write(name, text), {}, replace);
    EXPECT_TRUE(r) << describe(r.error());
    return r ? *r : ImportReport{};
  }

  std::vector<std::string> errors(const ImportReport& report) {
    std::vector<std::string> out;
    for (const auto& e : report.errors) out.push_back(describe(e));
    return out;
  }

  std::string file(const std::string& name) { return (dir_.path() / name).string(); }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace

TEST_F(RegistersTest, BusinessInterestsImportAndLookUp) {
  const auto report = import(ImportKind::business_interests, "bi.csv",
                             "staff_id,business,domain,role,approved,declared_on\n"
                             "PC1,Acme Security Ltd,Acme.co.uk,director,yes,2025-04-01\n"
                             "pc2,Taxi Co,,driver,no,\n");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  EXPECT_EQ(report.rows_loaded, 2u);
  EXPECT_TRUE(store_->has_business_interest("pc1", "ACME.CO.UK"));
  EXPECT_FALSE(store_->has_business_interest("pc2", "acme.co.uk"));
  EXPECT_FALSE(store_->has_business_interest("pc1", "other.co.uk"));
  const auto all = store_->registers().business_interests;
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].business, "Acme Security Ltd");
  EXPECT_TRUE(all[0].approved);
  // Survives a reopen (the in-memory copy is rebuilt from disk).
  reopen();
  EXPECT_TRUE(store_->has_business_interest("PC1", "acme.co.uk"));
}

TEST_F(RegistersTest, BadRowsAreReportedByFileAndLineAndNothingLoads) {
  const auto report = import(ImportKind::business_interests, "bi.csv",
                             "staff_id,business,domain,approved\n"
                             "pc1,Acme,acme.co.uk,yes\n"
                             "pc1,Other,jo@other.co.uk,maybe\n"
                             ",Acme,acme.co.uk,no\n"
                             "pc1,ACME,acme.co.uk,no\n");
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.rows_loaded, 0u);
  const std::string f = file("bi.csv");
  EXPECT_EQ(errors(report), (std::vector<std::string>{
                                f + ":3: domain 'jo@other.co.uk' is not an email domain",
                                f + ":3: approved 'maybe' is not yes or no",
                                f + ":4: staff_id is required",
                                f + ":5: duplicate business interest 'pc1 / acme' (also on line 2)",
                            }));
  EXPECT_FALSE(store_->has_business_interest("pc1", "acme.co.uk"));
}

TEST_F(RegistersTest, GiftsImportValuesAndLatestGift) {
  const auto report = import(ImportKind::gifts, "gifts.csv",
                             "staff_id,offeror,offeror_domain,value,date,accepted\n"
                             "pc1,Acme Ltd,acme.co.uk,45.50,2025-06-01,yes\n"
                             "pc1,Acme Ltd,acme.co.uk,\xC2\xA3"
                             "120,2026-01-10,no\n"
                             "pc1,Acme Ltd,acme.co.uk,7.5,2026-05-01,no\n");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  const auto g = store_->latest_gift("PC1", "ACME.co.uk", register_at("2026-03-01T00:00:00Z"));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->date, register_at("2026-01-10"));
  EXPECT_EQ(g->value_pence, 12000);
  EXPECT_FALSE(g->accepted);
  EXPECT_EQ(g->offeror, "Acme Ltd");
  const auto first = store_->latest_gift("pc1", "acme.co.uk", register_at("2025-12-31T00:00:00Z"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->value_pence, 4550);
  EXPECT_TRUE(first->accepted);
  EXPECT_EQ(
      store_->latest_gift("pc1", "acme.co.uk", register_at("2030-01-01T00:00:00Z"))->value_pence,
      750);
  EXPECT_FALSE(store_->latest_gift("pc1", "acme.co.uk", register_at("2025-01-01T00:00:00Z")));
  EXPECT_FALSE(store_->latest_gift("pc2", "acme.co.uk", register_at("2026-03-01T00:00:00Z")));
  EXPECT_EQ(store_->registers().gifts.size(), 3u);
}

TEST_F(RegistersTest, BadGiftRowsAndJsonLines) {
  const auto report = import(
      ImportKind::gifts, "gifts.jsonl",
      R"({"staff_id": "pc1", "offeror": "Acme", "date": "2026-01-01", "value": 12.5, "accepted": true}
{"staff_id": "pc1", "offeror": "Acme", "value": "12.345", "date": "yesterday"}

{"staff_id": "pc1", "offeror": "Acme", "offeror_domain": "acme.co.uk"}
)");
  EXPECT_FALSE(report.ok());
  const std::string f = file("gifts.jsonl");
  EXPECT_EQ(errors(report),
            (std::vector<std::string>{
                f + ":2: value '12.345' is not an amount in pounds (e.g. 45 or 45.50)",
                f + ":2: date 'yesterday' is not a date (YYYY-MM-DD or RFC 3339)",
                f + ":4: date is required",
            }));
}

TEST_F(RegistersTest, TendersImportAndPanelLookUps) {
  const auto report = import(ImportKind::tenders, "tenders.json", R"([
  {"tender_id": "T-1", "supplier": "Acme Ltd", "supplier_domain": "acme.co.uk",
   "status": "open", "panel": ["PC1", "pc2"], "opens": "2026-01-01", "closes": "2026-06-30"},
  {"tender_id": "T-1", "supplier": "Beta plc", "supplier_domain": "beta.co.uk",
   "status": "open", "panel": "pc3"},
  {"tender_id": "T-0", "supplier": "Gamma", "supplier_domain": "gamma.co.uk",
   "status": "awarded", "panel": "pc1"}
])");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  EXPECT_TRUE(store_->is_open_tender_supplier("ACME.co.uk"));
  EXPECT_TRUE(store_->is_open_tender_supplier("beta.co.uk"));
  EXPECT_FALSE(store_->is_open_tender_supplier("gamma.co.uk"));
  // The panel is the tender's: pc3 (named on Beta's row) also judges Acme.
  EXPECT_TRUE(store_->on_open_tender_panel_with("pc1", "acme.co.uk"));
  EXPECT_TRUE(store_->on_open_tender_panel_with("PC3", "acme.co.uk"));
  EXPECT_TRUE(store_->on_open_tender_panel_with("pc2", "beta.co.uk"));
  EXPECT_FALSE(store_->on_open_tender_panel_with("pc1", "gamma.co.uk"));
  EXPECT_FALSE(store_->on_open_tender_panel_with("pc9", "acme.co.uk"));

  // A full re-import closes T-1.
  const auto again = import(ImportKind::tenders, "tenders2.csv",
                            "tender_id,supplier,supplier_domain,status,panel\n"
                            "T-1,Acme Ltd,acme.co.uk,closed,pc1;pc2\n",
                            /*replace=*/true);
  ASSERT_TRUE(again.ok()) << ::testing::PrintToString(errors(again));
  EXPECT_FALSE(store_->is_open_tender_supplier("acme.co.uk"));
  EXPECT_FALSE(store_->is_open_tender_supplier("beta.co.uk"));
  EXPECT_FALSE(store_->on_open_tender_panel_with("pc1", "acme.co.uk"));
  EXPECT_EQ(store_->registers().tenders.size(), 1u);
}

TEST_F(RegistersTest, BadTenderRows) {
  const auto report = import(ImportKind::tenders, "tenders.csv",
                             "tender_id,supplier,supplier_domain,status,opens,closes\n"
                             "T-1,Acme,acme.co.uk,open,,\n"
                             "T-1,Beta,beta.co.uk,closed,,\n"
                             "T-2,Gamma,,pending,2026-02-01,2026-01-01\n");
  EXPECT_FALSE(report.ok());
  const std::string f = file("tenders.csv");
  EXPECT_EQ(errors(report), (std::vector<std::string>{
                                f + ":3: tender 't-1' is open on line 2 but closed here",
                                f + ":4: supplier_domain is required",
                                f + ":4: status 'pending' is not one of open, awarded, closed",
                                f + ":4: closes is before opens",
                            }));
  EXPECT_FALSE(store_->is_open_tender_supplier("acme.co.uk"));
}

TEST_F(RegistersTest, SitesImportFromCsvAndJson) {
  const auto report = import(ImportKind::sites, "sites.csv",
                             "match,site_id,town,building,remote,latitude,longitude\n"
                             "NMC-HAR-*,nm-har,Harwick,HARWICK POLICE STATION,FALSE,54.453,-1.601\n"
                             "172.31.128.0/18,nm-vpn,,AGILE WORKING,TRUE,,\n");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  EXPECT_EQ(report.rows_loaded, 2u);
  const auto har = store_->site_of("", "nmc-har-pc0412.northmoor.police.uk");
  ASSERT_TRUE(har);
  EXPECT_EQ(har->building, "HARWICK POLICE STATION");
  EXPECT_EQ(har->latitude, "54.453");
  ASSERT_TRUE(store_->site_of("172.31.130.4", "NMC-HAR-PC1"));
  EXPECT_TRUE(store_->site_of("172.31.130.4", "NMC-HAR-PC1")->remote);

  const auto json =
      import(ImportKind::sites, "sites.json",
             R"([{"site_id": "hq", "match": "fd4e:4d43:10::/48", "town": "Ravensfield",
                                "latitude": 54.2101, "longitude": -1.9502}])");
  ASSERT_TRUE(json.ok()) << ::testing::PrintToString(errors(json));
  ASSERT_TRUE(store_->site_of("fd4e:4d43:10:3::20", ""));
  EXPECT_EQ(store_->site_of("fd4e:4d43:10:3::20", "")->longitude, "-1.9502");

  const auto bad = import(ImportKind::sites, "bad.csv",
                          "site_id,match,town\n"
                          "a,10.1.2.0/16,X\n"
                          "b,WS 1,Y\n");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors.size(), 2u);
}

TEST_F(RegistersTest, SubjectAddressesImportFromCsvAndJson) {
  const auto report = import(ImportKind::subject_addresses, "subject_addresses.csv",
                             "subject_id,address,system\n"
                             "P0012345,\"Flat 2, 14 Moor Road, Harwick, NM2 4LB\",\n"
                             "P0012345,3 DALE VIEW OXLEY,PNC\n");
  ASSERT_TRUE(report.ok()) << ::testing::PrintToString(errors(report));
  EXPECT_EQ(report.rows_loaded, 2u);
  EXPECT_EQ(store_->subject_address("pnc", "p0012345"), "3 DALE VIEW OXLEY");
  EXPECT_EQ(store_->subject_address("Niche", "P0012345"), "Flat 2, 14 Moor Road, Harwick, NM2 4LB");

  const auto json =
      import(ImportKind::subject_addresses, "subject_addresses.json",
             R"([{"subject_id": "N-77", "address": "1 Mill Lane", "system": "Niche"}])");
  ASSERT_TRUE(json.ok()) << ::testing::PrintToString(errors(json));
  EXPECT_EQ(store_->subject_address("niche", "n-77"), "1 Mill Lane");
  EXPECT_FALSE(store_->subject_address("pnc", "n-77"));

  const auto bad = import(ImportKind::subject_addresses, "bad.csv",
                          "subject_id,address,system\n"
                          "P1,,pnc\n"
                          "P2,2 Mill Lane,\n"
                          "p2,4 Mill Lane,\n");
  EXPECT_FALSE(bad.ok());
  const std::string f = file("bad.csv");
  EXPECT_EQ(errors(bad), (std::vector<std::string>{
                             f + ":2: address is required",
                             f + ":4: duplicate subject id 'p2 (any system)' (also on line 3)",
                         }));
}

TEST(RegisterImportKinds, ParseAndPrint) {
  EXPECT_EQ(*import_kind_from_string("Business_Interests"), ImportKind::business_interests);
  EXPECT_EQ(*import_kind_from_string("hospitality"), ImportKind::gifts);
  EXPECT_EQ(*import_kind_from_string("tender"), ImportKind::tenders);
  EXPECT_EQ(to_string(ImportKind::gifts), "gifts");
  EXPECT_EQ(*import_kind_from_string("subject_address"), ImportKind::subject_addresses);
  EXPECT_EQ(to_string(ImportKind::subject_addresses), "subject_addresses");
}

// A database written before the registers existed: the three families are missing.
TEST(RegistersOldDatabase, OpensReadOnlyAsEmptyAndReadWriteAddsTheFamilies) {
  TempDir dir;
  const auto db_dir = dir.path() / "db";
  {
    auto s = Store::open({.dir = db_dir});
    ASSERT_RESULT_OK(s);
    ASSERT_RESULT_OK((*s)->put_list("watch", {"x"}, true));
  }
  with_raw_db(db_dir, [](rocksdb::DB& db, const RawFamilies& cf) {
    for_each_register([&](const auto& reg) {
      EXPECT_TRUE(db.DropColumnFamily(cf.at(std::string(reg.table))).ok());
    });
  });
  {
    std::vector<std::string> names;
    ASSERT_TRUE(
        rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_dir.string(), &names).ok());
    ASSERT_EQ(std::count(names.begin(), names.end(), "gifts"), 0);
  }
  {
    auto ro = Store::open({.dir = db_dir, .read_only = true});
    ASSERT_RESULT_OK(ro);
    EXPECT_TRUE((*ro)->in_list("watch", "x"));
    EXPECT_FALSE((*ro)->is_open_tender_supplier("acme.co.uk"));
    EXPECT_TRUE((*ro)->registers().gifts.empty());
    EXPECT_EQ((*ro)->unreadable_values(), 0u);
  }
  auto rw = Store::open({.dir = db_dir});
  ASSERT_RESULT_OK(rw);
  EXPECT_TRUE((*rw)->in_list("watch", "x"));
  ASSERT_RESULT_OK((*rw)->put_register(
      ImportKind::business_interests,
      {.business_interests = {{"pc1", "Acme", "acme.co.uk", "", true, std::nullopt}}}));
  EXPECT_TRUE((*rw)->has_business_interest("pc1", "acme.co.uk"));
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), db_dir.string(), &names).ok());
  EXPECT_EQ(std::count(names.begin(), names.end(), "tenders"), 1);
}
