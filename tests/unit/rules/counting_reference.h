// CountingReference: reference data that counts the look-ups made through it, for tests of
// what evaluation reads and how often.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/reference.h"

namespace probity::rules::testing {

// Counts every call to the reference data it forwards to.
class CountingReference : public state::ReferenceData {
 public:
  explicit CountingReference(const state::ReferenceData& inner) : inner_(inner) {}
  int calls() const { return calls_; }

  std::shared_ptr<const state::StaffRecord> staff(std::string_view id) const override {
    ++calls_;
    return inner_.staff(id);
  }
  std::shared_ptr<const state::StaffRecord> staff_by_email(std::string_view email) const override {
    ++calls_;
    return inner_.staff_by_email(email);
  }
  bool associated(std::string_view staff_id, std::string_view party_id,
                  std::optional<state::AssociationKind> kind) const override {
    ++calls_;
    return inner_.associated(staff_id, party_id, kind);
  }
  std::shared_ptr<const std::vector<state::Association>> associations_of_staff(
      std::string_view staff_id) const override {
    ++calls_;
    return inner_.associations_of_staff(staff_id);
  }
  std::optional<state::VettingLevel> system_required_vetting(
      std::string_view system) const override {
    ++calls_;
    return inner_.system_required_vetting(system);
  }
  bool in_list(std::string_view list, std::string_view value) const override {
    ++calls_;
    return inner_.in_list(list, value);
  }
  bool list_exists(std::string_view list) const override {
    ++calls_;
    return inner_.list_exists(list);
  }
  bool has_business_interest(std::string_view staff_id, std::string_view domain) const override {
    ++calls_;
    return inner_.has_business_interest(staff_id, domain);
  }
  std::optional<state::Gift> latest_gift(std::string_view staff_id, std::string_view domain,
                                         state::Timestamp not_after) const override {
    ++calls_;
    return inner_.latest_gift(staff_id, domain, not_after);
  }
  bool on_open_tender_panel_with(std::string_view staff_id,
                                 std::string_view domain) const override {
    ++calls_;
    return inner_.on_open_tender_panel_with(staff_id, domain);
  }
  bool is_open_tender_supplier(std::string_view domain) const override {
    ++calls_;
    return inner_.is_open_tender_supplier(domain);
  }
  std::vector<state::HighProfilePerson> high_profile_with_id(std::string_view id) const override {
    ++calls_;
    return inner_.high_profile_with_id(id);
  }
  std::vector<state::HighProfilePerson> high_profile_named(std::string_view text) const override {
    ++calls_;
    return inner_.high_profile_named(text);
  }
  std::vector<state::HighProfilePerson> high_profile_at(std::string_view address) const override {
    ++calls_;
    return inner_.high_profile_at(address);
  }
  std::shared_ptr<const state::SiteRange> site_of(std::string_view ip,
                                                  std::string_view host) const override {
    ++calls_;
    return inner_.site_of(ip, host);
  }
  std::optional<std::string> subject_address(std::string_view system,
                                             std::string_view subject_id) const override {
    ++calls_;
    return inner_.subject_address(system, subject_id);
  }

 private:
  const state::ReferenceData& inner_;
  mutable int calls_ = 0;
};

}  // namespace probity::rules::testing
