// Reference data as rules see it: staff, vetting, systems, declared associations and
// named lists. A read-only interface so the rule engine can be tested with plain values;
// Store implements it over RocksDB. Identifiers are compared case-insensitively: every
// implementation lower-cases ids, emails, domains and list values on write and on lookup.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"

namespace probity::state {

using event::Timestamp;

/// Vetting levels in ascending order of clearance (PRODUCT.md "State").
enum class VettingLevel : std::uint8_t { none, rv, mv, nppv1, nppv2, nppv3, ctc, sc, dv };
std::optional<VettingLevel> vetting_level_from_string(std::string_view s);  // "NPPV3" → nppv3
std::string_view to_string(VettingLevel v);                                  // nppv3 → "NPPV3"

struct VettingRecord {
  VettingLevel level = VettingLevel::none;
  std::optional<Timestamp> granted;
  std::optional<Timestamp> expires;
  std::string status;  ///< "granted", "lapsed", "withdrawn", "pending"
};

enum class HrStatus : std::uint8_t { active, suspended, leaving, left };
std::optional<HrStatus> hr_status_from_string(std::string_view s);
std::string_view to_string(HrStatus s);

struct StaffRecord {
  std::string id;  ///< collar / payroll number, lower-cased
  std::string surname;
  std::string forenames;
  std::vector<std::string> emails;  ///< lower-cased aliases
  std::string department;
  std::string role;
  std::string peer_group;
  std::string address;  ///< home address or postcode, for same-address signals
  HrStatus hr_status = HrStatus::active;
  std::optional<Timestamp> leaving_date;
  VettingRecord vetting;
};

enum class AssociationKind : std::uint8_t { media, private_investigator, criminal, family, other };
std::optional<AssociationKind> association_kind_from_string(std::string_view s);
std::string_view to_string(AssociationKind k);

struct Association {
  std::string staff_id;
  std::string party_id;  ///< person or organisation id as it appears in subject.id
  std::string party_name;
  AssociationKind kind = AssociationKind::other;
  std::optional<Timestamp> declared_on;
};

/// Read side of reference data. Implementations are safe to call from any thread.
/// A missing entry is an empty optional / false, never an error.
class ReferenceData {
 public:
  virtual ~ReferenceData() = default;

  virtual std::optional<StaffRecord> staff(std::string_view staff_id) const = 0;
  virtual std::optional<StaffRecord> staff_by_email(std::string_view email) const = 0;
  /// True when staff_id has declared party_id; `kind` narrows to one kind of association.
  virtual bool associated(std::string_view staff_id, std::string_view party_id,
                          std::optional<AssociationKind> kind = std::nullopt) const = 0;
  /// Vetting level a system requires (systems table); nullopt when the system is unknown.
  virtual std::optional<VettingLevel> system_required_vetting(std::string_view system) const = 0;
  virtual bool in_list(std::string_view list, std::string_view value) const = 0;
  /// Whether a named list has been defined (imported), even if empty.
  virtual bool list_exists(std::string_view list) const = 0;
};

}  // namespace probity::state
