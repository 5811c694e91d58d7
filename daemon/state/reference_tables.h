// ReferenceTables: every reference table as plain rows, the model MemoryReference answers
// from and inline rule tests carry; and the rules every implementation follows when it files
// a row (how ids are lower-cased, which key a row is filed under). Not an index: see
// memory_reference.h and register_index.h for the look-ups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "state/reference.h"

namespace probity::state {

/// Members have default initializers so a designated initializer may name just one table.
struct ReferenceTables {
  std::vector<StaffRecord> staff{};
  std::vector<Association> associations{};
  std::vector<std::pair<std::string, VettingLevel>> systems{};  ///< system → required level
  /// Named lists; a list present with no values is defined (list_exists) but empty.
  std::map<std::string, std::vector<std::string>> lists{};
  std::vector<BusinessInterest> business_interests{};
  std::vector<Gift> gifts{};
  std::vector<TenderBid> tenders{};

  bool empty() const {
    return staff.empty() && associations.empty() && systems.empty() && lists.empty() &&
           business_interests.empty() && gifts.empty() && tenders.empty();
  }
};

// Normal form: the identifiers a row is looked up by, ASCII lower-cased. The Store applies
// these before writing and MemoryReference before indexing, so both find the same rows.
void normalise(StaffRecord& r);  ///< id, emails
void normalise(Association& r);  ///< staff_id, party_id
void normalise(BusinessInterest& r);  ///< staff_id, domain
void normalise(Gift& r);  ///< staff_id, offeror_domain
void normalise(TenderBid& r);  ///< tender_id, supplier_domain, panel members

// The key a register row is filed under (lower-cased, kKeySep-joined); a later row with the
// same key replaces the earlier one, in the Store and in MemoryReference alike.
std::string row_key(const BusinessInterest& r);  ///< staff \0 business
std::string row_key(const Gift& r);  ///< staff \0 offeror \0 date (µs, 20 digits: sorts by date)
std::string row_key(const TenderBid& r);  ///< tender \0 supplier

/// Association kinds of one (staff, party) pair as a bit mask: bit 7 "declared at all", and
/// one bit per kind. Both implementations index associations this way.
inline constexpr std::uint8_t kAssociationDeclared = 0x80;
constexpr std::uint8_t association_bit(AssociationKind k) {
  return static_cast<std::uint8_t>(1u << static_cast<unsigned>(k));
}
/// The answer to ReferenceData::associated from a pair's bits (0 when the pair is unknown).
constexpr bool association_matches(std::uint8_t bits, std::optional<AssociationKind> kind) {
  return kind ? (bits & association_bit(*kind)) != 0 : bits != 0;
}

}  // namespace probity::state
