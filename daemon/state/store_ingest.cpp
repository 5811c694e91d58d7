// Store::ingest_packed: a large batch of runtime writes as SST files RocksDB takes in whole
// (IngestExternalFiles), not as a WriteBatch. A busy correlation checkpoint is a couple of
// hundred megabytes: as a WriteBatch it was held three times at once (the packed batch, the
// WriteBatch copy, the memtable until flushed). Written as files, it is streamed to disk
// block by block and the ingestion is as atomic as one WriteBatch, across column families.
#include <rocksdb/sst_file_writer.h>

#include <algorithm>
#include <atomic>
#include <tuple>

#include "state/store_db.h"

namespace probity::state {

namespace {

std::atomic<std::uint64_t> g_ingest_files{0};

}  // namespace

Result<void> Store::ingest_packed(RuntimeTable t, const PackedWrites& packed,
                                  const std::vector<RuntimeWrite>& also) {
  if (auto r = db_->check_writable(); !r) return r;
  // The keys alone (each locates its entry: PackedWrites::value_of), sorted as files want
  // them; stable, so that of several writes to one key the last is kept, as in a WriteBatch.
  // Every key is checked before anything is written, as write_packed does.
  std::vector<std::string_view> entries;
  entries.reserve(packed.size());
  Result<void> keys_ok;
  packed.each_key([&](std::string_view key) {
    if (keys_ok) keys_ok = check_runtime_key(key);
    entries.push_back(key);
  });
  for (const auto& w : also)
    if (keys_ok) keys_ok = check_runtime_key(w.key);
  if (!keys_ok) return keys_ok;
  std::stable_sort(entries.begin(), entries.end());
  // `also`, a file per table, sorted the same way.
  std::vector<const RuntimeWrite*> rest;
  for (const auto& w : also) {
    if (w.table == t && !entries.empty())
      return fail("state.write", "ingest_packed: `also` writes to the packed table");
    rest.push_back(&w);
  }
  std::stable_sort(rest.begin(), rest.end(), [](const RuntimeWrite* x, const RuntimeWrite* y) {
    return std::tie(x->table, x->key) < std::tie(y->table, y->key);
  });

  const fs::path dir = db_->dir / "ingest";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail("state.write", "state " + db_->dir.string() + ": " + ec.message());
  std::vector<fs::path> written;  // moved in by a successful ingestion; removed otherwise
  std::vector<rocksdb::IngestExternalFileArg> args;
  // One file for column family `cf`, filled by add(writer), taken in with the others.
  auto add_file = [&](rocksdb::ColumnFamilyHandle* cf, auto&& add) -> Result<void> {
    const fs::path path = dir / ("batch-" + std::to_string(g_ingest_files.fetch_add(1)) + ".sst");
    const rocksdb::Options options(db_->db->GetDBOptions(), db_->db->GetOptions(cf));
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(options), options, cf);
    auto s = writer.Open(path.string());
    if (s.ok()) written.push_back(path);
    if (s.ok()) s = add(writer);
    if (s.ok()) s = writer.Finish();
    if (!s.ok()) return tl::unexpected(db_->error("state.write", "writing " + path.string(), s));
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = cf;
    arg.external_files = {path.string()};
    arg.options.move_files = true;
    arg.options.write_global_seqno = false;
    args.push_back(std::move(arg));
    return {};
  };

  auto ingest = [&]() -> Result<void> {
    if (!entries.empty()) {
      std::string value;
      auto added = add_file(db_->cf(table_of(t)), [&](rocksdb::SstFileWriter& w) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
          const std::string_view key = entries[i];
          if (i + 1 < entries.size() && entries[i + 1] == key) continue;  // a later one wins
          const auto v = packed.value_of(key);
          if (!v) {
            if (auto s = w.Delete(slice(key)); !s.ok()) return s;
            continue;
          }
          value.assign(v->head).append(v->tail);
          if (auto s = w.Put(slice(key), value); !s.ok()) return s;
        }
        return rocksdb::Status::OK();
      });
      if (!added) return added;
    }
    for (std::size_t from = 0, to = 0; from < rest.size(); from = to) {
      for (to = from; to < rest.size() && rest[to]->table == rest[from]->table;) ++to;
      auto added = add_file(db_->cf(table_of(rest[from]->table)), [&](rocksdb::SstFileWriter& w) {
        for (std::size_t i = from; i < to; ++i) {
          const RuntimeWrite& x = *rest[i];
          if (i + 1 < to && rest[i + 1]->key == x.key) continue;  // a later one wins
          auto s = x.value ? w.Put(x.key, *x.value) : w.Delete(x.key);
          if (!s.ok()) return s;
        }
        return rocksdb::Status::OK();
      });
      if (!added) return added;
    }
    if (args.empty()) return {};
    // Writes made through the WAL before this one must not be lost while this one stays: the
    // files are durable once ingested, so the WAL before them is made durable first.
    if (auto s = db_->db->FlushWAL(/*sync=*/true); !s.ok())
      return tl::unexpected(db_->error("state.write", "syncing the WAL", s));
    if (auto s = db_->db->IngestExternalFiles(args); !s.ok())
      return tl::unexpected(db_->error("state.write", "ingesting a batch", s));
    return {};
  };
  auto done = ingest();
  for (const auto& p : written) fs::remove(p, ec);  // gone already when ingested
  return done;
}

}  // namespace probity::state
