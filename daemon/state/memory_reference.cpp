// MemoryReference (memory_reference.h): upsert rows into ReferenceTables, then rebuild the
// hash indexes the look-ups use. Rebuilding whole is fine: rows arrive in a few large adds.
#include "state/memory_reference.h"

#include <algorithm>
#include <map>
#include <memory>

#include "state/keys.h"

namespace probity::state {

namespace {

/// Appends `rows` to `into`, first removing any held row with the same key, so `into` stays
/// in the order rows were last written (what "the last write wins" means for e-mail aliases).
template <class Row, class KeyOf>
void upsert(std::vector<Row>& into, std::vector<Row>& rows, KeyOf key_of) {
  for (auto& row : rows) {
    const auto key = key_of(row);
    std::erase_if(into, [&](const Row& held) { return key_of(held) == key; });
    into.push_back(std::move(row));
  }
}

}  // namespace

MemoryReference::MemoryReference(ReferenceTables tables) { add(std::move(tables)); }

void MemoryReference::add(ReferenceTables rows) {
  for (auto& r : rows.staff) normalise(r);
  for (auto& r : rows.associations) normalise(r);
  upsert(tables_.staff, rows.staff, [](const StaffRecord& r) { return r.id; });
  upsert(tables_.associations, rows.associations, [](const Association& r) {
    return composite_key(r.staff_id, r.party_id) + kKeySep + std::string(to_string(r.kind));
  });
  upsert(tables_.systems, rows.systems,
         [](const std::pair<std::string, VettingLevel>& r) { return lower(r.first); });
  for (auto& [name, values] : rows.lists) {
    std::vector<std::string> folded;
    for (const auto& v : values) {
      std::string value = lower(v);
      if (std::find(folded.begin(), folded.end(), value) == folded.end())
        folded.push_back(std::move(value));
    }
    tables_.lists[lower(name)] = std::move(folded);
  }
  for_each_register([&](const auto& reg) {
    auto& more = rows.*reg.rows;
    for (auto& r : more) normalise(r);
    upsert(tables_.*reg.rows, more, [](const auto& r) { return row_key(r); });
  });
  reindex();
}

void MemoryReference::reindex() {
  staff_.clear();
  emails_.clear();
  for (const auto& r : tables_.staff) {
    staff_[r.id] = std::make_shared<const StaffRecord>(r);
    for (const auto& e : r.emails) emails_[e] = r.id;
  }
  associations_.clear();
  std::map<std::string, std::vector<Association>> by_staff;
  for (const auto& a : tables_.associations) {
    associations_[composite_key(a.staff_id, a.party_id)] |=
        kAssociationDeclared | association_bit(a.kind);
    by_staff[a.staff_id].push_back(a);
  }
  associations_by_staff_.clear();
  for (auto& [staff, rows] : by_staff)
    associations_by_staff_[staff] =
        std::make_shared<const std::vector<Association>>(std::move(rows));
  systems_.clear();
  for (const auto& [name, level] : tables_.systems) systems_[lower(name)] = level;
  list_values_.clear();
  list_names_.clear();
  for (const auto& [name, values] : tables_.lists) {
    list_names_.insert(name);
    for (const auto& v : values) list_values_.insert(composite_key(name, v));
  }
  set_registers(std::make_shared<const RegisterIndex>(tables_));
}

std::shared_ptr<const StaffRecord> MemoryReference::staff(std::string_view staff_id) const {
  ++staff_lookups_;
  const auto it = staff_.find(LowerKey(staff_id).view());
  return it == staff_.end() ? nullptr : it->second;
}

std::shared_ptr<const StaffRecord> MemoryReference::staff_by_email(std::string_view email) const {
  ++email_lookups_;
  const auto it = emails_.find(LowerKey(email).view());
  if (it == emails_.end()) return nullptr;
  const auto staff = staff_.find(it->second);
  return staff == staff_.end() ? nullptr : staff->second;
}

bool MemoryReference::associated(std::string_view staff_id, std::string_view party_id,
                                 std::optional<AssociationKind> kind) const {
  const auto it = associations_.find(LowerKey(staff_id, party_id).view());
  return association_matches(it == associations_.end() ? 0 : it->second, kind);
}

std::shared_ptr<const std::vector<Association>> MemoryReference::associations_of_staff(
    std::string_view staff_id) const {
  ++association_lookups_;
  static const auto kNone = std::make_shared<const std::vector<Association>>();
  const auto it = associations_by_staff_.find(LowerKey(staff_id).view());
  return it == associations_by_staff_.end() ? kNone : it->second;
}

std::optional<VettingLevel> MemoryReference::system_required_vetting(
    std::string_view system) const {
  const auto it = systems_.find(LowerKey(system).view());
  if (it == systems_.end()) return std::nullopt;
  return it->second;
}

bool MemoryReference::in_list(std::string_view list, std::string_view value) const {
  return list_values_.find(LowerKey(list, value).view()) != list_values_.end();
}

bool MemoryReference::list_exists(std::string_view list) const {
  return list_names_.find(LowerKey(list).view()) != list_names_.end();
}

}  // namespace probity::state
