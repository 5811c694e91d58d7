// Normal forms and row keys of reference rows (reference_tables.h).
#include "state/reference_tables.h"

#include "state/keys.h"

namespace probity::state {

void normalise(StaffRecord& r) {
  r.id = lower(r.id);
  for (auto& e : r.emails) e = lower(e);
}

void normalise(Association& r) {
  r.staff_id = lower(r.staff_id);
  r.party_id = lower(r.party_id);
}

void normalise(BusinessInterest& r) {
  r.staff_id = lower(r.staff_id);
  r.domain = lower(r.domain);
}

void normalise(Gift& r) {
  r.staff_id = lower(r.staff_id);
  r.offeror_domain = lower(r.offeror_domain);
}

void normalise(TenderBid& r) {
  r.tender_id = lower(r.tender_id);
  r.supplier_domain = lower(r.supplier_domain);
  for (auto& m : r.panel) m = lower(m);
}

std::string row_key(const BusinessInterest& r) { return composite_key(r.staff_id, r.business); }

std::string row_key(const Gift& g) {
  // The date as fixed-width decimal µs sorts gifts of a pair by time (dates after 1970).
  std::string micros = std::to_string(g.date.time_since_epoch().count());
  if (micros.size() < 20) micros.insert(0, 20 - micros.size(), '0');
  return composite_key(g.staff_id, g.offeror) + kKeySep + micros;
}

std::string row_key(const TenderBid& r) { return composite_key(r.tender_id, r.supplier); }

}  // namespace probity::state
