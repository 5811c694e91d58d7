// The Store's runtime tables (alerts, outbox, rule state, audit): plain bytes other stages
// encode themselves, written one call or one batch at a time, and compaction for purges.
#include "state/store_db.h"

namespace probity::state {

namespace {

Result<void> check_runtime_key(std::string_view key) {
  if (key.empty()) return fail("state.bad_key", "runtime key is empty");
  return {};
}

}  // namespace

Result<void> Store::put(RuntimeTable t, std::string_view key, std::string_view value, bool sync) {
  return write_batch({RuntimeWrite{t, std::string(key), std::string(value)}}, sync);
}

Result<std::optional<std::string>> Store::get(RuntimeTable t, std::string_view key) const {
  return db_->read(table_of(t), key);
}

Result<void> Store::erase(RuntimeTable t, std::string_view key, bool sync) {
  return write_batch({RuntimeWrite{t, std::string(key), std::nullopt}}, sync);
}

Result<void> Store::write_batch(const std::vector<RuntimeWrite>& writes, bool sync) {
  if (auto r = db_->check_writable(); !r) return r;
  for (const auto& w : writes)
    if (auto r = check_runtime_key(w.key); !r) return r;
  rocksdb::WriteBatch batch;
  for (const auto& w : writes) {
    auto* cf = db_->cf(table_of(w.table));
    if (w.value && w.value_tail) {
      const rocksdb::Slice key(w.key), parts[] = {*w.value, *w.value_tail};
      PROBITY_BATCH(batch.Put(cf, rocksdb::SliceParts(&key, 1), rocksdb::SliceParts(parts, 2)));
    } else if (w.value) {
      PROBITY_BATCH(batch.Put(cf, w.key, *w.value));
    } else {
      PROBITY_BATCH(batch.Delete(cf, w.key));
    }
  }
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
#undef PROBITY_BATCH

}  // namespace probity::state
