// Store over RocksDB: open/close with every column family, typed reference reads through a
// read-through cache, atomic reference and runtime writes. RocksDB Status values are turned
// into Error here and go no further.
#include "state/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "state/cache.h"
#include "state/codec.h"
#include "state/tables.h"

namespace probity::state {

namespace fs = std::filesystem;

namespace {

// Cache sizes: the whole staff directory of a large force (100 k) fits; lists hold the
// values rules actually ask about (hits and misses), not whole lists.
constexpr std::size_t kStaffCacheEntries = 1u << 17;
constexpr std::size_t kListCacheEntries = 1u << 16;
constexpr std::size_t kSmallCacheEntries = 1u << 12;

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }
std::string_view view(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

rocksdb::DBOptions db_options(bool read_only) {
  rocksdb::DBOptions o;
  o.create_if_missing = !read_only;
  o.create_missing_column_families = !read_only;
  // A daemon sharing a small machine: two background threads, bounded memtables and WAL.
  o.max_background_jobs = 2;
  o.db_write_buffer_size = 64u << 20;
  // With eleven families the WAL cannot be recycled until each has flushed; this forces it.
  o.max_total_wal_size = 64u << 20;
  o.keep_log_file_num = 3;
  o.max_log_file_size = 4u << 20;
  // A secondary instance must keep every file open (RocksDB requirement), so deletions by
  // the primary cannot pull files from under it.
  o.max_open_files = read_only ? -1 : 512;
  return o;
}

rocksdb::ColumnFamilyOptions cf_options(const std::shared_ptr<rocksdb::Cache>& cache) {
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
  c.write_buffer_size = 8u << 20;
  c.max_write_buffer_number = 2;
  // Use what this librocksdb was built with: LZ4 (fast) for most levels, ZSTD (small) for
  // the bottom one where most data ends up.
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
  if (has(rocksdb::kZSTD)) c.bottommost_compression = rocksdb::kZSTD;
  return c;
}

/// A lower-cased key (or two joined by kKeySep) built without allocating when it fits.
class LowerKey {
 public:
  explicit LowerKey(std::string_view a) { append(a); }
  LowerKey(std::string_view a, std::string_view b) {
    append(a);
    append(std::string_view(&kKeySep, 1));
    append(b);
  }
  std::string_view view() const {
    return heap_.empty() ? std::string_view(buf_.data(), size_) : std::string_view(heap_);
  }

 private:
  static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
  void append(std::string_view s) {
    if (heap_.empty() && size_ + s.size() <= buf_.size()) {
      for (std::size_t i = 0; i < s.size(); ++i) buf_[size_ + i] = lower(s[i]);
      size_ += s.size();
      return;
    }
    if (heap_.empty()) heap_.assign(buf_.data(), size_);
    for (const char c : s) heap_ += lower(c);
  }
  std::array<char, 192> buf_;
  std::size_t size_ = 0;
  std::string heap_;
};

struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// An in-memory copy of a small reference table's keys, so the look-ups rules make on every
/// event (in_list, list_exists, associated) touch neither RocksDB nor the allocator. The
/// value is a bit mask of association kinds (1 for plain membership). Loaded at open and
/// reloaded after every write to its table (writes are rare, administrator actions; this
/// process is the only writer, RocksDB's lock sees to that). A table above kMirrorRows
/// is not mirrored: look-ups then go to RocksDB (bloom-filtered) as before.
constexpr std::size_t kMirrorRows = 4u << 20;

class KeyMirror {
 public:
  using Map = std::unordered_map<std::string, std::uint8_t, KeyHash, std::equal_to<>>;

  /// nullopt when not mirrored (too large, or a read error while loading).
  std::optional<std::uint8_t> find(std::string_view key) const {
    std::shared_lock lock(mu_);
    if (!complete_) return std::nullopt;
    const auto it = rows_.find(key);
    return it == rows_.end() ? std::uint8_t{0} : it->second;
  }

  void set(Map rows, bool complete) {
    std::unique_lock lock(mu_);
    rows_ = complete ? std::move(rows) : Map{};
    complete_ = complete;
  }

 private:
  mutable std::shared_mutex mu_;
  Map rows_;
  bool complete_ = false;
};

/// In-memory copy of the three registers, shaped for the questions rules ask. Registers are
/// small (thousands of rows for a large force) and change by administrator import only, so
/// the whole copy is rebuilt after each register write and swapped in under a lock.
struct Registers {
  using Set = std::unordered_set<std::string, KeyHash, std::equal_to<>>;
  Set interests;  ///< staff \0 business domain
  /// staff \0 offeror domain → gifts sorted by date (oldest first)
  std::unordered_map<std::string, std::vector<Gift>, KeyHash, std::equal_to<>> gifts;
  Set open_suppliers;  ///< supplier domains bidding for an open tender
  Set open_panels;     ///< panel member \0 supplier domain, for open tenders
};

std::string gift_key(const Gift& g) {
  // The date as fixed-width decimal µs sorts gifts of a pair by time (dates after 1970).
  std::string micros = std::to_string(g.date.time_since_epoch().count());
  if (micros.size() < 20) micros.insert(0, 20 - micros.size(), '0');
  return composite_key(g.staff_id, g.offeror) + kKeySep + micros;
}

std::uint8_t kind_bit(AssociationKind k) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(k));
}

}  // namespace

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
  KeyMirror lists_mirror, list_names_mirror, associations_mirror;
  mutable std::shared_mutex registers_mu;
  std::shared_ptr<const Registers> registers = std::make_shared<const Registers>();

  ~Db() { close(); }

  /// (Re)loads a mirror from its table; value_bits maps a row's value to its bits.
  template <class Bits>
  void load_mirror(KeyMirror& mirror, Table t, Bits value_bits) {
    KeyMirror::Map rows;
    bool complete = true;
    auto r = scan(t, {}, [&](std::string_view key, std::string_view value) {
      if (rows.size() >= kMirrorRows) return complete = false;
      rows.emplace(std::string(key), value_bits(value));
      return true;
    });
    mirror.set(std::move(rows), complete && r.has_value());
  }
  void load_lists_mirror() {
    load_mirror(lists_mirror, Table::lists, [](std::string_view) { return std::uint8_t{1}; });
    load_mirror(list_names_mirror, Table::list_names,
                [](std::string_view) { return std::uint8_t{1}; });
  }
  void load_associations_mirror() {
    load_mirror(associations_mirror, Table::associations, [this](std::string_view value) {
      std::uint8_t bits = 0x80;  // present, whatever its kinds
      if (const auto entries = decode_associations(value)) {
        for (const auto& e : *entries) bits |= kind_bit(e.kind);
      } else {
        ++unreadable;
      }
      return bits;
    });
  }

  /// Rebuilds the registers' copy from the three tables. Undecodable rows are counted and
  /// left out; a scan error leaves what was read so far (and is counted).
  void load_registers() {
    auto r = std::make_shared<Registers>();
    const auto skip = [this] { ++unreadable; };
    auto s1 = scan(Table::business_interests, {}, [&](std::string_view, std::string_view v) {
      if (auto bi = decode_business_interest(v)) {
        if (!bi->domain.empty()) r->interests.insert(composite_key(bi->staff_id, bi->domain));
      } else {
        skip();
      }
      return true;
    });
    auto s2 = scan(Table::gifts, {}, [&](std::string_view, std::string_view v) {
      if (auto g = decode_gift(v)) {
        if (!g->offeror_domain.empty()) {
          auto& list = r->gifts[composite_key(g->staff_id, g->offeror_domain)];
          list.push_back(std::move(*g));
        }
      } else {
        skip();
      }
      return true;
    });
    for (auto& [key, list] : r->gifts)
      std::stable_sort(list.begin(), list.end(),
                       [](const Gift& a, const Gift& b) { return a.date < b.date; });
    std::vector<TenderBid> bids;
    std::map<std::string, std::set<std::string>> panels;  // tender → union of its rows' panels
    auto s3 = scan(Table::tenders, {}, [&](std::string_view, std::string_view v) {
      if (auto b = decode_tender_bid(v)) {
        if (b->status == TenderStatus::open) {
          panels[b->tender_id].insert(b->panel.begin(), b->panel.end());
          bids.push_back(std::move(*b));
        }
      } else {
        skip();
      }
      return true;
    });
    for (const auto& b : bids) {
      r->open_suppliers.insert(lower(b.supplier_domain));
      for (const auto& member : panels[b.tender_id])
        r->open_panels.insert(composite_key(member, b.supplier_domain));
    }
    if (!s1 || !s2 || !s3) skip();
    std::unique_lock lock(registers_mu);
    registers = std::move(r);
  }

  void close() {
    if (!db) return;
    // Handles must go before the DB (RocksDB contract). Failures here cannot be acted on at
    // shutdown and the WAL already holds every write, so they are deliberately ignored.
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
    if (!s.ok()) return tl::unexpected(error("state.read", kTables[index_of(t)].cf, s));
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
    const std::string upper = prefix_successor(prefix);
    rocksdb::Slice upper_slice(upper);
    if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, cf(t)));
    for (it->Seek(slice(prefix)); it->Valid(); it->Next()) {
      const auto key = view(it->key());
      if (key.substr(0, prefix.size()) != prefix) break;
      if (!fn(key, view(it->value()))) break;
    }
    if (!it->status().ok())
      return tl::unexpected(error("state.read", kTables[index_of(t)].cf, it->status()));
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

  std::shared_ptr<const StaffRecord> staff(const std::string& key) const {
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
    if (ok) staff_cache.insert(key, record, generation);
    return record;
  }
};

Store::Store(std::unique_ptr<Db> db) : db_(std::move(db)) {}
Store::~Store() = default;

const fs::path& Store::dir() const { return db_->dir; }
bool Store::read_only() const { return db_->read_only; }
std::uint64_t Store::unreadable_values() const { return db_->unreadable.load(); }

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

  const rocksdb::DBOptions dbo = db_options(options.read_only);
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
    for (const auto& def : kTables) {
      if (std::find(on_disk.begin(), on_disk.end(), def.cf) == on_disk.end() &&
          !added_after_v1(def.table))
        return open_error("state.missing_table",
                          "column family '" + std::string(def.cf) + "' is missing");
    }
  }

  d->block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  const auto cfo = cf_options(d->block_cache);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::vector<std::size_t> opened;  // table index of descriptors[i + 1]
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cfo);
  for (const auto& def : kTables) {
    // Read-only, a register an older database lacks stays closed (nullptr: reads as empty).
    if (options.read_only && std::find(on_disk.begin(), on_disk.end(), def.cf) == on_disk.end())
      continue;
    descriptors.emplace_back(std::string(def.cf), cfo);
    opened.push_back(index_of(def.table));
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
  d->load_registers();
  return std::unique_ptr<Store>(new Store(std::move(d)));
}

// --- ReferenceData -------------------------------------------------------------------------

std::optional<StaffRecord> Store::staff(std::string_view staff_id) const {
  const auto record = db_->staff(lower(staff_id));
  if (!record) return std::nullopt;
  return *record;
}

std::optional<StaffRecord> Store::staff_by_email(std::string_view email) const {
  const std::string key = lower(email);
  std::uint64_t generation = 0;
  std::string id;
  if (auto hit = db_->email_cache.find(key, generation)) {
    id = std::move(*hit);
  } else {
    bool ok = false;
    auto bytes = db_->read_lenient(Table::staff_by_email, key, ok);
    if (bytes) id = std::move(*bytes);
    if (ok) db_->email_cache.insert(key, id, generation);
  }
  if (id.empty()) return std::nullopt;
  return staff(id);
}

bool Store::associated(std::string_view staff_id, std::string_view party_id,
                       std::optional<AssociationKind> kind) const {
  if (const auto bits = db_->associations_mirror.find(LowerKey(staff_id, party_id).view()))
    return kind ? (*bits & kind_bit(*kind)) != 0 : *bits != 0;
  bool ok = false;
  const auto bytes = db_->read_lenient(Table::associations, composite_key(staff_id, party_id), ok);
  if (!bytes) return false;
  if (!kind) return true;
  const auto entries = decode_associations(*bytes);
  if (!entries) {
    ++db_->unreadable;
    return false;
  }
  for (const auto& e : *entries)
    if (e.kind == *kind) return true;
  return false;
}

std::optional<VettingLevel> Store::system_required_vetting(std::string_view system) const {
  const std::string key = lower(system);
  std::uint64_t generation = 0;
  if (auto hit = db_->system_cache.find(key, generation)) return *hit;
  bool ok = false;
  std::optional<VettingLevel> level;
  if (const auto bytes = db_->read_lenient(Table::systems, key, ok)) {
    level = decode_system(*bytes);
    if (!level) {
      ++db_->unreadable;
      ok = false;
    }
  }
  if (ok) db_->system_cache.insert(key, level, generation);
  return level;
}

bool Store::in_list(std::string_view list, std::string_view value) const {
  if (const auto bits = db_->lists_mirror.find(LowerKey(list, value).view())) return *bits != 0;
  std::string key = composite_key(list, value);
  std::uint64_t generation = 0;
  if (auto hit = db_->list_cache.find(key, generation)) return *hit;
  bool ok = false;
  const bool found = db_->exists(Table::lists, key, ok);
  if (ok) db_->list_cache.insert(std::move(key), found, generation);
  return found;
}

bool Store::list_exists(std::string_view list) const {
  if (const auto bits = db_->list_names_mirror.find(LowerKey(list).view())) return *bits != 0;
  std::string key = lower(list);
  std::uint64_t generation = 0;
  if (auto hit = db_->list_name_cache.find(key, generation)) return *hit;
  bool ok = false;
  const bool found = db_->exists(Table::list_names, key, ok);
  if (ok) db_->list_name_cache.insert(std::move(key), found, generation);
  return found;
}

bool Store::has_business_interest(std::string_view staff_id, std::string_view domain) const {
  const LowerKey key(staff_id, domain);
  std::shared_lock lock(db_->registers_mu);
  return db_->registers->interests.find(key.view()) != db_->registers->interests.end();
}

std::optional<Gift> Store::latest_gift(std::string_view staff_id, std::string_view offeror_domain,
                                       Timestamp not_after) const {
  const LowerKey key(staff_id, offeror_domain);
  std::shared_lock lock(db_->registers_mu);
  const auto& gifts = db_->registers->gifts;
  const auto it = gifts.find(key.view());
  if (it == gifts.end()) return std::nullopt;
  // Sorted by date: the first gift after not_after, then one back.
  const auto after = std::upper_bound(it->second.begin(), it->second.end(), not_after,
                                      [](Timestamp t, const Gift& g) { return t < g.date; });
  if (after == it->second.begin()) return std::nullopt;
  return *std::prev(after);
}

bool Store::on_open_tender_panel_with(std::string_view staff_id,
                                      std::string_view supplier_domain) const {
  const LowerKey key(staff_id, supplier_domain);
  std::shared_lock lock(db_->registers_mu);
  return db_->registers->open_panels.find(key.view()) != db_->registers->open_panels.end();
}

bool Store::is_open_tender_supplier(std::string_view domain) const {
  const LowerKey key(domain);
  std::shared_lock lock(db_->registers_mu);
  return db_->registers->open_suppliers.find(key.view()) != db_->registers->open_suppliers.end();
}

// --- Reference writes ----------------------------------------------------------------------

namespace {

Result<void> check_id(std::string_view what, std::string_view id) {
  if (id.empty()) return fail("state.bad_key", std::string(what) + " is empty");
  if (has_nul(id))
    return fail("state.bad_key",
                std::string(what) + " '" + std::string(id) + "' contains a NUL byte");
  return {};
}

}  // namespace

// Adds a write to the batch, turning a (memory-only) batch failure into an Error.
#define PROBITY_BATCH(expr)                                                     \
  do {                                                                          \
    if (const auto batch_status_ = (expr); !batch_status_.ok())                 \
      return tl::unexpected(db_->error("state.write", "batch", batch_status_)); \
  } while (0)

Result<void> Store::put_staff(const std::vector<StaffRecord>& rows, bool replace) {
  if (auto r = db_->check_writable(); !r) return r;
  std::vector<StaffRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    if (auto r = check_id("staff id", row.id); !r) return r;
    StaffRecord rec = row;
    rec.id = lower(row.id);
    for (auto& email : rec.emails) {
      if (auto r = check_id("email of staff " + rec.id, email); !r) return r;
      email = lower(email);
    }
    records.push_back(std::move(rec));
  }

  std::lock_guard lock(db_->reference_write_mu);
  rocksdb::WriteBatch batch;
  if (replace) {
    if (auto r = db_->delete_prefix(batch, Table::staff, {}); !r) return r;
    if (auto r = db_->delete_prefix(batch, Table::staff_by_email, {}); !r) return r;
  } else {
    // Drop aliases an updated record no longer has, but only those still pointing at it.
    // All deletes precede all puts so one row's new alias survives another row's cleanup.
    for (const auto& rec : records) {
      auto old = db_->read(Table::staff, rec.id);
      if (!old) return tl::unexpected(old.error());
      if (!*old) continue;
      const auto decoded = decode_staff(**old);
      if (!decoded) continue;
      for (const auto& email : decoded->emails) {
        auto owner = db_->read(Table::staff_by_email, email);
        if (!owner) return tl::unexpected(owner.error());
        if (*owner && **owner == rec.id)
          PROBITY_BATCH(batch.Delete(db_->cf(Table::staff_by_email), slice(email)));
      }
    }
  }
  for (const auto& rec : records) {
    PROBITY_BATCH(batch.Put(db_->cf(Table::staff), slice(rec.id), encode_staff(rec)));
    for (const auto& email : rec.emails)
      PROBITY_BATCH(batch.Put(db_->cf(Table::staff_by_email), slice(email), slice(rec.id)));
  }
  auto r = db_->commit(batch, /*sync=*/true);
  db_->staff_cache.invalidate();
  db_->email_cache.invalidate();
  return r;
}

Result<void> Store::put_associations(const std::vector<Association>& rows, bool replace) {
  if (auto r = db_->check_writable(); !r) return r;
  for (const auto& row : rows) {
    if (auto r = check_id("association staff id", row.staff_id); !r) return r;
    if (auto r = check_id("association party id", row.party_id); !r) return r;
  }
  std::lock_guard lock(db_->reference_write_mu);
  rocksdb::WriteBatch batch;
  if (replace) {
    if (auto r = db_->delete_prefix(batch, Table::associations, {}); !r) return r;
  }
  std::map<std::string, std::vector<AssociationEntry>> pairs;
  for (const auto& row : rows) {
    const std::string key = composite_key(row.staff_id, row.party_id);
    auto [it, inserted] = pairs.try_emplace(key);
    if (inserted && !replace) {
      auto old = db_->read(Table::associations, key);
      if (!old) return tl::unexpected(old.error());
      if (*old) {
        if (auto entries = decode_associations(**old)) it->second = std::move(*entries);
      }
    }
    AssociationEntry entry{row.kind, row.party_name, row.declared_on};
    bool merged = false;
    for (auto& e : it->second) {
      if (e.kind == row.kind) {
        e = entry;
        merged = true;
      }
    }
    if (!merged) it->second.push_back(std::move(entry));
  }
  for (const auto& [key, entries] : pairs)
    PROBITY_BATCH(
        batch.Put(db_->cf(Table::associations), slice(key), encode_associations(entries)));
  auto r = db_->commit(batch, /*sync=*/true);
  db_->load_associations_mirror();
  return r;
}

Result<void> Store::put_systems(const std::vector<std::pair<std::string, VettingLevel>>& rows,
                                bool replace) {
  if (auto r = db_->check_writable(); !r) return r;
  for (const auto& [name, level] : rows)
    if (auto r = check_id("system name", name); !r) return r;
  std::lock_guard lock(db_->reference_write_mu);
  rocksdb::WriteBatch batch;
  if (replace) {
    if (auto r = db_->delete_prefix(batch, Table::systems, {}); !r) return r;
  }
  for (const auto& [name, level] : rows)
    PROBITY_BATCH(batch.Put(db_->cf(Table::systems), lower(name), encode_system(level)));
  auto r = db_->commit(batch, /*sync=*/true);
  db_->system_cache.invalidate();
  return r;
}

Result<void> Store::put_list(std::string_view list, const std::vector<std::string>& values,
                             bool replace) {
  if (auto r = db_->check_writable(); !r) return r;
  if (auto r = check_id("list name", list); !r) return r;
  for (const auto& v : values)
    if (auto r = check_id("value of list " + std::string(list), v); !r) return r;
  const std::string name = lower(list);
  std::lock_guard lock(db_->reference_write_mu);
  rocksdb::WriteBatch batch;
  if (replace) {
    if (auto r = db_->delete_prefix(batch, Table::lists, name + kKeySep); !r) return r;
  }
  for (const auto& v : values)
    PROBITY_BATCH(batch.Put(db_->cf(Table::lists), composite_key(name, v), rocksdb::Slice()));
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  PROBITY_BATCH(batch.Put(db_->cf(Table::list_names), name, encode_list_meta(now)));
  auto r = db_->commit(batch, /*sync=*/true);
  db_->list_cache.invalidate();
  db_->list_name_cache.invalidate();
  db_->load_lists_mirror();
  return r;
}

// The three registers share one shape: check ids, (optionally) clear the table, put one
// encoded row per key, commit, rebuild the in-memory copy.
// Templated on the database type: Store::Db is private, so it is deduced, not named.
template <class Db, class Row, class KeyOf, class Encode>
Result<void> put_register(Db& db, Table t, const std::vector<Row>& rows, bool replace, KeyOf key_of,
                          Encode encode) {
  if (auto r = db.check_writable(); !r) return r;
  std::vector<std::pair<std::string, std::string>> puts;
  puts.reserve(rows.size());
  for (const auto& row : rows) {
    auto key = key_of(row);
    if (!key) return tl::unexpected(key.error());
    puts.emplace_back(std::move(*key), encode(row));
  }
  std::lock_guard lock(db.reference_write_mu);
  rocksdb::WriteBatch batch;
  if (replace) {
    if (auto r = db.delete_prefix(batch, t, {}); !r) return r;
  }
  for (const auto& [key, value] : puts) {
    if (const auto st = batch.Put(db.cf(t), slice(key), slice(value)); !st.ok())
      return tl::unexpected(db.error("state.write", "batch", st));
  }
  auto r = db.commit(batch, /*sync=*/true);
  db.load_registers();
  return r;
}

Result<void> Store::put_business_interests(const std::vector<BusinessInterest>& rows,
                                           bool replace) {
  return put_register(
      *db_, Table::business_interests, rows, replace,
      [](const BusinessInterest& r) -> Result<std::string> {
        if (auto c = check_id("business interest staff id", r.staff_id); !c)
          return tl::unexpected(c.error());
        if (auto c = check_id("business name", r.business); !c) return tl::unexpected(c.error());
        return composite_key(r.staff_id, r.business);
      },
      [](const BusinessInterest& r) {
        BusinessInterest row = r;
        row.staff_id = lower(r.staff_id);
        row.domain = lower(r.domain);
        return encode_business_interest(row);
      });
}

Result<void> Store::put_gifts(const std::vector<Gift>& rows, bool replace) {
  return put_register(
      *db_, Table::gifts, rows, replace,
      [](const Gift& r) -> Result<std::string> {
        if (auto c = check_id("gift staff id", r.staff_id); !c) return tl::unexpected(c.error());
        if (auto c = check_id("gift offeror", r.offeror); !c) return tl::unexpected(c.error());
        return gift_key(r);
      },
      [](const Gift& r) {
        Gift row = r;
        row.staff_id = lower(r.staff_id);
        row.offeror_domain = lower(r.offeror_domain);
        return encode_gift(row);
      });
}

Result<void> Store::put_tenders(const std::vector<TenderBid>& rows, bool replace) {
  return put_register(
      *db_, Table::tenders, rows, replace,
      [](const TenderBid& r) -> Result<std::string> {
        if (auto c = check_id("tender id", r.tender_id); !c) return tl::unexpected(c.error());
        if (auto c = check_id("tender supplier", r.supplier); !c) return tl::unexpected(c.error());
        if (auto c = check_id("tender supplier domain", r.supplier_domain); !c)
          return tl::unexpected(c.error());
        return composite_key(r.tender_id, r.supplier);
      },
      [](const TenderBid& r) {
        TenderBid row = r;
        row.tender_id = lower(r.tender_id);
        row.supplier_domain = lower(r.supplier_domain);
        for (auto& m : row.panel) m = lower(m);
        return encode_tender_bid(row);
      });
}

// --- Reference scans -----------------------------------------------------------------------

namespace {

template <class T, class Db, class Decode>
std::vector<T> scan_register(const Db& db, Table t, Decode decode) {
  std::vector<T> out;
  auto r = db.scan(t, {}, [&](std::string_view, std::string_view value) {
    if (auto row = decode(value)) {
      out.push_back(std::move(*row));
    } else {
      ++db.unreadable;
    }
    return true;
  });
  if (!r) ++db.unreadable;
  return out;
}

}  // namespace

std::vector<BusinessInterest> Store::business_interests() const {
  return scan_register<BusinessInterest>(*db_, Table::business_interests, decode_business_interest);
}
std::vector<Gift> Store::gifts() const {
  return scan_register<Gift>(*db_, Table::gifts, decode_gift);
}
std::vector<TenderBid> Store::tenders() const {
  return scan_register<TenderBid>(*db_, Table::tenders, decode_tender_bid);
}

std::vector<Association> Store::associations_of(std::string_view staff_id) const {
  std::vector<Association> out;
  const std::string prefix = lower(staff_id) + kKeySep;
  auto r =
      db_->scan(Table::associations, prefix, [&](std::string_view key, std::string_view value) {
        const auto entries = decode_associations(value);
        if (!entries) {
          ++db_->unreadable;
          return true;
        }
        const std::string party(key.substr(prefix.size()));
        for (const auto& e : *entries)
          out.push_back({lower(staff_id), party, e.party_name, e.kind, e.declared_on});
        return true;
      });
  if (!r) ++db_->unreadable;
  return out;
}

std::vector<std::string> Store::list_values(std::string_view list) const {
  std::vector<std::string> out;
  const std::string prefix = lower(list) + kKeySep;
  auto r = db_->scan(Table::lists, prefix, [&](std::string_view key, std::string_view) {
    out.emplace_back(key.substr(prefix.size()));
    return true;
  });
  if (!r) ++db_->unreadable;
  return out;
}

std::vector<std::string> Store::list_names() const {
  std::vector<std::string> out;
  auto r = db_->scan(Table::list_names, {}, [&](std::string_view key, std::string_view) {
    out.emplace_back(key);
    return true;
  });
  if (!r) ++db_->unreadable;
  return out;
}

std::size_t Store::staff_count() const {
  std::size_t n = 0;
  auto r = db_->scan(Table::staff, {}, [&](std::string_view, std::string_view) {
    ++n;
    return true;
  });
  if (!r) ++db_->unreadable;
  return n;
}

std::vector<std::pair<std::string, VettingLevel>> Store::systems() const {
  std::vector<std::pair<std::string, VettingLevel>> out;
  auto r = db_->scan(Table::systems, {}, [&](std::string_view key, std::string_view value) {
    if (const auto level = decode_system(value)) {
      out.emplace_back(std::string(key), *level);
    } else {
      ++db_->unreadable;
    }
    return true;
  });
  if (!r) ++db_->unreadable;
  return out;
}

// --- Runtime tables ------------------------------------------------------------------------

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
    if (w.value) {
      PROBITY_BATCH(batch.Put(cf, w.key, *w.value));
    } else {
      PROBITY_BATCH(batch.Delete(cf, w.key));
    }
  }
  return db_->commit(batch, sync);
}

Result<void> Store::scan(RuntimeTable t, std::string_view prefix,
                         const std::function<bool(std::string_view, std::string_view)>& fn) const {
  return db_->scan(table_of(t), prefix, fn);
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
