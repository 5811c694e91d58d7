// The Store's reference reads: ReferenceData look-ups through caches and in-memory mirrors
// with RocksDB behind them, and the uncached scans `state show` and the API use. The register
// questions are answered by IndexedRegisters (register_index.h), not here.
#include <algorithm>

#include "state/store_db.h"

namespace probity::state {

std::shared_ptr<const StaffRecord> Store::staff(std::string_view staff_id) const {
  return db_->staff(LowerKey(staff_id).view());
}

std::shared_ptr<const StaffRecord> Store::staff_by_email(std::string_view email) const {
  const LowerKey key(email);
  std::uint64_t generation = 0;
  std::string id;
  if (auto hit = db_->email_cache.find(key.view(), generation)) {
    id = std::move(*hit);
  } else {
    bool ok = false;
    auto bytes = db_->read_lenient(Table::staff_by_email, key.view(), ok);
    if (bytes) id = std::move(*bytes);
    if (ok) db_->email_cache.insert(std::string(key.view()), id, generation);
  }
  if (id.empty()) return nullptr;
  return staff(id);
}

bool Store::associated(std::string_view staff_id, std::string_view party_id,
                       std::optional<AssociationKind> kind) const {
  if (const auto bits = db_->associations_mirror.find(LowerKey(staff_id, party_id).view()))
    return association_matches(*bits, kind);
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
  const LowerKey lowered(system);
  std::uint64_t generation = 0;
  if (auto hit = db_->system_cache.find(lowered.view(), generation)) return *hit;
  const std::string key(lowered.view());
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

ReferenceTables Store::registers() const { return db_->register_rows(); }

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
          out.push_back({lower(staff_id), party, e.party_name, e.kind, e.declared_on, e.party_dob,
                         e.party_aliases, e.party_ids, e.party_address});
        return true;
      });
  if (!r) ++db_->unreadable;
  return out;
}

std::shared_ptr<const std::vector<Association>> Store::associations_of_staff(
    std::string_view staff_id) const {
  std::uint64_t generation = 0;
  if (auto hit = db_->associations_cache.find(LowerKey(staff_id).view(), generation)) return *hit;
  std::string key = lower(staff_id);
  const auto before = db_->unreadable.load();
  auto rows = std::make_shared<const std::vector<Association>>(associations_of(key));
  // A read error is counted and not cached, so the next event asks again.
  if (db_->unreadable.load() == before)
    db_->associations_cache.insert(std::move(key), rows, generation);
  return rows;
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
}  // namespace probity::state
