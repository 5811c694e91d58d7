// Register look-ups shared by Store and MemoryReference (register_index.h).
#include "state/register_index.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "state/high_profile_keys.h"
#include "state/reference_tables.h"

namespace probity::state {

RegisterIndex::RegisterIndex(const ReferenceTables& rows) : sites_(rows.sites) {
  for (const auto& bi : rows.business_interests)
    if (!bi.domain.empty()) interests_.insert(composite_key(bi.staff_id, bi.domain));
  for (Gift g : rows.gifts) {
    if (g.offeror_domain.empty()) continue;
    normalise(g);
    gifts_[composite_key(g.staff_id, g.offeror_domain)].push_back(std::move(g));
  }
  for (auto& [key, list] : gifts_)
    std::stable_sort(list.begin(), list.end(),
                     [](const Gift& a, const Gift& b) { return a.date < b.date; });
  // A panel is per tender: the union of the panels of that tender's rows.
  std::map<std::string, std::set<std::string>> panels;
  for (const auto& b : rows.tenders) {
    if (b.status != TenderStatus::open) continue;
    auto& panel = panels[lower(b.tender_id)];
    for (const auto& m : b.panel) panel.insert(lower(m));
  }
  for (const auto& b : rows.tenders) {
    if (b.status != TenderStatus::open) continue;
    open_suppliers_.insert(lower(b.supplier_domain));
    for (const auto& member : panels[lower(b.tender_id)])
      open_panels_.insert(composite_key(member, b.supplier_domain));
  }
  // High-profile people: one row per ref (a later row replaces an earlier, as in the store).
  std::map<std::string, std::size_t> by_ref;
  for (HighProfilePerson p : rows.high_profile) {
    normalise(p);
    const auto [it, inserted] = by_ref.try_emplace(p.ref, high_profile_.size());
    if (inserted) {
      high_profile_.push_back(std::move(p));
    } else {
      high_profile_[it->second] = std::move(p);
    }
  }
  const auto file = [](Positions& index, const std::string& key, std::size_t at) {
    if (key.empty()) return;
    auto& list = index[key];
    if (list.empty() || list.back() != at) list.push_back(at);
  };
  for (std::size_t i = 0; i < high_profile_.size(); ++i) {
    const HighProfilePerson& p = high_profile_[i];
    for (const auto& id : p.ids) file(hp_by_id_, id, i);
    for (const auto& key : name_keys(p.surname)) file(hp_by_name_, key, i);
    for (const auto& key : name_keys(p.aliases)) file(hp_by_name_, key, i);
    file(hp_by_postcode_, postcode_key(p.address), i);
    file(hp_by_street_, street_key(p.address), i);
  }
  for (const auto& r : rows.subject_addresses)
    subject_addresses_.insert_or_assign(row_key(r), r.address);
}

std::vector<HighProfilePerson> RegisterIndex::rows_under(
    const Positions& index, const std::vector<std::string>& keys) const {
  std::vector<std::size_t> at;
  for (const auto& key : keys) {
    if (key.empty()) continue;
    const auto it = index.find(key);
    if (it == index.end()) continue;
    at.insert(at.end(), it->second.begin(), it->second.end());
  }
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  if (at.size() > kHighProfileCandidates) at.resize(kHighProfileCandidates);
  std::vector<HighProfilePerson> out;
  out.reserve(at.size());
  for (const auto i : at) out.push_back(high_profile_[i]);
  return out;
}

std::vector<HighProfilePerson> RegisterIndex::high_profile_with_id(std::string_view id) const {
  if (high_profile_.empty() || id.empty()) return {};
  return rows_under(hp_by_id_, {lower(id)});
}

std::vector<HighProfilePerson> RegisterIndex::high_profile_named(std::string_view text) const {
  if (high_profile_.empty()) return {};
  return rows_under(hp_by_name_, name_keys(text));
}

std::vector<HighProfilePerson> RegisterIndex::high_profile_at(std::string_view address) const {
  if (high_profile_.empty()) return {};
  auto found = rows_under(hp_by_postcode_, {postcode_key(address)});
  // A text without a postcode, or a listed address without one, meet by house and street.
  auto by_street = rows_under(hp_by_street_, {street_key(address)});
  for (auto& p : by_street) {
    const bool seen = std::any_of(found.begin(), found.end(),
                                  [&](const HighProfilePerson& q) { return q.ref == p.ref; });
    if (!seen && found.size() < kHighProfileCandidates) found.push_back(std::move(p));
  }
  return found;
}

bool RegisterIndex::has_business_interest(std::string_view staff_id,
                                          std::string_view domain) const {
  return interests_.find(LowerKey(staff_id, domain).view()) != interests_.end();
}

std::optional<Gift> RegisterIndex::latest_gift(std::string_view staff_id,
                                               std::string_view offeror_domain,
                                               Timestamp not_after) const {
  const auto it = gifts_.find(LowerKey(staff_id, offeror_domain).view());
  if (it == gifts_.end()) return std::nullopt;
  // Sorted by date: the first gift after not_after, then one back.
  const auto after = std::upper_bound(it->second.begin(), it->second.end(), not_after,
                                      [](Timestamp t, const Gift& g) { return t < g.date; });
  if (after == it->second.begin()) return std::nullopt;
  return *std::prev(after);
}

bool RegisterIndex::on_open_tender_panel_with(std::string_view staff_id,
                                              std::string_view supplier_domain) const {
  return open_panels_.find(LowerKey(staff_id, supplier_domain).view()) != open_panels_.end();
}

bool RegisterIndex::is_open_tender_supplier(std::string_view domain) const {
  return open_suppliers_.find(LowerKey(domain).view()) != open_suppliers_.end();
}

const SiteRange* RegisterIndex::site_of(std::string_view ip, std::string_view host) const {
  return sites_.find(ip, host);
}

std::optional<std::string> RegisterIndex::subject_address(std::string_view system,
                                                          std::string_view subject_id) const {
  if (subject_addresses_.empty() || subject_id.empty()) return std::nullopt;
  // The system's own row first: an id may name another person in another system.
  if (!system.empty()) {
    const auto it = subject_addresses_.find(LowerKey(system, subject_id).view());
    if (it != subject_addresses_.end()) return it->second;
  }
  const auto any = subject_addresses_.find(LowerKey({}, subject_id).view());
  if (any != subject_addresses_.end()) return any->second;
  return std::nullopt;
}

bool IndexedRegisters::has_business_interest(std::string_view staff_id,
                                             std::string_view domain) const {
  std::shared_lock lock(mu_);
  return index_->has_business_interest(staff_id, domain);
}

std::optional<Gift> IndexedRegisters::latest_gift(std::string_view staff_id,
                                                  std::string_view offeror_domain,
                                                  Timestamp not_after) const {
  std::shared_lock lock(mu_);
  return index_->latest_gift(staff_id, offeror_domain, not_after);
}

bool IndexedRegisters::on_open_tender_panel_with(std::string_view staff_id,
                                                 std::string_view supplier_domain) const {
  std::shared_lock lock(mu_);
  return index_->on_open_tender_panel_with(staff_id, supplier_domain);
}

bool IndexedRegisters::is_open_tender_supplier(std::string_view domain) const {
  std::shared_lock lock(mu_);
  return index_->is_open_tender_supplier(domain);
}

std::vector<HighProfilePerson> IndexedRegisters::high_profile_with_id(std::string_view id) const {
  std::shared_lock lock(mu_);
  return index_->high_profile_with_id(id);
}

std::vector<HighProfilePerson> IndexedRegisters::high_profile_named(std::string_view text) const {
  std::shared_lock lock(mu_);
  return index_->high_profile_named(text);
}

std::vector<HighProfilePerson> IndexedRegisters::high_profile_at(std::string_view address) const {
  std::shared_lock lock(mu_);
  return index_->high_profile_at(address);
}

std::shared_ptr<const SiteRange> IndexedRegisters::site_of(std::string_view ip,
                                                           std::string_view host) const {
  std::shared_lock lock(mu_);
  const SiteRange* s = index_->site_of(ip, host);
  // Owned with the index: a reload that replaces it leaves this row alive for its holder.
  return s ? std::shared_ptr<const SiteRange>(index_, s) : nullptr;
}

std::optional<std::string> IndexedRegisters::subject_address(std::string_view system,
                                                             std::string_view subject_id) const {
  std::shared_lock lock(mu_);
  return index_->subject_address(system, subject_id);
}

void IndexedRegisters::set_registers(std::shared_ptr<const RegisterIndex> index) {
  std::unique_lock lock(mu_);
  index_ = std::move(index);
}

}  // namespace probity::state
