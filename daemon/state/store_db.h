// Store::Db: the open RocksDB handle, its column families, caches and in-memory mirrors, with
// the point reads, scans and batch commits every store_*.cpp builds on. Private to state/:
// only the store's own files include it; nothing here leaves the stage.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "state/cache.h"
#include "state/codec.h"
#include "state/key_mirror.h"
#include "state/keys.h"
#include "state/reference_tables.h"
#include "state/register_index.h"
#include "state/store.h"
#include "state/tables.h"

namespace probity::state {

namespace fs = std::filesystem;

// Cache sizes: the whole staff directory of a large force (100 k) fits; lists hold the
// values rules actually ask about (hits and misses), not whole lists.
inline constexpr std::size_t kStaffCacheEntries = 1u << 17;
inline constexpr std::size_t kListCacheEntries = 1u << 16;
inline constexpr std::size_t kSmallCacheEntries = 1u << 12;

inline bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

inline rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view view(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

/// The check every runtime write's key passes (write_batch, write_packed, ingest_packed).
inline Result<void> check_runtime_key(std::string_view key) {
  if (key.empty()) return fail("state.bad_key", "runtime key is empty");
  return {};
}

/// A table above kMirrorRows is not mirrored: look-ups then go to RocksDB (bloom-filtered).
inline constexpr std::size_t kMirrorRows = 4u << 20;

struct Store::Db {
  fs::path dir;
  bool read_only = false;
  fs::path secondary_dir;  ///< read-only instances only; removed on close
  std::shared_ptr<rocksdb::Cache> block_cache;
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  ///< as returned by Open, for close
  std::array<rocksdb::ColumnFamilyHandle*, kTableCount> cfs{};

  std::mutex reference_write_mu;  ///< reference writes read-modify-write; one at a time
  mutable std::atomic<std::uint64_t> unreadable{0};

  // Cached look-ups; nullptr / empty / false mean "known missing" (misses repeat too).
  mutable ReadCache<std::shared_ptr<const StaffRecord>> staff_cache{kStaffCacheEntries};
  mutable ReadCache<std::string> email_cache{kStaffCacheEntries};  ///< email → staff id
  mutable ReadCache<std::optional<VettingLevel>> system_cache{kSmallCacheEntries};
  mutable ReadCache<bool> list_cache{kListCacheEntries};  ///< list \0 value
  mutable ReadCache<bool> list_name_cache{kSmallCacheEntries};
  /// staff id → that staff member's declared associations (an empty list when none).
  mutable ReadCache<std::shared_ptr<const std::vector<Association>>> associations_cache{
      kStaffCacheEntries};
  KeyMirror lists_mirror, list_names_mirror, associations_mirror;
  ~Db() { close(); }

  /// (Re)loads a mirror from its table; value_bits maps a row's value to its bits.
  template <class Bits>
  void load_mirror(KeyMirror& mirror, Table t, Bits value_bits) {
    KeyMirror::Rows rows;
    if (std::uint64_t estimate = 0;
        db->GetIntProperty(cf(t), "rocksdb.estimate-num-keys", &estimate))
      rows.reserve(std::min<std::uint64_t>(estimate, kMirrorRows));
    bool complete = true;
    auto r = scan(t, {}, [&](std::string_view key, std::string_view value) {
      if (rows.size() >= kMirrorRows || !rows.add(key, value_bits(value))) return complete = false;
      return true;
    });
    mirror.set(std::move(rows), complete && r.has_value());
  }
  void load_lists_mirror() {
    load_mirror(lists_mirror, Table::lists, [](std::string_view) { return std::uint16_t{1}; });
    load_mirror(list_names_mirror, Table::list_names,
                [](std::string_view) { return std::uint16_t{1}; });
  }
  void load_associations_mirror() {
    load_mirror(associations_mirror, Table::associations, [this](std::string_view value) {
      std::uint16_t bits = kAssociationDeclared;  // present, whatever its kinds
      if (const auto entries = decode_associations(value)) {
        for (const auto& e : *entries) bits |= association_bit(e.kind);
      } else {
        ++unreadable;
      }
      return bits;
    });
  }

  /// Reads every register whole (kRegisters). Undecodable rows are counted and left out;
  /// a scan error leaves what was read so far (and is counted).
  ReferenceTables register_rows() const {
    ReferenceTables rows;
    for_each_register([&](const auto& reg) {
      auto& out = rows.*reg.rows;
      auto s = scan(register_table(reg), {}, [&](std::string_view, std::string_view v) {
        if (auto row = decode_register_row(reg, v)) {
          out.push_back(std::move(*row));
        } else {
          ++unreadable;
        }
        return true;
      });
      if (!s) ++unreadable;
    });
    return rows;
  }
  std::shared_ptr<const RegisterIndex> load_registers() const {
    return std::make_shared<const RegisterIndex>(register_rows());
  }

  void close() {
    if (!db) return;
    // Handles must go before the DB (RocksDB contract). Failures here cannot be acted on at
    // shutdown and the WAL already holds every write, so they are deliberately ignored.
    // A clean stop flushes the memtables: the next start then has no WAL to replay (seconds
    // with a busy journal and correlation state); a crash replays it as before.
    if (!read_only) db->Flush(rocksdb::FlushOptions(), handles).PermitUncheckedError();
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
    handles.clear();
    db->Close().PermitUncheckedError();
    delete db;
    db = nullptr;
    if (!secondary_dir.empty()) {
      std::error_code ec;
      fs::remove_all(secondary_dir, ec);  // best effort: a temp dir holding only a LOG
    }
  }

  rocksdb::ColumnFamilyHandle* cf(Table t) const { return cfs[index_of(t)]; }

  Error error(std::string code, std::string_view what, const rocksdb::Status& s) const {
    return Error{std::move(code),
                 "state " + dir.string() + ": " + std::string(what) + ": " + s.ToString(),
                 {}};
  }

  Result<void> check_writable() const {
    if (read_only) return fail("state.read_only", "state " + dir.string() + " is open read-only");
    return {};
  }

  /// Point read; nullopt on a missing key.
  Result<std::optional<std::string>> read(Table t, std::string_view key) const {
    if (!cf(t)) return std::optional<std::string>{};  // a register absent read-only
    rocksdb::PinnableSlice value;
    const auto s = db->Get(rocksdb::ReadOptions(), cf(t), slice(key), &value);
    if (s.IsNotFound()) return std::optional<std::string>{};
    if (!s.ok()) return tl::unexpected(error("state.read", cf_name(t), s));
    return std::optional<std::string>{value.ToString()};
  }

  /// Point read for ReferenceData: errors count as unreadable and read as missing.
  /// `ok` tells the caller whether the answer may be cached.
  std::optional<std::string> read_lenient(Table t, std::string_view key, bool& ok) const {
    auto r = read(t, key);
    ok = r.has_value();
    if (!r) {
      ++unreadable;
      return std::nullopt;
    }
    return std::move(*r);
  }

  bool exists(Table t, std::string_view key, bool& ok) const {
    rocksdb::PinnableSlice value;
    const auto s = db->Get(rocksdb::ReadOptions(), cf(t), slice(key), &value);
    ok = s.ok() || s.IsNotFound();
    if (!ok) ++unreadable;
    return s.ok();
  }

  Result<void> scan(Table t, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const {
    if (!cf(t)) return {};  // a register absent from an older database opened read-only
    rocksdb::ReadOptions ro;
    // A scan reads each block once: caching them would evict the blocks point reads
    // (staff, lists) keep hot, and at start-up, when whole tables are read, allocating and
    // inserting each block costs a fifth of the time.
    ro.fill_cache = false;
    const std::string upper = prefix_successor(prefix);
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, cf(t)));
    for (it->Seek(slice(prefix)); it->Valid(); it->Next()) {
      const auto key = view(it->key());
      if (key.substr(0, prefix.size()) != prefix) break;
      if (!fn(key, view(it->value()))) break;
    }
    if (!it->status().ok()) return tl::unexpected(error("state.read", cf_name(t), it->status()));
    return {};
  }

  /// Keys below `before` ("" = every key), last first.
  Result<void> scan_backwards(
      Table t, std::string_view before,
      const std::function<bool(std::string_view, std::string_view)>& fn) const {
    if (!cf(t)) return {};
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(t)));
    if (before.empty())
      it->SeekToLast();
    else
      it->SeekForPrev(slice(before));
    if (it->Valid() && !before.empty() && view(it->key()) == before) it->Prev();
    for (; it->Valid(); it->Prev())
      if (!fn(view(it->key()), view(it->value()))) break;
    if (!it->status().ok()) return tl::unexpected(error("state.read", cf_name(t), it->status()));
    return {};
  }

  /// Adds a delete of every key of t starting with prefix to the batch.
  Result<void> delete_prefix(rocksdb::WriteBatch& batch, Table t, std::string_view prefix) {
    // Point deletes rather than DeleteRange: tables are small and range tombstones slow
    // later reads (RocksDB's own caveat).
    rocksdb::Status s;
    auto r = scan(t, prefix, [&](std::string_view key, std::string_view) {
      s = batch.Delete(cf(t), slice(key));
      return s.ok();
    });
    if (!r) return r;
    if (!s.ok()) return tl::unexpected(error("state.write", "batch", s));
    return {};
  }

  Result<void> commit(rocksdb::WriteBatch& batch, bool sync) {
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    const auto s = db->Write(wo, &batch);
    if (!s.ok()) return tl::unexpected(error("state.write", "write", s));
    return {};
  }

  std::shared_ptr<const StaffRecord> staff(std::string_view key) const {
    std::uint64_t generation = 0;
    if (auto hit = staff_cache.find(key, generation)) return *hit;
    bool ok = false;
    const auto bytes = read_lenient(Table::staff, key, ok);
    std::shared_ptr<const StaffRecord> record;
    if (bytes) {
      if (auto decoded = decode_staff(*bytes)) {
        record = std::make_shared<const StaffRecord>(std::move(*decoded));
      } else {
        ++unreadable;
        ok = false;
      }
    }
    if (ok) staff_cache.insert(std::string(key), record, generation);
    return record;
  }
};

// Adds a write to the batch, turning a (memory-only) batch failure into an Error. Defined for
// every file of the store (this header is theirs alone), not undefined after one: in a unity
// build, that file's neighbours lost it.
#define PROBITY_BATCH(expr)                                                     \
  do {                                                                          \
    if (const auto batch_status_ = (expr); !batch_status_.ok())                 \
      return tl::unexpected(db_->error("state.write", "batch", batch_status_)); \
  } while (0)

}  // namespace probity::state
