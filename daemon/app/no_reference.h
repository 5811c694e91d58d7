// Reference data with nothing in it, for commands run without a state directory
// (rule tests bring their own data; replay may run on rules that need none).
#pragma once

#include "state/reference.h"

namespace probity::app {

class NoReference final : public state::ReferenceData {
 public:
  std::optional<state::StaffRecord> staff(std::string_view) const override { return {}; }
  std::optional<state::StaffRecord> staff_by_email(std::string_view) const override { return {}; }
  bool associated(std::string_view, std::string_view,
                  std::optional<state::AssociationKind>) const override {
    return false;
  }
  std::optional<state::VettingLevel> system_required_vetting(std::string_view) const override {
    return {};
  }
  bool in_list(std::string_view, std::string_view) const override { return false; }
  bool list_exists(std::string_view) const override { return false; }
};

}  // namespace probity::app
