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

#include "state/keys.h"
#include "state/reference.h"

namespace probity::state {

/// The reference tables an administrator can load.
enum class ImportKind : std::uint8_t {
  staff,
  associations,
  systems,
  list,
  business_interests,
  gifts,
  tenders
};
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

  /// Rows held: table rows plus list values (what an import reports as loaded).
  std::size_t size() const {
    std::size_t n = staff.size() + associations.size() + systems.size() +
                    business_interests.size() + gifts.size() + tenders.size();
    for (const auto& [name, values] : lists) n += values.size();
    return n;
  }
  bool empty() const {
    return staff.empty() && associations.empty() && systems.empty() && lists.empty() &&
           business_interests.empty() && gifts.empty() && tenders.empty();
  }
};

// Normal form: the identifiers a row is looked up by, ASCII lower-cased. The Store applies
// these before writing and MemoryReference before indexing, so both find the same rows.
inline void normalise(StaffRecord& r) {
  r.id = lower(r.id);
  for (auto& e : r.emails) e = lower(e);
}
inline void normalise(Association& r) {
  r.staff_id = lower(r.staff_id);
  r.party_id = lower(r.party_id);
}
inline void normalise(BusinessInterest& r) {
  r.staff_id = lower(r.staff_id);
  r.domain = lower(r.domain);
}
inline void normalise(Gift& r) {
  r.staff_id = lower(r.staff_id);
  r.offeror_domain = lower(r.offeror_domain);
}
inline void normalise(TenderBid& r) {
  r.tender_id = lower(r.tender_id);
  r.supplier_domain = lower(r.supplier_domain);
  for (auto& m : r.panel) m = lower(m);
}

// The key a register row is filed under (lower-cased, kKeySep-joined); a later row with the
// same key replaces the earlier one, in the Store and in MemoryReference alike.
inline std::string row_key(const BusinessInterest& r) {  // staff \0 business
  return composite_key(r.staff_id, r.business);
}
inline std::string row_key(const Gift& g) {  // staff \0 offeror \0 date
  // The date as fixed-width decimal µs sorts gifts of a pair by time (dates after 1970).
  std::string micros = std::to_string(g.date.time_since_epoch().count());
  if (micros.size() < 20) micros.insert(0, 20 - micros.size(), '0');
  return composite_key(g.staff_id, g.offeror) + kKeySep + micros;
}
inline std::string row_key(const TenderBid& r) {  // tender \0 supplier
  return composite_key(r.tender_id, r.supplier);
}

/// Calls f(a.<register>, b.<register>) for each register table, so code that treats the
/// registers alike (MemoryReference's upsert) need not list them.
template <class A, class B, class F>
void for_each_register(A& a, B& b, F f) {
  f(a.business_interests, b.business_interests);
  f(a.gifts, b.gifts);
  f(a.tenders, b.tenders);
}

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
