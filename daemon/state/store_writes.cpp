// The Store's reference writes: each call validates its keys, builds one WriteBatch (a
// full replace deletes the old rows in the same batch), commits it synced, then drops the
// caches and rebuilds the mirrors and register index the reads use.
#include <map>
#include <type_traits>

#include "state/reference_rows.h"
#include "state/store_db.h"

namespace probity::state {

namespace {

Result<void> check_id(std::string_view what, std::string_view id) {
  if (id.empty()) return fail("state.bad_key", std::string(what) + " is empty");
  if (has_nul(id))
    return fail("state.bad_key",
                std::string(what) + " '" + std::string(id) + "' contains a NUL byte");
  return {};
}

}  // namespace

Result<void> Store::put_staff(const std::vector<StaffRecord>& rows, bool replace) {
  if (auto r = db_->check_writable(); !r) return r;
  std::vector<StaffRecord> records;
  records.reserve(rows.size());
  for (const auto& row : rows) {
    if (auto r = check_id("staff id", row.id); !r) return r;
    StaffRecord rec = row;
    normalise(rec);
    for (const auto& email : rec.emails)
      if (auto r = check_id("email of staff " + rec.id, email); !r) return r;
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
  for (const auto& given : rows) {
    Association row = given;
    normalise(row);
    const std::string key = composite_key(row.staff_id, row.party_id);
    auto [it, inserted] = pairs.try_emplace(key);
    if (inserted && !replace) {
      auto old = db_->read(Table::associations, key);
      if (!old) return tl::unexpected(old.error());
      if (*old) {
        if (auto entries = decode_associations(**old)) it->second = std::move(*entries);
      }
    }
    AssociationEntry entry{row.kind,          row.party_name, row.declared_on,  row.party_dob,
                           row.party_aliases, row.party_ids,  row.party_address};
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
  db_->associations_cache.invalidate();
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

namespace {

/// The required text fields of a register row (its key parts) must be valid ids.
template <class Def>
Result<void> check_register_row(const Def& reg, const typename Def::RowType& row) {
  Result<void> r;
  for_each_field(reg, [&](const auto& f) {
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(row.*f.member)>, std::string>) {
      if (r && f.required)
        r = check_id(std::string(reg.table) + " " + std::string(f.name), row.*f.member);
    }
  });
  return r;
}

// Every register has one shape: check ids, (optionally) clear the table, put one normalised
// row per row_key (reference_tables.h), commit; the caller re-indexes. Templated on the
// database type: Store::Db is private, so it is deduced, not named.
template <class Db, class Def>
Result<void> write_register(Db& db, const Def& reg, const std::vector<typename Def::RowType>& rows,
                            bool replace) {
  if (auto r = db.check_writable(); !r) return r;
  std::vector<std::pair<std::string, std::string>> puts;
  puts.reserve(rows.size());
  for (const auto& row : rows) {
    if (auto r = check_register_row(reg, row); !r) return r;
    auto normal = row;
    normalise(normal);
    puts.emplace_back(row_key(normal), encode_register_row(reg, normal));
  }
  const Table t = register_table(reg);
  std::lock_guard lock(db.reference_write_mu);
  rocksdb::WriteBatch batch;
  if (replace) {
    if (auto r = db.delete_prefix(batch, t, {}); !r) return r;
  }
  for (const auto& [key, value] : puts) {
    if (const auto st = batch.Put(db.cf(t), slice(key), slice(value)); !st.ok())
      return tl::unexpected(db.error("state.write", "batch", st));
  }
  return db.commit(batch, /*sync=*/true);
}

}  // namespace

Result<void> Store::put_register(ImportKind kind, const ReferenceTables& rows, bool replace) {
  if (!is_register(kind))
    return fail("state.bad_kind", std::string(to_string(kind)) + " is not a register");
  Result<void> r;
  for_each_register([&](const auto& reg) {
    if (reg.kind == kind) r = write_register(*db_, reg, rows.*reg.rows, replace);
  });
  reload_registers();
  return r;
}

}  // namespace probity::state
