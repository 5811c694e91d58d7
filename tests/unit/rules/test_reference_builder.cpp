// TestReference and the load helpers shared by the rule tests.
#include "test_reference_builder.h"

#include <gtest/gtest.h>

namespace probity::rules::testing {

TestReference& TestReference::add_staff(state::StaffRecord r) {
  memory_.add({.staff = {std::move(r)}});
  return *this;
}

TestReference& TestReference::associate(std::string staff, std::string party,
                                        state::AssociationKind kind) {
  state::Association a;
  a.staff_id = std::move(staff);
  a.party_id = std::move(party);
  a.kind = kind;
  memory_.add({.associations = {std::move(a)}});
  return *this;
}

TestReference& TestReference::require_vetting(std::string system, state::VettingLevel level) {
  memory_.add({.systems = {{std::move(system), level}}});
  return *this;
}

TestReference& TestReference::add_list(std::string name, std::vector<std::string> values) {
  memory_.add({.lists = {{std::move(name), std::move(values)}}});
  return *this;
}

TestReference& TestReference::add_business_interest(std::string staff, std::string domain) {
  state::BusinessInterest b;
  b.staff_id = std::move(staff);
  b.business = domain;
  b.domain = std::move(domain);
  memory_.add({.business_interests = {std::move(b)}});
  return *this;
}

TestReference& TestReference::add_gift(std::string staff, std::string domain,
                                       event::Timestamp date) {
  state::Gift g;
  g.staff_id = std::move(staff);
  g.offeror = domain;
  g.offeror_domain = std::move(domain);
  g.date = date;
  memory_.add({.gifts = {std::move(g)}});
  return *this;
}

TestReference& TestReference::add_tender(std::string supplier_domain,
                                         std::vector<std::string> panel,
                                         state::TenderStatus status) {
  state::TenderBid b;
  b.tender_id = "t" + std::to_string(++tenders_);
  b.supplier = supplier_domain;
  b.supplier_domain = std::move(supplier_domain);
  b.panel = std::move(panel);
  b.status = status;
  memory_.add({.tenders = {std::move(b)}});
  return *this;
}

TestReference& TestReference::add_site(state::SiteRange r) {
  memory_.add({.sites = {std::move(r)}});
  return *this;
}

TestReference& TestReference::add_subject_address(std::string subject_id, std::string address,
                                                  std::string system) {
  memory_.add(
      {.subject_addresses = {{std::move(subject_id), std::move(address), std::move(system)}}});
  return *this;
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
