// Key and value encodings for the reference tables (tables.h says which goes where).
// Values are CBOR maps with a "v" version so a later build can tell old rows apart.
// Internal to state/; other stages see typed records only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/keys.h"
#include "state/reference.h"

namespace probity::state {

std::string encode_staff(const StaffRecord& r);
/// nullopt when the bytes are not a v1 staff value (corrupt or from another schema).
std::optional<StaffRecord> decode_staff(std::string_view bytes);

/// One declared association of a (staff, party) pair; a pair may carry several kinds.
struct AssociationEntry {
  AssociationKind kind = AssociationKind::other;
  std::string party_name;
  std::optional<Timestamp> declared_on;
};
std::string encode_associations(const std::vector<AssociationEntry>& entries);
std::optional<std::vector<AssociationEntry>> decode_associations(std::string_view bytes);

std::string encode_system(VettingLevel required);
std::optional<VettingLevel> decode_system(std::string_view bytes);

// The registers: one row per key; decoders fill every field but the key parts
// (staff_id, business / offeror / supplier names come back from the value too).
std::string encode_business_interest(const BusinessInterest& r);
std::optional<BusinessInterest> decode_business_interest(std::string_view bytes);
std::string encode_gift(const Gift& r);
std::optional<Gift> decode_gift(std::string_view bytes);
std::string encode_tender_bid(const TenderBid& r);
std::optional<TenderBid> decode_tender_bid(std::string_view bytes);

std::string encode_list_meta(Timestamp updated);
std::optional<Timestamp> decode_list_meta(std::string_view bytes);

}  // namespace probity::state
