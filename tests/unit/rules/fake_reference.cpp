// The in-memory ReferenceData and load helpers shared by the rule tests.
#include "fake_reference.h"

#include <gtest/gtest.h>

namespace probity::rules::testing {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

}  // namespace

FakeReference& FakeReference::add_staff(state::StaffRecord r) {
  r.id = lower(r.id);
  staff_[r.id] = std::move(r);
  return *this;
}

FakeReference& FakeReference::associate(std::string staff, std::string party,
                                        state::AssociationKind kind) {
  associations_.emplace(lower(staff), lower(party), kind);
  return *this;
}

FakeReference& FakeReference::require_vetting(std::string system, state::VettingLevel level) {
  systems_[lower(system)] = level;
  return *this;
}

FakeReference& FakeReference::add_list(std::string name, std::vector<std::string> values) {
  auto& l = lists_[lower(name)];
  for (auto& v : values) l.insert(lower(v));
  return *this;
}

FakeReference& FakeReference::add_business_interest(std::string staff, std::string domain) {
  interests_.emplace(lower(staff), lower(domain));
  return *this;
}

FakeReference& FakeReference::add_gift(std::string staff, std::string domain,
                                       event::Timestamp date) {
  state::Gift g;
  g.staff_id = lower(staff);
  g.offeror = domain;
  g.offeror_domain = lower(domain);
  g.date = date;
  gifts_.push_back(std::move(g));
  return *this;
}

FakeReference& FakeReference::add_tender(std::string supplier_domain,
                                         std::vector<std::string> panel,
                                         state::TenderStatus status) {
  state::TenderBid b;
  b.tender_id = "t" + std::to_string(tenders_.size() + 1);
  b.supplier = supplier_domain;
  b.supplier_domain = lower(supplier_domain);
  for (auto& p : panel) b.panel.push_back(lower(p));
  b.status = status;
  tenders_.push_back(std::move(b));
  return *this;
}

bool FakeReference::has_business_interest(std::string_view staff_id,
                                          std::string_view domain) const {
  return interests_.count({lower(staff_id), lower(domain)}) > 0;
}

std::optional<state::Gift> FakeReference::latest_gift(std::string_view staff_id,
                                                      std::string_view offeror_domain,
                                                      state::Timestamp not_after) const {
  std::optional<state::Gift> best;
  for (const auto& g : gifts_)
    if (g.staff_id == lower(staff_id) && g.offeror_domain == lower(offeror_domain) &&
        g.date <= not_after && (!best || g.date > best->date))
      best = g;
  return best;
}

bool FakeReference::on_open_tender_panel_with(std::string_view staff_id,
                                              std::string_view supplier_domain) const {
  for (const auto& b : tenders_)
    if (b.status == state::TenderStatus::open && b.supplier_domain == lower(supplier_domain))
      for (const auto& m : b.panel)
        if (m == lower(staff_id)) return true;
  return false;
}

bool FakeReference::is_open_tender_supplier(std::string_view domain) const {
  for (const auto& b : tenders_)
    if (b.status == state::TenderStatus::open && b.supplier_domain == lower(domain)) return true;
  return false;
}

std::optional<state::StaffRecord> FakeReference::staff(std::string_view id) const {
  ++staff_lookups;
  auto it = staff_.find(lower(id));
  if (it == staff_.end()) return std::nullopt;
  return it->second;
}

std::optional<state::StaffRecord> FakeReference::staff_by_email(std::string_view email) const {
  for (const auto& [id, r] : staff_)
    for (const auto& e : r.emails)
      if (e == lower(email)) return r;
  return std::nullopt;
}

bool FakeReference::associated(std::string_view staff_id, std::string_view party_id,
                               std::optional<state::AssociationKind> kind) const {
  for (const auto& [s, p, k] : associations_)
    if (s == lower(staff_id) && p == lower(party_id) && (!kind || *kind == k)) return true;
  return false;
}

std::optional<state::VettingLevel> FakeReference::system_required_vetting(
    std::string_view system) const {
  auto it = systems_.find(lower(system));
  if (it == systems_.end()) return std::nullopt;
  return it->second;
}

bool FakeReference::in_list(std::string_view list, std::string_view value) const {
  auto it = lists_.find(lower(list));
  return it != lists_.end() && it->second.count(lower(value));
}

bool FakeReference::list_exists(std::string_view list) const {
  return lists_.count(lower(list)) > 0;
}

state::StaffRecord staff_record(std::string id, std::string surname, state::VettingLevel level) {
  state::StaffRecord r;
  r.id = std::move(id);
  r.surname = std::move(surname);
  r.forenames = "Pat";
  r.vetting.level = level;
  return r;
}

std::unique_ptr<RuleSet> load_ok(std::string_view yaml, const LoadOptions& options) {
  LoadReport report;
  auto rules = load_rules_from_string(yaml, "rules.yaml", options, report);
  EXPECT_TRUE(rules) << report.format();
  EXPECT_EQ(report.error_count(), 0u) << report.format();
  return rules;
}

std::string load_errors(std::string_view yaml, const LoadOptions& options) {
  LoadReport report;
  auto rules = load_rules_from_string(yaml, "rules.yaml", options, report);
  EXPECT_FALSE(rules) << "expected load errors";
  EXPECT_FALSE(report.ok());
  return report.format();
}

std::vector<std::string> matching(const RuleSet& rules, const event::Event& e,
                                  const state::ReferenceData& ref) {
  std::vector<Match> out;
  rules.evaluate(e, ref, out);
  std::vector<std::string> ids;
  for (const auto& m : out) ids.push_back(m.rule_id);
  return ids;
}

}  // namespace probity::rules::testing
