// The one place the register questions of ReferenceData (business interests, gifts, open
// tenders, high-profile people, sites, subject addresses) are answered: RegisterIndex shapes the
// register rows for those questions, and IndexedRegisters answers them for every implementation
// (Store and MemoryReference derive from it), so the two cannot drift. Not a store: rows come from
// the caller.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "state/keys.h"
#include "state/reference.h"
#include "state/reference_tables.h"
#include "state/site_index.h"

namespace probity::state {

/// An immutable index of the three registers. Registers are small (thousands of rows for a
/// large force) and change by administrator import only, so an index is built whole and
/// swapped, never updated in place.
class RegisterIndex {
 public:
  RegisterIndex() = default;
  /// Indexes the register tables of `rows` (in any order; ids are lower-cased here). Rows
  /// with an empty domain are kept out of the domain questions (they can never match one).
  /// A tender's panel is the union of the panels of all rows sharing its tender_id; only
  /// open tenders count.
  explicit RegisterIndex(const ReferenceTables& rows);

  bool has_business_interest(std::string_view staff_id, std::string_view domain) const;
  std::optional<Gift> latest_gift(std::string_view staff_id, std::string_view offeror_domain,
                                  Timestamp not_after) const;
  bool on_open_tender_panel_with(std::string_view staff_id, std::string_view supplier_domain) const;
  bool is_open_tender_supplier(std::string_view domain) const;
  std::vector<HighProfilePerson> high_profile_with_id(std::string_view id) const;
  std::vector<HighProfilePerson> high_profile_named(std::string_view text) const;
  std::vector<HighProfilePerson> high_profile_at(std::string_view address) const;
  const SiteRange* site_of(std::string_view ip, std::string_view host) const;
  std::optional<std::string> subject_address(std::string_view system,
                                             std::string_view subject_id) const;

 private:
  using Positions =
      std::unordered_map<std::string, std::vector<std::size_t>, KeyHash, std::equal_to<>>;
  /// The rows at the positions filed under `keys` in `index`, each once, in register order,
  /// at most kHighProfileCandidates.
  std::vector<HighProfilePerson> rows_under(const Positions& index,
                                            const std::vector<std::string>& keys) const;

  using Set = std::unordered_set<std::string, KeyHash, std::equal_to<>>;
  Set interests_;  ///< staff \0 business domain
  /// staff \0 offeror domain → gifts sorted by date (oldest first)
  std::unordered_map<std::string, std::vector<Gift>, KeyHash, std::equal_to<>> gifts_;
  Set open_suppliers_;  ///< supplier domains bidding for an open tender
  Set open_panels_;     ///< panel member \0 supplier domain, for open tenders
  /// High-profile entries (last row per ref wins) and their positions by lower-cased record
  /// id, by name key of the surname and aliases, by postcode and by street key
  /// (high_profile_keys.h).
  std::vector<HighProfilePerson> high_profile_;
  Positions hp_by_id_, hp_by_name_, hp_by_postcode_, hp_by_street_;
  SiteIndex sites_;
  /// system (empty: any) \0 subject id → address; a later row replaces an earlier.
  std::unordered_map<std::string, std::string, KeyHash, std::equal_to<>> subject_addresses_;
};

/// ReferenceData whose register questions are answered from a RegisterIndex that the
/// derived class sets (and may replace at any time: readers see the old or the new one
/// whole). Thread-safe; a look-up costs a shared lock and one or two hash probes.
class IndexedRegisters : public ReferenceData {
 public:
  bool has_business_interest(std::string_view staff_id, std::string_view domain) const final;
  std::optional<Gift> latest_gift(std::string_view staff_id, std::string_view offeror_domain,
                                  Timestamp not_after) const final;
  bool on_open_tender_panel_with(std::string_view staff_id,
                                 std::string_view supplier_domain) const final;
  bool is_open_tender_supplier(std::string_view domain) const final;
  std::vector<HighProfilePerson> high_profile_with_id(std::string_view id) const final;
  std::vector<HighProfilePerson> high_profile_named(std::string_view text) const final;
  std::vector<HighProfilePerson> high_profile_at(std::string_view address) const final;
  std::shared_ptr<const SiteRange> site_of(std::string_view ip, std::string_view host) const final;
  std::optional<std::string> subject_address(std::string_view system,
                                             std::string_view subject_id) const final;

 protected:
  void set_registers(std::shared_ptr<const RegisterIndex> index);

 private:
  mutable std::shared_mutex mu_;
  std::shared_ptr<const RegisterIndex> index_ = std::make_shared<const RegisterIndex>();
};

}  // namespace probity::state
