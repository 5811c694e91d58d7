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
};

/// Builds the test events, checking field names and values; false after reporting errors.
bool compile_tests(const std::vector<InlineTestDef>& defs, Reporter& report,
                   std::vector<InlineTest>& out);

/// The test's reference data in front of `base`: its staff, associations and systems
/// first; a list it defines replaces the base list of that name.
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

 private:
  const InlineTest& test_;
  const state::ReferenceData& base_;
};

}  // namespace probity::rules
