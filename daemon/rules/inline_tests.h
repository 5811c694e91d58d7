// Inline rule tests (`tests:` in a detection): compiled into events at load, run by
// run_inline_tests() against the caller's reference data overlaid with the test's own.
// Not a replay tool for recorded feeds.
#pragma once

#include <string>
#include <vector>

#include "event/event.h"
#include "rules/loader.h"

namespace probity::rules {

struct InlineTest {
  std::string name;
  SourcePos pos;
  bool expect_match = true;
  event::Event event;
  std::vector<state::StaffRecord> staff;
  std::vector<state::Association> associations;
  std::vector<std::pair<std::string, state::VettingLevel>> systems;
  std::vector<std::pair<std::string, std::vector<std::string>>> lists;
  std::vector<event::Event> events;  ///< correlation tests: in order
  std::optional<std::size_t> alerts;
  std::int64_t advance_us = 0;
  std::vector<state::BusinessInterest> business_interests;
  std::vector<state::Gift> gifts;
  std::vector<state::TenderBid> tenders;
};

/// Builds the test events, checking field names and values; false after reporting errors.
bool compile_tests(const std::vector<InlineTestDef>& defs, Reporter& report,
                   std::vector<InlineTest>& out);

/// The test's reference data in front of `base`: its staff, associations and systems
/// first; a list it defines replaces the base list of that name. The registers: a test's
/// rows are asked first, then the base (a "yes" from either is a yes; a test's gift wins
/// over an older base gift).
class OverlayReference final : public state::ReferenceData {
 public:
  OverlayReference(const InlineTest& test, const state::ReferenceData& base)
      : test_(test), base_(base) {}
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

 private:
  const InlineTest& test_;
  const state::ReferenceData& base_;
};

}  // namespace probity::rules
