// Every column family of the state database, declared once with its key and value shapes.
// Store::open resolves each to a handle. The fixed tables are rows here; the registers
// follow them, one family per entry of kRegisters (reference_tables.h), so a new register
// needs nothing here. A table existing databases cannot take as an empty family needs a
// schema version bump. Not a public header.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "state/keys.h"
#include "state/reference_tables.h"
#include "state/store.h"

namespace probity::state {

/// Bump when a key or value encoding changes incompatibly; Store::open refuses other versions.
inline constexpr std::uint32_t kSchemaVersion = 1;
/// meta key holding kSchemaVersion as decimal text.
inline constexpr std::string_view kSchemaVersionKey = "schema_version";

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
  accounts,
  alert_origins,
  ingest_journal,
  // The registers follow, one per kRegisters entry: register_table() names them.
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
    TableDef{Table::outbox, "outbox", "kind:destination:alert id",
             "delivery record JSON (alerts/)"},
    TableDef{Table::rule_state, "rule_state", "rules/ defined", "rules/ defined"},
    TableDef{Table::audit, "audit", "audit/ defined", "audit/ defined"},
    TableDef{Table::accounts, "accounts", "account name", "account JSON (access/)"},
    TableDef{Table::alert_origins, "alert_origins", "alert origin (hex hash)", "alert id"},
    TableDef{Table::ingest_journal, "ingest_journal",
             "'p' for the evaluated position; 'm' + sequence (8 bytes, big-endian) only in "
             "stores of versions whose journal had no files (app/store_journal.h)",
             "position: 8 bytes; 'm': received message record"},
};
inline constexpr std::size_t kFixedTableCount = kTables.size();
/// Every family: the fixed tables, then the registers (key row_key, value the register's
/// fields as CBOR v1; see kRegisters).
inline constexpr std::size_t kTableCount = kFixedTableCount + kRegisterCount;

constexpr std::size_t index_of(Table t) { return static_cast<std::size_t>(t); }

/// Column family names, indexed by Table.
inline constexpr auto kFamilyNames = [] {
  std::array<std::string_view, kTableCount> names{};
  std::size_t i = 0;
  for (const auto& def : kTables) names[i++] = def.cf;
  for_each_register([&](const auto& reg) { names[i++] = reg.table; });
  return names;
}();
constexpr std::string_view cf_name(Table t) { return kFamilyNames[index_of(t)]; }

constexpr std::optional<Table> table_by_name(std::string_view cf) {
  for (std::size_t i = 0; i < kFamilyNames.size(); ++i)
    if (kFamilyNames[i] == cf) return static_cast<Table>(i);
  return std::nullopt;
}

/// The family of one register descriptor.
template <class Def>
constexpr Table register_table(const Def& reg) {
  return *table_by_name(reg.table);
}

/// Tables an older schema-1 database may lack (accounts, alert origins, the journal and the
/// registers, all added after schema 1 shipped): created on a writable open, empty on a
/// read-only one.
constexpr bool added_after_v1(Table t) {
  return t == Table::accounts || t == Table::alert_origins || t == Table::ingest_journal ||
         index_of(t) >= kFixedTableCount;
}

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
    case RuntimeTable::accounts:
      return Table::accounts;
    case RuntimeTable::alert_origins:
      return Table::alert_origins;
    case RuntimeTable::ingest_journal:
      return Table::ingest_journal;
  }
  return Table::audit;  // unreachable; keeps -Wreturn-type quiet
}

// The array is indexed by Table; keep the two in the same order.
static_assert([] {
  for (std::size_t i = 0; i < kTables.size(); ++i)
    if (index_of(kTables[i].table) != i) return false;
  return true;
}());
static_assert(
    [] {
      for (std::size_t i = 0; i < kFamilyNames.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (kFamilyNames[i] == kFamilyNames[j]) return false;
      return true;
    }(),
    "two tables share a column family name");

}  // namespace probity::state
