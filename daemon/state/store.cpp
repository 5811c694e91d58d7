// Store over RocksDB: the options it opens with, and open/close with every column family
// (schema version checked, older databases' missing registers handled). Reads, writes and
// runtime tables are in store_reads.cpp, store_writes.cpp and store_runtime.cpp; the shared
// handle is store_db.h. RocksDB Status values are turned into Error and go no further.
#include "state/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_batch.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "state/store_db.h"

namespace probity::state {

namespace {

rocksdb::DBOptions db_options(const StoreOptions& options) {
  const bool read_only = options.read_only;
  rocksdb::DBOptions o;
  o.create_if_missing = !read_only;
  o.create_missing_column_families = !read_only;
  // A daemon sharing a small machine: two background threads, bounded memtables and WAL.
  o.max_background_jobs = 2;
  o.db_write_buffer_size = options.write_buffer_bytes;
  // With a family per table the WAL cannot be recycled until each has flushed; this forces it.
  o.max_total_wal_size = 96u << 20;
  o.keep_log_file_num = 3;
  o.max_log_file_size = 4u << 20;
  // A secondary instance must keep every file open (RocksDB requirement), so deletions by
  // the primary cannot pull files from under it.
  o.max_open_files = read_only ? -1 : 512;
  return o;
}

rocksdb::ColumnFamilyOptions cf_options(const std::shared_ptr<rocksdb::Cache>& cache,
                                        bool transient) {
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  // Most reads are point look-ups that miss (a domain not on a list): bloom filters answer
  // those without touching data blocks. Index and filter blocks count against the cache
  // so memory stays bounded.
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.cache_index_and_filter_blocks = true;
  t.pin_l0_filter_and_index_blocks_in_cache = true;
  t.format_version = 5;

  rocksdb::ColumnFamilyOptions c;
  c.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  // Correlation state and the journal delete as much as they write: a file that is mostly
  // tombstones is compacted soon, or a scan at start-up steps over every one of them.
  c.table_properties_collector_factories.push_back(
      rocksdb::NewCompactOnDeletionCollectorFactory(128, 64, 0.5));
  c.write_buffer_size = 32u << 20;
  c.max_write_buffer_number = 2;
  // The same for the memtable: a miss there was a skip-list search (an alert storm's check
  // that each event's alert is not raised yet was 5 % of its time); a bloom filter of 1 % of
  // the memtable's size (320 KiB, a few bits per key written) answers most misses.
  c.memtable_prefix_bloom_size_ratio = 0.01;
  c.memtable_whole_key_filtering = true;
  // Use what this librocksdb was built with: LZ4 (fast) for most levels, ZSTD (small) for
  // the bottom one where most data ends up, and where files taken in whole are written
  // (SstFileWriter), unless the data is transient.
  const auto supported = rocksdb::GetSupportedCompressions();
  const auto has = [&](rocksdb::CompressionType type) {
    for (auto s : supported)
      if (s == type) return true;
    return false;
  };
  if (has(rocksdb::kLZ4Compression)) {
    c.compression = rocksdb::kLZ4Compression;
  } else if (has(rocksdb::kSnappyCompression)) {
    c.compression = rocksdb::kSnappyCompression;
  } else {
    c.compression = rocksdb::kNoCompression;
  }
  if (has(rocksdb::kZSTD) && !transient) c.bottommost_compression = rocksdb::kZSTD;
  return c;
}

}  // namespace

Store::Store(std::unique_ptr<Db> db) : db_(std::move(db)) {}
Store::~Store() = default;

const fs::path& Store::dir() const { return db_->dir; }
bool Store::read_only() const { return db_->read_only; }
std::uint64_t Store::unreadable_values() const { return db_->unreadable.load(); }

Store::MemoryUse Store::memory_use() const {
  MemoryUse use;
  auto& db = *db_->db;
  db.GetAggregatedIntProperty(rocksdb::DB::Properties::kSizeAllMemTables, &use.memtables);
  db.GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem,
                              &use.table_readers);
  if (db_->block_cache) use.block_cache = db_->block_cache->GetUsage();
  return use;
}

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  auto d = std::make_unique<Db>();
  d->dir = options.dir;
  d->read_only = options.read_only;
  const std::string name = options.dir.string();
  const auto open_error = [&](std::string code, std::string message) {
    return fail(std::move(code), "state " + name + ": " + message);
  };

  std::error_code ec;
  const bool existed = fs::exists(options.dir / "CURRENT", ec);
  if (options.read_only && !existed)
    return open_error("state.open", "no state database here (run the daemon or an import first)");
  if (!options.read_only) {
    // 0750 explicitly, not whatever the umask leaves: the directory is what keeps other
    // local accounts out of the store, the WAL and the alert files beside them.
    if (options.dir.has_parent_path()) fs::create_directories(options.dir.parent_path(), ec);
    if (!ec && ::mkdir(options.dir.c_str(), 0750) != 0 && errno != EEXIST)
      ec = std::error_code(errno, std::generic_category());
    if (ec) return open_error("state.open", "cannot create directory: " + ec.message());
  }

  const rocksdb::DBOptions dbo = db_options(options);
  std::vector<std::string> on_disk;
  if (existed) {
    const auto s = rocksdb::DB::ListColumnFamilies(dbo, name, &on_disk);
    if (!s.ok()) return tl::unexpected(d->error("state.open", "listing column families", s));
  }
  for (const auto& cf : on_disk) {
    if (cf == rocksdb::kDefaultColumnFamilyName || table_by_name(cf)) continue;
    return open_error(
        "state.unknown_table",
        "unknown column family '" + cf + "' (written by a newer probity?); refusing to open");
  }
  if (options.read_only) {
    // A secondary instance cannot create families; an older database lacking one is
    // reported rather than half-opened.
    for (std::size_t i = 0; i < kTableCount; ++i) {
      const auto t = static_cast<Table>(i);
      if (std::find(on_disk.begin(), on_disk.end(), cf_name(t)) == on_disk.end() &&
          !added_after_v1(t))
        return open_error("state.missing_table",
                          "column family '" + std::string(cf_name(t)) + "' is missing");
    }
  }

  d->block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  const auto cfo = cf_options(d->block_cache, options.transient);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::vector<std::size_t> opened;  // table index of descriptors[i + 1]
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cfo);
  for (std::size_t i = 0; i < kTableCount; ++i) {
    const std::string_view cf = cf_name(static_cast<Table>(i));
    // Read-only, a register an older database lacks stays closed (nullptr: reads as empty).
    if (options.read_only && std::find(on_disk.begin(), on_disk.end(), cf) == on_disk.end())
      continue;
    descriptors.emplace_back(std::string(cf), cfo);
    opened.push_back(i);
  }

  rocksdb::Status s;
  if (options.read_only) {
    std::string tmpl = (fs::temp_directory_path() / "probity-state-XXXXXX").string();
    if (!mkdtemp(tmpl.data()))
      return open_error("state.open", "cannot create a temporary directory for the reader log");
    d->secondary_dir = tmpl;
    s = rocksdb::DB::OpenAsSecondary(dbo, name, tmpl, descriptors, &d->handles, &d->db);
    if (s.ok()) s = d->db->TryCatchUpWithPrimary();
  } else {
    s = rocksdb::DB::Open(dbo, name, descriptors, &d->handles, &d->db);
  }
  if (!s.ok()) {
    // Db::close only runs with an open db; a failed open leaves nothing but the temp dir.
    if (!d->secondary_dir.empty()) fs::remove_all(d->secondary_dir, ec);
    // RocksDB reports a held LOCK file as a generic IO error; say what it means.
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      return open_error("state.locked",
                        "in use by another process (a running daemon?); `state show` opens "
                        "read-only beside it (" +
                            s.ToString() + ")");
    return tl::unexpected(d->error("state.open", "open", s));
  }
  for (std::size_t i = 0; i < opened.size(); ++i) d->cfs[opened[i]] = d->handles[i + 1];

  auto version = d->read(Table::meta, kSchemaVersionKey);
  if (!version) return tl::unexpected(version.error());
  if (!*version) {
    if (existed) {
      return open_error("state.schema_version",
                        "no schema version in the meta table; not a probity state database?");
    }
    rocksdb::WriteBatch batch;
    const std::string text = std::to_string(kSchemaVersion);
    batch.Put(d->cf(Table::meta), slice(kSchemaVersionKey), text).PermitUncheckedError();
    if (auto r = d->commit(batch, /*sync=*/true); !r) return tl::unexpected(r.error());
  } else {
    std::uint32_t found = 0;
    const std::string& text = **version;
    const auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), found);
    if (err != std::errc() || end != text.data() + text.size())
      return open_error("state.schema_version", "unreadable schema version '" + text + "'");
    if (found != kSchemaVersion) {
      return open_error("state.schema_version",
                        "schema version " + text + ", but this probity uses version " +
                            std::to_string(kSchemaVersion) +
                            "; use the matching probity or re-import into a new directory");
    }
  }
  d->load_lists_mirror();
  d->load_associations_mirror();
  std::unique_ptr<Store> store(new Store(std::move(d)));
  store->reload_registers();
  return store;
}

void Store::reload_registers() { set_registers(db_->load_registers()); }

}  // namespace probity::state
