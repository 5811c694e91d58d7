// ReferenceTables: every reference table as plain rows, the model MemoryReference answers
// from and inline rule tests carry; and the rules every implementation follows when it files
// a row (how ids are lower-cased, which key a row is filed under). Not an index: see
// memory_reference.h and register_index.h for the look-ups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
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
  tenders,
  high_profile,
  sites,
  subject_addresses
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
  std::vector<HighProfilePerson> high_profile{};
  std::vector<SiteRange> sites{};
  std::vector<SubjectAddress> subject_addresses{};

  /// Rows held: table rows plus list values (what an import reports as loaded).
  std::size_t size() const;
  bool empty() const;
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
  for (auto& id : r.party_ids) id = lower(id);
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

inline void normalise(HighProfilePerson& r) {
  r.ref = lower(r.ref);
  for (auto& id : r.ids) id = lower(id);
}
inline void normalise(SiteRange& r) {
  r.site_id = lower(r.site_id);
  r.match = lower(r.match);
}
inline void normalise(SubjectAddress& r) {
  r.subject_id = lower(r.subject_id);
  r.system = lower(r.system);
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
inline std::string row_key(const HighProfilePerson& r) { return lower(r.ref); }  // entry ref
inline std::string row_key(const SiteRange& r) {  // site \0 range or pattern
  return composite_key(r.site_id, r.match);
}
inline std::string row_key(const SubjectAddress& r) {  // system (empty: any) \0 subject id
  return composite_key(r.system, r.subject_id);
}

// --- The register descriptors ----------------------------------------------------------
// One entry per register in kRegisters says everything the store needs to keep it: the
// table name (RocksDB column family and `state show` table), where its rows sit in
// ReferenceTables, and its fields (CBOR map key in the store, JSON key in `state show`).
// Generic code (codec.h, the Store's put_register / registers(), describe.cpp, import.cpp,
// MemoryReference) walks this list, so a new register is one entry here, not a case in each.

/// One stored field of a register row. A required field must be present (a non-empty string,
/// a valid enum): a row without it is refused on write and unreadable on read.
template <class Row, class T>
struct RegisterField {
  std::string_view name;  ///< CBOR key on disk and JSON key in `state show`: never rename
  T Row::*member;
  bool required = false;
};
template <class Row, class T>
constexpr RegisterField<Row, T> field(std::string_view name, T Row::*member,
                                      bool required = false) {
  return {name, member, required};
}
inline constexpr bool kRequired = true;

template <class Row, class... Fields>
struct RegisterDef {
  using RowType = Row;
  ImportKind kind;
  /// Column family on disk (never rename: older databases hold it) and `state show` name.
  std::string_view table;
  std::string_view key_shape;  ///< what row_key files a row under, for readers
  /// What showing its rows reveals about people, for the consultation trail (describe.h).
  std::string_view personal_data;
  std::vector<Row> ReferenceTables::*rows;
  /// The field `state show <table> <key>` selects rows by (the staff member, the tender).
  std::string Row::*shown_by;
  std::tuple<Fields...> fields;
};
template <class Row, class... Fields>
constexpr RegisterDef<Row, Fields...> register_def(ImportKind kind, std::string_view table,
                                                   std::string_view key_shape,
                                                   std::string_view personal_data,
                                                   std::vector<Row> ReferenceTables::*rows,
                                                   std::string Row::*shown_by, Fields... fields) {
  return {kind, table, key_shape, personal_data, rows, shown_by, std::tuple{fields...}};
}

// The field names and order are the stored format (CBOR v1) and the `state show` layout.
// Sites name buildings and address ranges, no one's data: showing them is not a consultation.
inline constexpr auto kRegisters = std::tuple{
    register_def(ImportKind::business_interests, "business_interests", "staff id \\0 business name",
                 "business interests register", &ReferenceTables::business_interests,
                 &BusinessInterest::staff_id,
                 field("staff_id", &BusinessInterest::staff_id, kRequired),
                 field("business", &BusinessInterest::business, kRequired),
                 field("domain", &BusinessInterest::domain), field("role", &BusinessInterest::role),
                 field("approved", &BusinessInterest::approved),
                 field("declared_on", &BusinessInterest::declared_on)),
    register_def(
        ImportKind::gifts, "gifts", "staff id \\0 offeror \\0 date (µs, 20 digits)",
        "gifts and hospitality register", &ReferenceTables::gifts, &Gift::staff_id,
        field("staff_id", &Gift::staff_id, kRequired), field("offeror", &Gift::offeror, kRequired),
        field("offeror_domain", &Gift::offeror_domain), field("value_pence", &Gift::value_pence),
        field("date", &Gift::date, kRequired), field("accepted", &Gift::accepted)),
    register_def(ImportKind::tenders, "tenders", "tender id \\0 supplier name", "tender panels",
                 &ReferenceTables::tenders, &TenderBid::tender_id,
                 field("tender_id", &TenderBid::tender_id, kRequired),
                 field("supplier", &TenderBid::supplier, kRequired),
                 field("supplier_domain", &TenderBid::supplier_domain, kRequired),
                 field("status", &TenderBid::status, kRequired), field("panel", &TenderBid::panel),
                 field("opens", &TenderBid::opens), field("closes", &TenderBid::closes)),
    register_def(
        ImportKind::high_profile, "high_profile", "entry ref",
        "high-profile people register (itself sensitive: names, dates of birth, record "
        "ids and home addresses of the people the force protects from curious look-ups)",
        &ReferenceTables::high_profile, &HighProfilePerson::ref,
        field("ref", &HighProfilePerson::ref, kRequired),
        field("category", &HighProfilePerson::category),
        field("surname", &HighProfilePerson::surname, kRequired),
        field("forenames", &HighProfilePerson::forenames),
        field("aliases", &HighProfilePerson::aliases), field("dob", &HighProfilePerson::dob),
        field("ids", &HighProfilePerson::ids), field("address", &HighProfilePerson::address),
        field("added_on", &HighProfilePerson::added_on), field("until", &HighProfilePerson::until)),
    register_def(ImportKind::sites, "sites", "site id \\0 address range or workstation pattern",
                 /*personal_data=*/"", &ReferenceTables::sites, &SiteRange::site_id,
                 field("site_id", &SiteRange::site_id, kRequired),
                 field("match", &SiteRange::match, kRequired),
                 field("building", &SiteRange::building), field("town", &SiteRange::town),
                 field("latitude", &SiteRange::latitude), field("longitude", &SiteRange::longitude),
                 field("remote", &SiteRange::remote)),
    register_def(ImportKind::subject_addresses, "subject_addresses",
                 "system (empty: any) \\0 subject id",
                 "subject-address register (home addresses of the people police records name)",
                 &ReferenceTables::subject_addresses, &SubjectAddress::subject_id,
                 field("subject_id", &SubjectAddress::subject_id, kRequired),
                 field("address", &SubjectAddress::address, kRequired),
                 field("system", &SubjectAddress::system)),
};
inline constexpr std::size_t kRegisterCount = std::tuple_size_v<decltype(kRegisters)>;

/// Calls f(descriptor) for each register, in kRegisters order.
template <class F>
constexpr void for_each_register(F f) {
  std::apply([&](const auto&... reg) { (f(reg), ...); }, kRegisters);
}
/// Calls f(field) for each field of one register, in stored order.
template <class Def, class F>
constexpr void for_each_field(const Def& reg, F f) {
  std::apply([&](const auto&... fld) { (f(fld), ...); }, reg.fields);
}
constexpr bool is_register(ImportKind kind) {
  bool found = false;
  for_each_register([&](const auto& reg) { found = found || reg.kind == kind; });
  return found;
}
/// Rows of the register `kind` held in `tables` (0 for a kind that is not a register).
inline std::size_t register_size(const ReferenceTables& tables, ImportKind kind) {
  std::size_t n = 0;
  for_each_register([&](const auto& reg) {
    if (reg.kind == kind) n = (tables.*reg.rows).size();
  });
  return n;
}

inline std::size_t ReferenceTables::size() const {
  std::size_t n = staff.size() + associations.size() + systems.size();
  for (const auto& [name, values] : lists) n += values.size();
  for_each_register([&](const auto& reg) { n += (this->*reg.rows).size(); });
  return n;
}
inline bool ReferenceTables::empty() const { return size() == 0 && lists.empty(); }

/// Association kinds of one (staff, party) pair as a bit mask: bit 15 "declared at all", and
/// one bit per kind. Both implementations index associations this way.
inline constexpr std::uint16_t kAssociationDeclared = 0x8000;
constexpr std::uint16_t association_bit(AssociationKind k) {
  return static_cast<std::uint16_t>(1u << static_cast<unsigned>(k));
}
static_assert(static_cast<unsigned>(AssociationKind::business) < 15, "kinds fit below the flag");
/// The answer to ReferenceData::associated from a pair's bits (0 when the pair is unknown).
constexpr bool association_matches(std::uint16_t bits, std::optional<AssociationKind> kind) {
  return kind ? (bits & association_bit(*kind)) != 0 : bits != 0;
}

}  // namespace probity::state
