// MemoryReference: ReferenceData over ReferenceTables held in memory, for commands run
// without a state directory, inline rule tests and unit tests. An empty MemoryReference is
// "no reference data": every answer is no. Answers as the Store does on the same rows (the
// registers through the same RegisterIndex; keys through keys.h and reference_tables.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "state/reference_tables.h"
#include "state/register_index.h"

namespace probity::state {

/// Reads are thread-safe; add() is not safe beside readers (fill it, then share it).
class MemoryReference final : public IndexedRegisters {
 public:
  MemoryReference() = default;
  explicit MemoryReference(ReferenceTables tables);
  MemoryReference(const MemoryReference&) = delete;
  MemoryReference& operator=(const MemoryReference&) = delete;

  /// Adds rows as an upserting import would: a row whose key is already held replaces the
  /// old row (staff by id, associations by staff+party+kind, systems by name, registers by
  /// row_key); a named list given here replaces the list of that name (a test's list is
  /// the whole list). Rows are normalised (lower-cased ids) on the way in.
  void add(ReferenceTables rows);
  /// Every row held, normalised, in the order last written.
  const ReferenceTables& tables() const { return tables_; }

  std::shared_ptr<const StaffRecord> staff(std::string_view staff_id) const override;
  std::shared_ptr<const StaffRecord> staff_by_email(std::string_view email) const override;
  bool associated(std::string_view staff_id, std::string_view party_id,
                  std::optional<AssociationKind> kind = std::nullopt) const override;
  std::shared_ptr<const std::vector<Association>> associations_of_staff(
      std::string_view staff_id) const override;
  std::optional<VettingLevel> system_required_vetting(std::string_view system) const override;
  bool in_list(std::string_view list, std::string_view value) const override;
  bool list_exists(std::string_view list) const override;

  /// Look-ups made so far, so tests can see what a caller asked (and how often).
  std::uint64_t staff_lookups() const { return staff_lookups_; }
  std::uint64_t email_lookups() const { return email_lookups_; }
  std::uint64_t association_lookups() const { return association_lookups_; }

 private:
  void reindex();

  template <class V>
  using Map = std::unordered_map<std::string, V, KeyHash, std::equal_to<>>;
  using Set = std::unordered_set<std::string, KeyHash, std::equal_to<>>;

  ReferenceTables tables_;
  Map<std::shared_ptr<const StaffRecord>> staff_;  ///< id → a copy of its row in tables_
  Map<std::string> emails_;          ///< email → staff id (the last row written wins)
  Map<std::uint16_t> associations_;  ///< staff \0 party → association bits
  /// staff → every association they declared
  Map<std::shared_ptr<const std::vector<Association>>> associations_by_staff_;
  Map<VettingLevel> systems_;
  Set list_values_;  ///< list \0 value
  Set list_names_;
  mutable std::atomic<std::uint64_t> staff_lookups_{0};
  mutable std::atomic<std::uint64_t> email_lookups_{0};
  mutable std::atomic<std::uint64_t> association_lookups_{0};
};

}  // namespace probity::state
