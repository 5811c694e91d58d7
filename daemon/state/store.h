// The RocksDB store: one database under the state directory, one column family per
// table (tables.h lists them). The only place RocksDB appears; its Status never leaves
// state/. Reference data goes in through import (import.h) and out through the
// ReferenceData interface; runtime tables (alerts, outbox, ...) are byte-valued.
// Implementation: store.cpp (open), store_reads.cpp, store_writes.cpp, store_runtime.cpp.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/packed_writes.h"
#include "base/result.h"
#include "state/reference.h"
#include "state/register_index.h"

namespace probity::state {

/// Runtime tables whose values other stages encode themselves.
enum class RuntimeTable : std::uint8_t {
  alerts,          ///< alert id → alert JSON
  outbox,          ///< kind:destination:alert id → delivery record JSON
  rule_state,      ///< correlation windows, sequences, baselines (rules/)
  audit,           ///< the daemon's own audit trail
  accounts,        ///< account name → account JSON (access/): the people who work alerts
  alert_origins,   ///< alert origin → alert id (alerts/): what was already raised
  ingest_journal,  ///< received messages not yet evaluated, and where evaluation stands (app/)
};

/// One write in a runtime batch; a nullopt value erases the key.
struct RuntimeWrite {
  RuntimeTable table;
  std::string key;
  std::optional<std::string> value;
};

struct StoreOptions {
  std::filesystem::path dir;
  /// For `probity state show` beside a running daemon: opens a RocksDB *secondary* instance
  /// (DB::OpenAsSecondary), which takes no lock and is supported beside a live primary;
  /// OpenForReadOnly is documented as undefined behaviour in that case. It sees the database
  /// as of open (primary's MANIFEST and WAL replayed), not later writes. Its info log goes to
  /// a temporary directory removed on close. Every write fails with state.read_only.
  bool read_only = false;
  std::size_t block_cache_bytes = 32u << 20;  ///< shared by all tables
  /// Memtables of all tables together; the largest is flushed past it. Memory, not
  /// durability: the WAL holds every write either way.
  std::size_t write_buffer_bytes = 64u << 20;
  /// Data rewritten within minutes and read whole at each start (correlation state): LZ4
  /// at every level. ZSTD's smaller bottom files cost several times LZ4's time to read back.
  bool transient = false;
};

/// Thread-safe: every call may be made from any thread. Reference writes are serialised
/// inside the store; runtime writes go straight to RocksDB (atomic per call).
///
/// Keys: staff ids, emails, party ids, system names, list names and list values are ASCII
/// lower-cased on write and on lookup, and may not contain a NUL byte. Runtime keys are
/// stored as given (byte order), and may not be empty.
///
/// Errors carry code "state.<what>" and a message naming the database directory.
class Store final : public IndexedRegisters {
 public:
  /// Opens or creates the database and every column family; checks the schema version.
  /// Errors: unreadable dir, state.locked (another handle holds the DB), an unknown column family
  /// (a newer build's database), schema version mismatch, no database at dir when read_only. Cost:
  /// RocksDB recovery (WAL replay); call once at start-up.
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  /// Flushes nothing explicitly (the WAL is durable); closes every handle, then the DB.
  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& dir() const;
  bool read_only() const;

  // ReferenceData. A missing entry is nullopt/false. A RocksDB read error or an undecodable
  // value is also treated as missing (rules must keep running) and counted in
  // unreadable_values(). Cost: a cache hit, else one RocksDB point read (bloom-filtered).
  // staff, staff_by_email, system_required_vetting, in_list and list_exists are cached;
  // a write through this Store is visible to the next lookup.
  std::shared_ptr<const StaffRecord> staff(std::string_view staff_id) const override;
  std::shared_ptr<const StaffRecord> staff_by_email(std::string_view email) const override;
  /// A point read of staff\0party (not cached); kind narrows to one declared kind.
  bool associated(std::string_view staff_id, std::string_view party_id,
                  std::optional<AssociationKind> kind = std::nullopt) const override;
  std::shared_ptr<const std::vector<Association>> associations_of_staff(
      std::string_view staff_id) const override;
  std::optional<VettingLevel> system_required_vetting(std::string_view system) const override;
  bool in_list(std::string_view list, std::string_view value) const override;
  bool list_exists(std::string_view list) const override;
  // The registers (has_business_interest, latest_gift, on_open_tender_panel_with,
  // is_open_tender_supplier) are answered by IndexedRegisters from an index of all three
  // tables, built at open and after every register write, so they never touch RocksDB on
  // the hot path. Cost: a shared lock and one or two hash look-ups.

  // Reference writes: each call is one synced WriteBatch, all or nothing. Ids are lower-cased
  // here, so callers may pass them as imported. replace=true first deletes every existing
  // row of the table in the same batch (a full re-import); otherwise rows are upserted.
  // Errors: state.read_only, state.bad_key (empty id or NUL byte), state.write.
  // Cost: O(rows) (+ O(table) with replace); blocks other reference writes meanwhile.

  /// An updated staff member's old email aliases are dropped from staff_by_email. An email
  /// already indexed to another staff member is re-pointed to this one (last write wins).
  Result<void> put_staff(const std::vector<StaffRecord>& rows, bool replace = false);
  /// Rows for the same (staff, party) pair merge by kind: one entry per kind, the later row
  /// wins. staff_id need not exist in the staff table (associations may be loaded first).
  Result<void> put_associations(const std::vector<Association>& rows, bool replace = false);
  Result<void> put_systems(const std::vector<std::pair<std::string, VettingLevel>>& rows,
                           bool replace = false);
  /// replace=true clears the list first, in the same batch. Defines the list even when
  /// values is empty (list_exists becomes true).
  Result<void> put_list(std::string_view list, const std::vector<std::string>& values,
                        bool replace);

  /// Writes the rows of register `kind` (one of kRegisters, reference_tables.h) held in
  /// `rows`; its other tables are ignored. A row is filed under its row_key, so a later row
  /// with the same key replaces the earlier one (the same gift imported twice is one row).
  /// A tender's status and panel are read per row; import keeps one tender's rows
  /// consistent. Also state.bad_kind when kind is not a register.
  Result<void> put_register(ImportKind kind, const ReferenceTables& rows, bool replace = false);

  /// Reference reads for `state show` and the API: a prefix/full scan, uncached, O(result).
  /// Read errors and undecodable values are skipped (and counted).
  std::vector<Association> associations_of(std::string_view staff_id) const;
  std::vector<std::string> list_values(std::string_view list) const;  ///< sorted
  std::vector<std::string> list_names() const;                        ///< sorted
  std::vector<std::pair<std::string, VettingLevel>> systems() const;  ///< sorted by name
  /// Every register's rows, each in key order (the other tables of the result are empty).
  ReferenceTables registers() const;
  /// Rows in the staff table (every HR status), for rates per staff member. O(staff).
  std::size_t staff_count() const;

  /// Reads that found a value they could not decode, or failed in RocksDB, since open.
  std::uint64_t unreadable_values() const;

  /// RocksDB's memory, for /metrics: memtables (written, not yet flushed), the block cache,
  /// and what the open tables' readers hold outside it.
  struct MemoryUse {
    std::uint64_t memtables = 0, block_cache = 0, table_readers = 0;
  };
  MemoryUse memory_use() const;

  // Runtime tables: plain bytes. Errors: state.read (get/scan), state.write, state.read_only,
  // state.bad_key (empty key). sync=true waits for the WAL fsync (use it for alerts before
  // anything is sent; ~ms on disk); otherwise a write survives a process crash, not power loss.

  /// Overwrites any existing value. Cost: one memtable insert (+ fsync with sync).
  Result<void> put(RuntimeTable t, std::string_view key, std::string_view value, bool sync = false);
  /// nullopt on a missing key (not an error). Cost: one point read.
  Result<std::optional<std::string>> get(RuntimeTable t, std::string_view key) const;
  /// Erasing a missing key succeeds.
  Result<void> erase(RuntimeTable t, std::string_view key, bool sync = false);
  /// Erases every key in [begin, end) with one range tombstone: for a table whose old keys
  /// go in bulk (the ingest journal's evaluated head). Cost: O(1) to write.
  Result<void> erase_range(RuntimeTable t, std::string_view begin, std::string_view end);
  /// Waits until everything written so far (synced or not) is on disk: what a batch of
  /// unsynced writes needs before it is acknowledged. Cost: one fsync of the WAL.
  Result<void> sync_wal();
  /// All writes or none, in one RocksDB WriteBatch (e.g. an alert and its outbox entries).
  /// Every key is checked before anything is written.
  Result<void> write_batch(const std::vector<RuntimeWrite>& writes, bool sync);
  /// `packed` into table `t`, then `also`, in one WriteBatch, all or none (a correlation
  /// checkpoint and the journal position it records). Same key checks as write_batch.
  Result<void> write_packed(RuntimeTable t, const PackedWrites& packed,
                            const std::vector<RuntimeWrite>& also, bool sync);
  /// The same writes, all or none, taken in as files (one per table, built in a scratch
  /// directory beside the database) instead of a WriteBatch: for a batch of hundreds of
  /// megabytes, which a WriteBatch would hold twice more (its copy and the memtable). Durable
  /// once it returns, and so is every write before it. `also` may not write to `t`.
  /// Cost: a sort of the entries, a file write, an fsync; a memtable flush if keys overlap.
  Result<void> ingest_packed(RuntimeTable t, const PackedWrites& packed,
                             const std::vector<RuntimeWrite>& also);
  /// Calls fn(key, value) for keys starting with prefix, in key order, until fn returns false.
  /// Sees a consistent snapshot; the views are valid only during the call. An empty prefix
  /// scans the whole table. Cost: O(matching keys).
  Result<void> scan(RuntimeTable t, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const;
  /// Calls fn(key, value) for keys below `before` ("" = all), last key first, until fn
  /// returns false: newest alerts first, for paging. Same snapshot and view rules as scan().
  Result<void> scan_backwards(
      RuntimeTable t, std::string_view before,
      const std::function<bool(std::string_view, std::string_view)>& fn) const;
  /// Rewrites the table's files so erased and overwritten values leave the disk (a delete
  /// in RocksDB only adds a tombstone); for retention purges. Flushes the memtable first.
  /// Errors: state.read_only, state.compact. Cost: reads and rewrites the whole table; call
  /// from a background thread, never the hot path.
  Result<void> compact(RuntimeTable t);

 private:
  struct Db;
  explicit Store(std::unique_ptr<Db> db);
  /// Re-reads the registers into a fresh RegisterIndex (after open and each write).
  void reload_registers();
  std::unique_ptr<Db> db_;
};

}  // namespace probity::state
