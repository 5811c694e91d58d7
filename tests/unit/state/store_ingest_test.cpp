// Store::ingest_packed on a real RocksDB: the same batch ingested as files reads back as it
// does written as a WriteBatch (last write to a key wins, erases, shared tails, the writes
// beside it), all or nothing, and without the memtable copy that made large batches costly.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <rocksdb/convenience.h>
#include <rocksdb/table_properties.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "raw_db.h"
#include "state/store.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

std::unique_ptr<Store> open_store(const std::filesystem::path& dir) {
  auto s = Store::open({.dir = dir});
  EXPECT_RESULT_OK(s);
  return s ? std::move(*s) : nullptr;
}

std::map<std::string, std::string> contents(const Store& store, RuntimeTable t) {
  std::map<std::string, std::string> out;
  EXPECT_RESULT_OK(store.scan(t, "", [&](std::string_view k, std::string_view v) {
    out.emplace(k, v);
    return true;
  }));
  return out;
}

// A batch like a checkpoint's: puts, a put of a key erased earlier in the batch, an erase of
// a key put earlier in it, a key written three times, erases of stored keys, a shared tail.
PackedWrites mixed_batch() {
  PackedWrites p;
  for (int i = 0; i < 500; ++i) p.put(fmt::format("c\x1fgroup{:04}", (i * 7919) % 500), "v1");
  p.erase("c\x1fstored-1");
  p.put("c\x1fstored-2", "replaced");
  p.put("c\x1fgroup0007", "v2");
  p.erase("c\x1fgroup0011");
  p.put("c\x1fgroup0007", "v3");
  p.erase("c\x1fgroup0013");
  p.put("c\x1fgroup0013", "back");
  p.put("v\x1fseq1", "head:", std::make_shared<const std::string>("{\"evidence\":1}"));
  return p;
}

void seed(Store& store) {
  ASSERT_RESULT_OK(store.put(RuntimeTable::rule_state, "c\x1fstored-1", "old"));
  ASSERT_RESULT_OK(store.put(RuntimeTable::rule_state, "c\x1fstored-2", "old"));
  ASSERT_RESULT_OK(store.put(RuntimeTable::ingest_journal, "position", "1"));
}

}  // namespace

TEST(StoreIngest, ReadsBackAsTheSameBatchWrittenAsAWriteBatch) {
  TempDir dir;
  auto written = open_store(dir.path() / "written");
  auto ingested = open_store(dir.path() / "ingested");
  ASSERT_TRUE(written && ingested);
  seed(*written);
  seed(*ingested);
  const PackedWrites batch = mixed_batch();
  const std::vector<RuntimeWrite> position{
      {RuntimeTable::ingest_journal, "position", std::string("2")},
      {RuntimeTable::ingest_journal, "position", std::string("3")}};
  ASSERT_RESULT_OK(written->write_packed(RuntimeTable::rule_state, batch, position, false));
  ASSERT_RESULT_OK(ingested->ingest_packed(RuntimeTable::rule_state, batch, position));

  const auto expected = contents(*written, RuntimeTable::rule_state);
  EXPECT_EQ(expected.at("c\x1fgroup0007"), "v3");
  EXPECT_FALSE(expected.count("c\x1fgroup0011"));
  EXPECT_EQ(expected.at("v\x1fseq1"), "head:{\"evidence\":1}");
  EXPECT_EQ(contents(*ingested, RuntimeTable::rule_state), expected);
  EXPECT_EQ(contents(*ingested, RuntimeTable::ingest_journal),
            contents(*written, RuntimeTable::ingest_journal));

  // Reopened, it is all there, and the scratch files were moved in, not left behind.
  ingested.reset();
  ingested = open_store(dir.path() / "ingested");
  ASSERT_TRUE(ingested);
  EXPECT_EQ(contents(*ingested, RuntimeTable::rule_state), expected);
  EXPECT_EQ(**ingested->get(RuntimeTable::ingest_journal, "position"), "3");
  std::size_t left = 0;
  for ([[maybe_unused]] const auto& f :
       std::filesystem::directory_iterator(dir.path() / "ingested" / "ingest"))
    ++left;
  EXPECT_EQ(left, 0u);
}

TEST(StoreIngest, ABatchWithABadKeyLandsNothing) {
  TempDir dir;
  auto store = open_store(dir.path() / "db");
  ASSERT_TRUE(store);
  seed(*store);
  PackedWrites batch = mixed_batch();
  batch.put("", "refused");
  ASSERT_FALSE(
      store->ingest_packed(RuntimeTable::rule_state, batch,
                           {{RuntimeTable::ingest_journal, "position", std::string("2")}}));
  EXPECT_EQ(**store->get(RuntimeTable::rule_state, "c\x1fstored-1"), "old");
  EXPECT_FALSE(*store->get(RuntimeTable::rule_state, "c\x1fgroup0001"));
  EXPECT_EQ(**store->get(RuntimeTable::ingest_journal, "position"), "1");
}

TEST(StoreIngest, ALargeBatchLeavesTheMemtablesAlone) {
  // 48 MiB of entries: a WriteBatch puts them all in a memtable (held until flushed); files
  // go to disk block by block.
  PackedWrites batch;
  const std::string value(1000, 'x');
  for (int i = 0; i < 48 * 1024; ++i) batch.put(fmt::format("c\x1fgroup{:08}", i), value);
  TempDir dir;
  auto written = open_store(dir.path() / "written");
  auto ingested = open_store(dir.path() / "ingested");
  ASSERT_TRUE(written && ingested);
  ASSERT_RESULT_OK(written->write_packed(RuntimeTable::rule_state, batch, {}, false));
  ASSERT_RESULT_OK(ingested->ingest_packed(RuntimeTable::rule_state, batch, {}));
  EXPECT_GT(written->memory_use().memtables, std::uint64_t{24} << 20);
  EXPECT_LT(ingested->memory_use().memtables, std::uint64_t{4} << 20);
  EXPECT_EQ(contents(*ingested, RuntimeTable::rule_state).size(), 48u * 1024);
}

TEST(StoreIngest, TransientStateIsTakenInAsLz4FilesOthersAsTheBottomLevelsZstd) {
  // Correlation state is read whole at every start: its files must not be ZSTD, which took
  // four times LZ4's time to read back there. Other tables keep ZSTD's smaller files.
  const auto supported = rocksdb::GetSupportedCompressions();
  auto has = [&](rocksdb::CompressionType c) {
    return std::find(supported.begin(), supported.end(), c) != supported.end();
  };
  if (!has(rocksdb::kZSTD) || !has(rocksdb::kLZ4Compression))
    GTEST_SKIP() << "this librocksdb lacks ZSTD or LZ4";
  TempDir dir;
  const auto compressions = [&](const std::string& name, bool transient) {
    {
      auto store = Store::open({.dir = dir.path() / name, .transient = transient});
      EXPECT_RESULT_OK(store);
      if (!store) return std::set<std::string>{};
      EXPECT_RESULT_OK((*store)->ingest_packed(RuntimeTable::rule_state, mixed_batch(), {}));
    }
    std::set<std::string> names;
    with_raw_db(dir.path() / name, [&](rocksdb::DB& db, const RawFamilies& families) {
      rocksdb::TablePropertiesCollection tables;
      ASSERT_TRUE(db.GetPropertiesOfAllTables(families.at("rule_state"), &tables).ok());
      for (const auto& [file, properties] : tables) names.insert(properties->compression_name);
    });
    return names;
  };
  EXPECT_EQ(compressions("transient", true), std::set<std::string>{"LZ4"});
  EXPECT_EQ(compressions("lasting", false), std::set<std::string>{"ZSTD"});
}
