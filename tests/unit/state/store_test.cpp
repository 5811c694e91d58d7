// Store behaviour on a real RocksDB in a temporary directory: persistence, case-insensitive
// keys, reference look-ups, runtime tables, atomic batches, schema checks, read-only opens.
#include "state/store.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <atomic>
#include <thread>

#include "state/describe.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

StaffRecord staff_member(std::string id, std::vector<std::string> emails) {
  StaffRecord r;
  r.id = std::move(id);
  r.surname = "Smith";
  r.forenames = "Jo";
  r.emails = std::move(emails);
  r.vetting.level = VettingLevel::nppv2;
  r.vetting.expires = event::parse_time("2027-01-31");
  return r;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen(bool read_only = false) {
    store_.reset();
    auto s = Store::open({.dir = dir_.path() / "db", .read_only = read_only});
    ASSERT_RESULT_OK(s);
    store_ = std::move(*s);
  }

  std::vector<std::string> keys(RuntimeTable t, std::string_view prefix) {
    std::vector<std::string> out;
    auto r = store_->scan(t, prefix, [&](std::string_view k, std::string_view) {
      out.emplace_back(k);
      return true;
    });
    EXPECT_RESULT_OK(r);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// Opens the raw RocksDB under a store directory with every family, to tamper with it.
struct RawDb {
  explicit RawDb(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DBOptions o;
    const auto s = rocksdb::DB::Open(o, dir.string(), cfs, &handles, &db);
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (std::size_t i = 0; i < names.size(); ++i) by_name[names[i]] = handles[i];
  }
  ~RawDb() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    db->Close().PermitUncheckedError();
    delete db;
  }
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name;
};

}  // namespace

TEST_F(StoreTest, PersistsReferenceAndRuntimeDataAcrossReopen) {
  ASSERT_RESULT_OK(store_->put_staff({staff_member("PC1234", {"Jo.Smith@Force.police.uk"})}));
  ASSERT_RESULT_OK(store_->put_list("media_domains", {"dailybugle.example"}, false));
  ASSERT_RESULT_OK(store_->put(RuntimeTable::alerts, "a1", "{\"x\":1}", /*sync=*/true));
  reopen();
  const auto r = store_->staff("pc1234");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->surname, "Smith");
  EXPECT_EQ(r->vetting.level, VettingLevel::nppv2);
  EXPECT_EQ(r->vetting.expires, event::parse_time("2027-01-31"));
  EXPECT_FALSE(r->leaving_date);
  EXPECT_TRUE(store_->in_list("media_domains", "dailybugle.example"));
  auto v = store_->get(RuntimeTable::alerts, "a1");
  ASSERT_RESULT_OK(v);
  EXPECT_EQ(*v, std::optional<std::string>("{\"x\":1}"));
}

TEST_F(StoreTest, LooksUpIdentifiersCaseInsensitively) {
  ASSERT_RESULT_OK(store_->put_staff({staff_member("PC1234", {"Jo.Smith@Force.police.uk"})}));
  ASSERT_RESULT_OK(store_->put_systems({{"PNC", VettingLevel::nppv2}}));
  ASSERT_RESULT_OK(store_->put_list("Media_Domains", {"DailyBugle.Example"}, false));
  ASSERT_TRUE(store_->staff("Pc1234"));
  EXPECT_EQ(store_->staff("PC1234")->id, "pc1234");
  EXPECT_EQ(store_->staff("pc1234")->emails, std::vector<std::string>{"jo.smith@force.police.uk"});
  EXPECT_EQ(store_->system_required_vetting("pnc"), VettingLevel::nppv2);
  EXPECT_FALSE(store_->system_required_vetting("pnd"));
  EXPECT_TRUE(store_->in_list("MEDIA_DOMAINS", "dailybugle.EXAMPLE"));
  EXPECT_FALSE(store_->in_list("media_domains", "dailybugle"));
  EXPECT_FALSE(store_->staff("pc9999"));
}

TEST_F(StoreTest, ResolvesStaffByEmailAliasAndDropsRemovedAliases) {
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc1", {"a@force.uk", "b@force.uk"})}));
  ASSERT_TRUE(store_->staff_by_email("B@Force.UK"));
  EXPECT_EQ(store_->staff_by_email("b@force.uk")->id, "pc1");
  EXPECT_FALSE(store_->staff_by_email("nobody@force.uk"));

  // An update without alias b removes it; an alias moved to another member follows it.
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc1", {"a@force.uk"})}));
  EXPECT_FALSE(store_->staff_by_email("b@force.uk"));
  ASSERT_RESULT_OK(
      store_->put_staff({staff_member("pc1", {}), staff_member("pc2", {"a@force.uk"})}));
  ASSERT_TRUE(store_->staff_by_email("a@force.uk"));
  EXPECT_EQ(store_->staff_by_email("a@force.uk")->id, "pc2");
}

TEST_F(StoreTest, ReplacingStaffRemovesMembersNotInTheNewSet) {
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc1", {"a@x.uk"}), staff_member("pc2", {})}));
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc2", {"b@x.uk"})}, /*replace=*/true));
  EXPECT_FALSE(store_->staff("pc1"));
  EXPECT_FALSE(store_->staff_by_email("a@x.uk"));
  EXPECT_TRUE(store_->staff_by_email("b@x.uk"));
}

TEST_F(StoreTest, AssociatedWithAndWithoutKind) {
  const auto declared = event::parse_time("2024-05-01");
  ASSERT_RESULT_OK(store_->put_associations({
      {"PC1", "P-77", "Ann Reporter", AssociationKind::media, declared},
      {"pc1", "p-77", "Ann Reporter", AssociationKind::family, std::nullopt},
      {"pc12", "p-99", "Other", AssociationKind::criminal, std::nullopt},
  }));
  EXPECT_TRUE(store_->associated("pc1", "P-77"));
  EXPECT_TRUE(store_->associated("PC1", "p-77", AssociationKind::media));
  EXPECT_TRUE(store_->associated("pc1", "p-77", AssociationKind::family));
  EXPECT_FALSE(store_->associated("pc1", "p-77", AssociationKind::criminal));
  EXPECT_FALSE(store_->associated("pc1", "p-99"));

  // The prefix scan for pc1 must not leak pc12's rows.
  const auto of = store_->associations_of("PC1");
  ASSERT_EQ(of.size(), 2u);
  EXPECT_EQ(of[0].party_id, "p-77");
  EXPECT_EQ(of[0].kind, AssociationKind::media);
  EXPECT_EQ(of[0].declared_on, declared);
  EXPECT_EQ(of[1].kind, AssociationKind::family);

  // Re-declaring a kind updates that entry; other kinds stay.
  ASSERT_RESULT_OK(
      store_->put_associations({{"pc1", "p-77", "Ann R.", AssociationKind::media, std::nullopt}}));
  ASSERT_EQ(store_->associations_of("pc1").size(), 2u);
  EXPECT_EQ(store_->associations_of("pc1")[0].party_name, "Ann R.");
}

TEST_F(StoreTest, AssociationsAndListsSeenFromTheInMemoryCopyFollowReplaceAndReopen) {
  ASSERT_RESULT_OK(store_->put_associations({{"pc1", "p-1", "A", AssociationKind::family, {}}}));
  ASSERT_RESULT_OK(store_->put_list("watch", {"P-1"}, false));
  EXPECT_TRUE(store_->associated("PC1", "P-1", AssociationKind::family));
  EXPECT_TRUE(store_->in_list("WATCH", "p-1"));
  ASSERT_RESULT_OK(store_->put_associations({{"pc2", "p-2", "B", AssociationKind::media, {}}},
                                            /*replace=*/true));
  EXPECT_FALSE(store_->associated("pc1", "p-1"));
  EXPECT_TRUE(store_->associated("pc2", "p-2", AssociationKind::media));
  EXPECT_FALSE(store_->associated("pc2", "p-2", AssociationKind::family));
  reopen(/*read_only=*/true);  // loaded at open, read-only instances too
  EXPECT_TRUE(store_->associated("pc2", "P-2"));
  EXPECT_TRUE(store_->in_list("watch", "p-1"));
  EXPECT_TRUE(store_->list_exists("Watch"));
  EXPECT_FALSE(store_->in_list("watch", "p-2"));
  // A key longer than the look-up's stack buffer.
  reopen();
  const std::string long_value(300, 'X');
  ASSERT_RESULT_OK(store_->put_list("watch", {long_value}, false));
  EXPECT_TRUE(store_->in_list("watch", std::string(300, 'x')));
}

TEST_F(StoreTest, ListsReplaceVersusAppend) {
  ASSERT_RESULT_OK(store_->put_list("webmail", {"gmail.com", "outlook.com"}, false));
  ASSERT_RESULT_OK(store_->put_list("webmail", {"proton.me"}, /*replace=*/false));
  EXPECT_EQ(store_->list_values("webmail"),
            (std::vector<std::string>{"gmail.com", "outlook.com", "proton.me"}));
  ASSERT_RESULT_OK(store_->put_list("webmail", {"yahoo.com"}, /*replace=*/true));
  EXPECT_EQ(store_->list_values("webmail"), std::vector<std::string>{"yahoo.com"});
  EXPECT_FALSE(store_->in_list("webmail", "gmail.com"));
  // Another list sharing a name prefix is untouched by the replace.
  ASSERT_RESULT_OK(store_->put_list("webmail2", {"a.com"}, false));
  ASSERT_RESULT_OK(store_->put_list("webmail", {}, true));
  EXPECT_TRUE(store_->in_list("webmail2", "a.com"));
}

TEST_F(StoreTest, ListExistsForAnEmptyList) {
  EXPECT_FALSE(store_->list_exists("pi_domains"));
  ASSERT_RESULT_OK(store_->put_list("PI_Domains", {}, true));
  EXPECT_TRUE(store_->list_exists("pi_domains"));
  EXPECT_TRUE(store_->list_values("pi_domains").empty());
  EXPECT_EQ(store_->list_names(), std::vector<std::string>{"pi_domains"});
}

TEST_F(StoreTest, WritesAreVisibleToTheNextCachedLookup) {
  // Prime the cache with misses and a hit, then write through the store.
  EXPECT_FALSE(store_->in_list("media", "x.com"));
  EXPECT_FALSE(store_->staff("pc5"));
  EXPECT_FALSE(store_->system_required_vetting("pnc"));
  ASSERT_RESULT_OK(store_->put_list("media", {"x.com"}, false));
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc5", {})}));
  ASSERT_RESULT_OK(store_->put_systems({{"pnc", VettingLevel::nppv3}}));
  EXPECT_TRUE(store_->in_list("media", "x.com"));
  ASSERT_TRUE(store_->staff("pc5"));
  EXPECT_EQ(store_->system_required_vetting("pnc"), VettingLevel::nppv3);

  auto changed = staff_member("pc5", {});
  changed.hr_status = HrStatus::suspended;
  ASSERT_RESULT_OK(store_->put_staff({changed}));
  EXPECT_EQ(store_->staff("pc5")->hr_status, HrStatus::suspended);
}

TEST_F(StoreTest, ConcurrentReadersNeverKeepAStaleCachedRecord) {
  // Readers race the writer to refill the cache; once the last write is done every
  // reader must see it (a value read before a write must not be cached after it).
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc1", {})}));
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!done) (void)store_->staff("pc1");
    });
  }
  auto m = staff_member("pc1", {});
  for (int i = 0; i < 20; ++i) {
    m.role = "role" + std::to_string(i);
    ASSERT_RESULT_OK(store_->put_staff({m}));
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(store_->staff("pc1")->role, "role19");
}

TEST_F(StoreTest, RuntimePutGetEraseAndMissingKey) {
  auto missing = store_->get(RuntimeTable::outbox, "smtp:a1");
  ASSERT_RESULT_OK(missing);
  EXPECT_FALSE(*missing);
  ASSERT_RESULT_OK(store_->put(RuntimeTable::outbox, "smtp:a1", "pending"));
  EXPECT_EQ(*store_->get(RuntimeTable::outbox, "smtp:a1"), std::optional<std::string>("pending"));
  // Keys are bytes in runtime tables: no case folding.
  EXPECT_FALSE(*store_->get(RuntimeTable::outbox, "SMTP:a1"));
  ASSERT_RESULT_OK(store_->erase(RuntimeTable::outbox, "smtp:a1", /*sync=*/true));
  EXPECT_FALSE(*store_->get(RuntimeTable::outbox, "smtp:a1"));
  EXPECT_RESULT_OK(store_->erase(RuntimeTable::outbox, "never-there"));
  // Tables are separate.
  ASSERT_RESULT_OK(store_->put(RuntimeTable::audit, "k", "v"));
  EXPECT_FALSE(*store_->get(RuntimeTable::rule_state, "k"));
}

TEST_F(StoreTest, ScanVisitsPrefixInKeyOrderAndStopsWhenAsked) {
  for (const char* k : {"w:u2:1", "w:u1:2", "w:u1:1", "w:u10:1", "x:u1:1"})
    ASSERT_RESULT_OK(store_->put(RuntimeTable::rule_state, k, k));
  EXPECT_EQ(keys(RuntimeTable::rule_state, "w:u1:"),
            (std::vector<std::string>{"w:u1:1", "w:u1:2"}));
  EXPECT_EQ(keys(RuntimeTable::rule_state, "").size(), 5u);
  int seen = 0;
  ASSERT_RESULT_OK(
      store_->scan(RuntimeTable::rule_state, "w:", [&](auto, auto) { return ++seen < 2; }));
  EXPECT_EQ(seen, 2);
  // A prefix ending in 0xff has no successor; the scan must still be bounded by the prefix.
  ASSERT_RESULT_OK(store_->put(RuntimeTable::rule_state, std::string("a\xff", 2), "1"));
  ASSERT_RESULT_OK(store_->put(RuntimeTable::rule_state, std::string("a\xff\x01", 3), "2"));
  EXPECT_EQ(keys(RuntimeTable::rule_state, std::string("a\xff", 2)).size(), 2u);
}

TEST_F(StoreTest, WriteBatchIsAllOrNothing) {
  ASSERT_RESULT_OK(store_->put(RuntimeTable::outbox, "smtp:old", "x"));
  // One bad write (empty key) means none of the batch lands.
  auto bad = store_->write_batch({{RuntimeTable::alerts, "a2", std::string("alert")},
                                  {RuntimeTable::outbox, "", std::string("entry")}},
                                 true);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "state.bad_key");
  EXPECT_FALSE(*store_->get(RuntimeTable::alerts, "a2"));

  ASSERT_RESULT_OK(store_->write_batch({{RuntimeTable::alerts, "a2", std::string("alert")},
                                        {RuntimeTable::outbox, "smtp:a2", std::string("entry")},
                                        {RuntimeTable::outbox, "smtp:old", std::nullopt}},
                                       true));
  reopen();
  EXPECT_TRUE(*store_->get(RuntimeTable::alerts, "a2"));
  EXPECT_TRUE(*store_->get(RuntimeTable::outbox, "smtp:a2"));
  EXPECT_FALSE(*store_->get(RuntimeTable::outbox, "smtp:old"));
}

// A checkpoint's packed entries and the position beside them land together or not at all.
TEST_F(StoreTest, PackedWritesLandWithTheirExtrasOrNotAtAll) {
  ASSERT_RESULT_OK(store_->put(RuntimeTable::rule_state, "gone", "x"));
  PackedWrites packed;
  packed.put("g1", {"head:", "tail"});
  packed.erase("gone");
  packed.put("", "refused");
  auto bad = store_->write_packed(RuntimeTable::rule_state, packed,
                                  {{RuntimeTable::outbox, "pos", std::string("7")}}, false);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "state.bad_key");
  EXPECT_FALSE(*store_->get(RuntimeTable::rule_state, "g1"));
  EXPECT_FALSE(*store_->get(RuntimeTable::outbox, "pos"));

  PackedWrites good;
  good.put("g1", "head:", std::make_shared<const std::string>("tail"));
  good.erase("gone");
  ASSERT_RESULT_OK(store_->write_packed(RuntimeTable::rule_state, good,
                                        {{RuntimeTable::outbox, "pos", std::string("7")}}, false));
  reopen();
  EXPECT_EQ(**store_->get(RuntimeTable::rule_state, "g1"), "head:tail");
  EXPECT_FALSE(*store_->get(RuntimeTable::rule_state, "gone"));
  EXPECT_EQ(**store_->get(RuntimeTable::outbox, "pos"), "7");
}

TEST_F(StoreTest, RejectsIdentifiersWithNulBytes) {
  auto r = store_->put_list("l", {std::string("a\0b", 3)}, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "state.bad_key");
  EXPECT_FALSE(store_->list_exists("l"));
}

TEST_F(StoreTest, RefusesAnotherSchemaVersion) {
  store_.reset();
  {
    RawDb raw(dir_.path() / "db");
    ASSERT_TRUE(
        raw.db->Put(rocksdb::WriteOptions(), raw.by_name.at("meta"), "schema_version", "99").ok());
  }
  auto s = Store::open({.dir = dir_.path() / "db"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "state.schema_version");
  EXPECT_NE(s.error().message.find((dir_.path() / "db").string()), std::string::npos);
  EXPECT_NE(s.error().message.find("schema version 99"), std::string::npos);
}

TEST_F(StoreTest, RefusesAnUnknownColumnFamily) {
  store_.reset();
  {
    RawDb raw(dir_.path() / "db");
    rocksdb::ColumnFamilyHandle* h = nullptr;
    ASSERT_TRUE(raw.db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "gifts_v9", &h).ok());
    raw.handles.push_back(h);
  }
  auto s = Store::open({.dir = dir_.path() / "db"});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "state.unknown_table");
  EXPECT_NE(s.error().message.find("gifts_v9"), std::string::npos);
  EXPECT_NE(s.error().message.find((dir_.path() / "db").string()), std::string::npos);
}

TEST_F(StoreTest, ReadOnlyOpenBesideAReadWriteHandle) {
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc7", {"p7@force.uk"})}));
  ASSERT_RESULT_OK(store_->put(RuntimeTable::alerts, "a7", "{\"rule\":\"r\"}"));

  // A second read-write open fails on the lock; a read-only one works and sees the data.
  auto second = Store::open({.dir = dir_.path() / "db"});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "state.locked");

  auto ro = Store::open({.dir = dir_.path() / "db", .read_only = true});
  ASSERT_RESULT_OK(ro);
  EXPECT_TRUE((*ro)->read_only());
  ASSERT_TRUE((*ro)->staff_by_email("P7@force.uk"));
  EXPECT_EQ(*(*ro)->get(RuntimeTable::alerts, "a7"),
            std::optional<std::string>("{\"rule\":\"r\"}"));
  auto w = (*ro)->put(RuntimeTable::alerts, "a8", "x");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, "state.read_only");
  EXPECT_FALSE((*ro)->put_list("l", {}, true));

  // The writer is unaffected.
  ASSERT_RESULT_OK(store_->put(RuntimeTable::alerts, "a9", "y"));
}

TEST(StoreOpen, ReadOnlyOpenOfAMissingDatabaseNamesThePath) {
  TempDir dir;
  auto s = Store::open({.dir = dir.path() / "nothing", .read_only = true});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find((dir.path() / "nothing").string()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "nothing"));
}

TEST_F(StoreTest, DescribesEntriesAsJson) {
  auto m = staff_member("pc1234", {"jo@force.uk"});
  m.hr_status = HrStatus::leaving;
  m.leaving_date = event::parse_time("2026-12-31");
  ASSERT_RESULT_OK(store_->put_staff({m}));
  auto text = describe_entry(*store_, "staff", "PC1234");
  ASSERT_RESULT_OK(text);
  EXPECT_NE(text->find("\"id\": \"pc1234\""), std::string::npos);
  EXPECT_NE(text->find("\"hr_status\": \"leaving\""), std::string::npos);
  EXPECT_NE(text->find("\"leaving_date\": \"2026-12-31T00:00:00.000000Z\""), std::string::npos);
  EXPECT_NE(text->find("\"level\": \"NPPV2\""), std::string::npos);
  EXPECT_TRUE(describe_entry(*store_, "email", "JO@force.uk"));

  auto missing = describe_entry(*store_, "staff", "pc0");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "state.not_found");
  auto bad_table = describe_entry(*store_, "expenses", "x");
  ASSERT_FALSE(bad_table);
  EXPECT_EQ(bad_table.error().code, "state.show_table");

  ASSERT_RESULT_OK(store_->put(RuntimeTable::alerts, "a1", "{\"severity\":\"high\"}"));
  EXPECT_EQ(*describe_entry(*store_, "alerts", "a1"), "{\n  \"severity\": \"high\"\n}");
  ASSERT_RESULT_OK(store_->put_list("media", {}, true));
  EXPECT_EQ(*describe_entry(*store_, "lists", ""), "[\n  \"media\"\n]");
}

TEST_F(StoreTest, ShowTakesEveryTableNameSingularOrPlural) {
  ASSERT_RESULT_OK(store_->put_list("media", {"paper.example"}, true));
  ASSERT_RESULT_OK(store_->put_systems({{"pnc", VettingLevel::nppv3}}));
  ASSERT_RESULT_OK(store_->put(RuntimeTable::alerts, "a1", "{}"));
  for (const char* table : {"list", "lists", "LIST", "Lists"})
    EXPECT_TRUE(describe_entry(*store_, table, "media")) << table;
  for (const char* table : {"system", "systems"})
    EXPECT_TRUE(describe_entry(*store_, table, "pnc")) << table;
  for (const char* table : {"alert", "alerts"})
    EXPECT_TRUE(describe_entry(*store_, table, "a1")) << table;
  for (const char* table : {"association", "associations", "gift", "gifts", "tender", "tenders",
                            "business_interest", "business_interests", "business-interests"})
    EXPECT_TRUE(describe_entry(*store_, table, "")) << table;
  auto bad = describe_entry(*store_, "listss", "media");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("singular or plural"), std::string::npos);
}

TEST_F(StoreTest, ShowSaysWhichEntriesArePersonalForTheConsultationTrail) {
  ASSERT_RESULT_OK(store_->put_list("media", {"paper.example", "news.example.co.uk"}, true));
  ASSERT_RESULT_OK(store_->put_list("watchlist", {"p0077001"}, true));
  for (const char* table : {"staff", "email", "association", "business-interests", "gifts",
                            "tenders", "Alert", "rule_state", "audit"})
    EXPECT_NE(personal_data_shown(*store_, table, "x"), "") << table;
  EXPECT_EQ(personal_data_shown(*store_, "staff", "pc1"), "staff record");
  EXPECT_EQ(personal_data_shown(*store_, "alerts", "a1"), "alert evidence");
  EXPECT_EQ(personal_data_shown(*store_, "lists", "watchlist"), "named list values");
  for (const char* table : {"systems", "outbox"})
    EXPECT_EQ(personal_data_shown(*store_, table, "x"), "") << table;
  EXPECT_EQ(personal_data_shown(*store_, "lists", "media"), "");
  EXPECT_EQ(personal_data_shown(*store_, "lists", ""), "");  // the names only
}

TEST_F(StoreTest, CountsStaffRecordsOfEveryStatus) {
  EXPECT_EQ(store_->staff_count(), 0u);
  auto leaver = staff_member("pc2", {});
  leaver.hr_status = HrStatus::left;
  ASSERT_RESULT_OK(store_->put_staff({staff_member("pc1", {"a@force.uk"}), leaver}));
  ASSERT_RESULT_OK(store_->put_staff({staff_member("PC1", {"b@force.uk"})}));  // an update
  EXPECT_EQ(store_->staff_count(), 2u);
}
