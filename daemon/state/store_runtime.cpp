// The Store's runtime tables (alerts, outbox, rule state, audit): plain bytes other stages
// encode themselves, written one call or one batch at a time, and compaction for purges.
#include "state/store_db.h"

namespace probity::state {

Result<void> Store::put(RuntimeTable t, std::string_view key, std::string_view value, bool sync) {
  return write_batch({RuntimeWrite{t, std::string(key), std::string(value)}}, sync);
}

Result<std::optional<std::string>> Store::get(RuntimeTable t, std::string_view key) const {
  return db_->read(table_of(t), key);
}

Result<void> Store::erase(RuntimeTable t, std::string_view key, bool sync) {
  return write_batch({RuntimeWrite{t, std::string(key), std::nullopt}}, sync);
}

namespace {

// Adds `writes` to `batch`, keys checked. A template over Store's private Db (its cf() and
// error()), shared by write_batch and write_packed.
template <class Db>
Result<void> add_writes(Db& db, const std::vector<RuntimeWrite>& writes,
                        rocksdb::WriteBatch& batch) {
  for (const auto& w : writes) {
    if (auto r = check_runtime_key(w.key); !r) return r;
    auto* cf = db.cf(table_of(w.table));
    const auto s = w.value ? batch.Put(cf, w.key, *w.value) : batch.Delete(cf, w.key);
    if (!s.ok()) return tl::unexpected(db.error("state.write", "batch", s));
  }
  return {};
}

}  // namespace

Result<void> Store::write_batch(const std::vector<RuntimeWrite>& writes, bool sync) {
  if (auto r = db_->check_writable(); !r) return r;
  rocksdb::WriteBatch batch;
  if (auto added = add_writes(*db_, writes, batch); !added) return added;
  return db_->commit(batch, sync);
}

Result<void> Store::write_packed(RuntimeTable t, const PackedWrites& packed,
                                 const std::vector<RuntimeWrite>& also, bool sync) {
  if (auto r = db_->check_writable(); !r) return r;
  // Sized once: a checkpoint is tens of megabytes, and regrowing the batch copied it each time.
  constexpr std::size_t kFramingPerEntry = 16;
  rocksdb::WriteBatch batch(packed.payload_bytes() + kFramingPerEntry * packed.size());
  auto* cf = db_->cf(table_of(t));
  Result<void> added;
  packed.each([&](std::string_view key, std::optional<PackedValue> value) {
    if (!added) return;
    if (added = check_runtime_key(key); !added) return;
    const rocksdb::Slice key_part = slice(key);
    rocksdb::Status s;
    if (!value) {
      s = batch.Delete(cf, key_part);
    } else {
      const rocksdb::Slice parts[] = {slice(value->head), slice(value->tail)};
      s = batch.Put(cf, rocksdb::SliceParts(&key_part, 1), rocksdb::SliceParts(parts, 2));
    }
    if (!s.ok()) added = tl::unexpected(db_->error("state.write", "batch", s));
  });
  if (!added) return added;
  if (added = add_writes(*db_, also, batch); !added) return added;
  return db_->commit(batch, sync);
}

Result<void> Store::erase_range(RuntimeTable t, std::string_view begin, std::string_view end) {
  if (auto r = db_->check_writable(); !r) return r;
  if (auto r = check_runtime_key(begin); !r) return r;
  rocksdb::WriteBatch batch;
  PROBITY_BATCH(batch.DeleteRange(db_->cf(table_of(t)), slice(begin), slice(end)));
  return db_->commit(batch, /*sync=*/false);
}

Result<void> Store::sync_wal() {
  if (auto r = db_->check_writable(); !r) return r;
  const auto s = db_->db->SyncWAL();
  if (!s.ok()) return tl::unexpected(db_->error("state.write", "syncing the WAL", s));
  return {};
}

Result<void> Store::scan(RuntimeTable t, std::string_view prefix,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const {
  return db_->scan(table_of(t), prefix, fn);
}

Result<void> Store::scan_backwards(
    RuntimeTable t, std::string_view before,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  return db_->scan_backwards(table_of(t), before, fn);
}

Result<void> Store::compact(RuntimeTable t) {
  if (auto r = db_->check_writable(); !r) return r;
  rocksdb::CompactRangeOptions o;
  // Rewrite the bottom level too: that is where old values sit longest.
  o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  const auto s = db_->db->CompactRange(o, db_->cf(table_of(t)), nullptr, nullptr);
  if (!s.ok()) return tl::unexpected(db_->error("state.compact", "compacting", s));
  return {};
}

}  // namespace probity::state
