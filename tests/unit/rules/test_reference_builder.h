// TestReference: a state::MemoryReference filled one row at a time, for rule tests (the
// reference data itself is MemoryReference's, so tests see what production sees); and the
// load helpers the rule tests share.
#pragma once

#include <string>
#include <vector>

#include "rules/rules.h"
#include "state/memory_reference.h"

namespace probity::rules::testing {

class TestReference {
 public:
  TestReference& add_staff(state::StaffRecord r);
  TestReference& associate(std::string staff, std::string party, state::AssociationKind kind);
  TestReference& require_vetting(std::string system, state::VettingLevel level);
  TestReference& add_list(std::string name, std::vector<std::string> values);
  TestReference& add_business_interest(std::string staff, std::string domain);
  TestReference& add_gift(std::string staff, std::string domain, event::Timestamp date);
  /// A tender of its own (t1, t2, ...), open unless status says otherwise, with one supplier
  /// and a panel.
  TestReference& add_tender(std::string supplier_domain, std::vector<std::string> panel,
                            state::TenderStatus status = state::TenderStatus::open);
  TestReference& add_site(state::SiteRange r);
  /// A subject-address register row; an empty system applies to every system.
  TestReference& add_subject_address(std::string subject_id, std::string address,
                                     std::string system = {});

  operator const state::ReferenceData&() const { return memory_; }  // NOLINT: a view of it
  const state::MemoryReference& memory() const { return memory_; }
  const state::ReferenceTables& tables() const { return memory_.tables(); }

 private:
  state::MemoryReference memory_;
  int tenders_ = 0;
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
