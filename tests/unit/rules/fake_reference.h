// An in-memory ReferenceData for rule tests: plain maps, lower-cased keys as the real
// store does. Not thread-safe for writes; tests fill it before evaluating.
#pragma once

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "rules/rules.h"
#include "state/reference.h"

namespace probity::rules::testing {

class FakeReference final : public state::ReferenceData {
 public:
  FakeReference& add_staff(state::StaffRecord r);
  FakeReference& associate(std::string staff, std::string party, state::AssociationKind kind);
  FakeReference& require_vetting(std::string system, state::VettingLevel level);
  FakeReference& add_list(std::string name, std::vector<std::string> values);
  FakeReference& add_business_interest(std::string staff, std::string domain);
  FakeReference& add_gift(std::string staff, std::string domain, event::Timestamp date);
  /// An open tender (unless status says otherwise) with one supplier and a panel.
  FakeReference& add_tender(std::string supplier_domain, std::vector<std::string> panel,
                            state::TenderStatus status = state::TenderStatus::open);

  std::optional<state::StaffRecord> staff(std::string_view id) const override;
  std::optional<state::StaffRecord> staff_by_email(std::string_view email) const override;
  bool associated(std::string_view staff_id, std::string_view party_id,
                  std::optional<state::AssociationKind> kind) const override;
  std::optional<state::VettingLevel> system_required_vetting(
      std::string_view system) const override;
  bool in_list(std::string_view list, std::string_view value) const override;
  bool list_exists(std::string_view list) const override;
  bool has_business_interest(std::string_view staff_id, std::string_view domain) const override;
  std::optional<state::Gift> latest_gift(std::string_view staff_id, std::string_view offeror_domain,
                                         state::Timestamp not_after) const override;
  bool on_open_tender_panel_with(std::string_view staff_id,
                                 std::string_view supplier_domain) const override;
  bool is_open_tender_supplier(std::string_view domain) const override;

  mutable int staff_lookups = 0;

 private:
  std::map<std::string, state::StaffRecord> staff_;
  std::set<std::tuple<std::string, std::string, state::AssociationKind>> associations_;
  std::map<std::string, state::VettingLevel> systems_;
  std::map<std::string, std::set<std::string>> lists_;
  std::set<std::pair<std::string, std::string>> interests_;
  std::vector<state::Gift> gifts_;
  std::vector<state::TenderBid> tenders_;
};

/// A staff record with the usual test values.
state::StaffRecord staff_record(std::string id, std::string surname,
                                state::VettingLevel level = state::VettingLevel::nppv2);

/// Loads rules from a string; fails the test (with the formatted report) on errors.
std::unique_ptr<RuleSet> load_ok(std::string_view yaml, const LoadOptions& options = {});
/// Loads rules that must fail; returns the formatted report.
std::string load_errors(std::string_view yaml, const LoadOptions& options = {});

/// Ids of the rules matching `e`.
std::vector<std::string> matching(const RuleSet& rules, const event::Event& e,
                                  const state::ReferenceData& ref);

}  // namespace probity::rules::testing
