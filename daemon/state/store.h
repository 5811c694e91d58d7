// The RocksDB store: one database under the state directory, one column family per
// table (tables.h lists them). The only place RocksDB appears; its Status never leaves
// state/. Reference data goes in through import (import.h) and out through the
// ReferenceData interface; runtime tables (alerts, outbox, ...) are byte-valued.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "state/reference.h"

namespace probity::state {

/// Runtime tables whose values other stages encode themselves.
enum class RuntimeTable : std::uint8_t {
  alerts,     ///< alert id → alert JSON
  outbox,     ///< sink:alert id → delivery record JSON
  rule_state, ///< correlation windows, sequences, baselines (rules/)
  audit,      ///< the daemon's own audit trail
};

/// One write in a runtime batch; an empty value erases the key.
struct RuntimeWrite {
  RuntimeTable table;
  std::string key;
  std::optional<std::string> value;
};

struct StoreOptions {
  std::filesystem::path dir;
  bool read_only = false;  ///< for `probity state show` beside a running daemon
};

class Store final : public ReferenceData {
 public:
  /// Opens or creates the database and every column family; checks the schema version.
  /// Errors: unreadable dir, another process holds the lock, unknown schema version.
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // ReferenceData (thread-safe; a RocksDB point read each, see the .cpp for caching).
  std::optional<StaffRecord> staff(std::string_view staff_id) const override;
  std::optional<StaffRecord> staff_by_email(std::string_view email) const override;
  bool associated(std::string_view staff_id, std::string_view party_id,
                  std::optional<AssociationKind> kind) const override;
  std::optional<VettingLevel> system_required_vetting(std::string_view system) const override;
  bool in_list(std::string_view list, std::string_view value) const override;
  bool list_exists(std::string_view list) const override;

  /// Writes in one atomic batch (an import of a whole file is all or nothing).
  Result<void> put_staff(const std::vector<StaffRecord>& rows);
  Result<void> put_associations(const std::vector<Association>& rows);
  Result<void> put_systems(const std::vector<std::pair<std::string, VettingLevel>>& rows);
  /// replace=true clears the list first, in the same batch.
  Result<void> put_list(std::string_view list, const std::vector<std::string>& values,
                        bool replace);

  std::vector<Association> associations_of(std::string_view staff_id) const;
  std::vector<std::string> list_values(std::string_view list) const;

  // Runtime tables: plain bytes. get() returns nullopt on a missing key.
  Result<void> put(RuntimeTable t, std::string_view key, std::string_view value, bool sync = false);
  Result<std::optional<std::string>> get(RuntimeTable t, std::string_view key) const;
  Result<void> erase(RuntimeTable t, std::string_view key, bool sync = false);
  /// All writes or none, in one RocksDB WriteBatch (e.g. an alert and its outbox entries).
  Result<void> write_batch(const std::vector<RuntimeWrite>& writes, bool sync);
  /// Calls fn(key, value) for keys starting with prefix, in key order, until fn returns false.
  Result<void> scan(RuntimeTable t, std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const;

 private:
  struct Db;
  explicit Store(std::unique_ptr<Db> db);
  std::unique_ptr<Db> db_;
};

}  // namespace probity::state
