// Every column family of the state database, declared once with its key and value shapes.
// Store::open resolves each to a handle; adding a table means a row here (and, if existing
// databases cannot take it as an empty family, a schema version bump). Not a public header.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "state/keys.h"
#include "state/store.h"

namespace probity::state {

/// Bump when a key or value encoding changes incompatibly; Store::open refuses other versions.
inline constexpr std::uint32_t kSchemaVersion = 1;
/// meta key holding kSchemaVersion as decimal text.
inline constexpr std::string_view kSchemaVersionKey = "schema_version";
/// Version field inside every encoded reference value ("v"), checked on decode.
inline constexpr int kValueVersion = 1;

enum class Table : std::uint8_t {
  meta,
  staff,
  staff_by_email,
  associations,
  systems,
  lists,
  list_names,
  alerts,
  outbox,
  rule_state,
  audit,
  business_interests,
  gifts,
  tenders,
};

struct TableDef {
  Table table;
  std::string_view cf;     ///< column family name on disk
  std::string_view key;    ///< key shape, for readers of this file and `state show`
  std::string_view value;  ///< value shape
};

// Identifiers in keys are ASCII lower-cased (reference.h); "\0" is kKeySep.
inline constexpr std::array kTables = {
    TableDef{Table::meta, "meta", "name", "text (schema_version: decimal)"},
    TableDef{Table::staff, "staff", "staff id", "StaffRecord, CBOR v1"},
    TableDef{Table::staff_by_email, "staff_by_email", "email", "staff id (bytes)"},
    TableDef{Table::associations, "associations", "staff id \\0 party id",
             "CBOR v1: entries [{kind, party_name, declared_on}]"},
    TableDef{Table::systems, "systems", "system name", "CBOR v1: {required_vetting}"},
    TableDef{Table::lists, "lists", "list name \\0 value", "empty"},
    TableDef{Table::list_names, "list_names", "list name", "CBOR v1: {updated}"},
    TableDef{Table::alerts, "alerts", "alert id", "alert JSON (alerts/)"},
    TableDef{Table::outbox, "outbox", "sink:alert id", "delivery record JSON (alerts/)"},
    TableDef{Table::rule_state, "rule_state", "rules/ defined", "rules/ defined"},
    TableDef{Table::audit, "audit", "audit/ defined", "audit/ defined"},
    // The registers (added after schema 1 shipped; Store::open creates them in an older
    // database, and a read-only open of one without them reads them as empty).
    TableDef{Table::business_interests, "business_interests", "staff id \\0 business name",
             "CBOR v1: {business, domain, role, approved, declared_on}"},
    TableDef{Table::gifts, "gifts", "staff id \\0 offeror \\0 date (µs, 20 digits)",
             "CBOR v1: {offeror, offeror_domain, value_pence, date, accepted}"},
    TableDef{Table::tenders, "tenders", "tender id \\0 supplier name",
             "CBOR v1: {tender_id, supplier, supplier_domain, status, panel, opens, closes}"},
};
/// Tables an older schema-1 database may lack: created on a writable open, empty on a
/// read-only one.
constexpr bool added_after_v1(Table t) {
  return t == Table::business_interests || t == Table::gifts || t == Table::tenders;
}
inline constexpr std::size_t kTableCount = kTables.size();

constexpr std::size_t index_of(Table t) { return static_cast<std::size_t>(t); }

constexpr Table table_of(RuntimeTable t) {
  switch (t) {
    case RuntimeTable::alerts:
      return Table::alerts;
    case RuntimeTable::outbox:
      return Table::outbox;
    case RuntimeTable::rule_state:
      return Table::rule_state;
    case RuntimeTable::audit:
      return Table::audit;
  }
  return Table::audit;  // unreachable; keeps -Wreturn-type quiet
}

constexpr std::optional<Table> table_by_name(std::string_view cf) {
  for (const auto& def : kTables)
    if (def.cf == cf) return def.table;
  return std::nullopt;
}

// The array is indexed by Table; keep the two in the same order.
static_assert([] {
  for (std::size_t i = 0; i < kTables.size(); ++i)
    if (index_of(kTables[i].table) != i) return false;
  return true;
}());

}  // namespace probity::state
