// Reference data as rules see it: staff, vetting, systems, declared associations, named
// lists, and the three registers HMIC found never cross-referenced (business interests,
// gifts and hospitality, suppliers and tenders). A read-only interface so the rule engine
// can be tested with plain values: Store implements it over RocksDB, MemoryReference
// (memory_reference.h) over plain containers. Identifiers are compared case-insensitively:
// every implementation lower-cases ids, emails, domains and list values on write and on lookup.
#pragma once

#include <memory>
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
std::string_view to_string(VettingLevel v);                                 // nppv3 → "NPPV3"

struct VettingRecord {
  VettingLevel level = VettingLevel::none;
  std::optional<Timestamp> granted;
  std::optional<Timestamp> expires;
  std::string status;  ///< "granted", "lapsed", "withdrawn", "pending"
};

enum class HrStatus : std::uint8_t { active, suspended, leaving, left };
std::optional<HrStatus> hr_status_from_string(std::string_view s);
std::string_view to_string(HrStatus s);

/// Why HR records someone away from work. phased_return is recorded but is not an absence:
/// the person is back at work on reduced hours, so rules treat them as present.
enum class AbsenceKind : std::uint8_t {
  sick,
  maternity,
  paternity,
  adoption,
  parental,
  career_break,
  secondment,
  phased_return,
};
/// "sick", "career_break", ...; case-insensitive, ' ' and '-' read as '_', and a trailing
/// "leave" or "_leave" dropped: "Sick Leave", "career-break", "maternity leave" all parse.
std::optional<AbsenceKind> absence_kind_from_string(std::string_view s);
std::string_view to_string(AbsenceKind k);

/// One HR absence: local calendar days `from` .. `to` inclusive, stored as UTC midnight of
/// each date; no `to` is open-ended, no `from` (inline tests only) is since ever.
struct Absence {
  AbsenceKind kind = AbsenceKind::sick;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
};
/// Whether `a` keeps its holder away from work on the calendar day `local_day` (days since
/// 1970-01-01 in the rules' zone). A phased return never does.
bool absent_on(const Absence& a, std::int64_t local_day);

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
  std::optional<Absence> absence;  ///< the current or next HR absence, if any
  VettingRecord vetting;
};

/// Stored by number (codec.cpp): new kinds go at the end, never in between.
enum class AssociationKind : std::uint8_t {
  media,
  private_investigator,
  criminal,
  family,
  other,
  ex_partner,
  partner,
  friend_,  ///< "friend" (a C++ keyword)
  business,
};
/// "media", "private_investigator" (also "private investigator", "private-investigator",
/// "pi"), "criminal", "family", "other", "ex_partner", "partner", "friend", "business";
/// case-insensitive, ' ' and '-' read as '_', and the words people write for them read too:
/// "Ex Partner", "ex-partner", "former partner", "ex-wife" (ex_partner); "spouse", "wife",
/// "girlfriend", "civil partner" (partner); "close friend" (friend); "business partner",
/// "business associate" (business).
std::optional<AssociationKind> association_kind_from_string(std::string_view s);
std::string_view to_string(AssociationKind k);

/// One declared association: who the staff member declared, and what they know of them so a
/// look-up can be matched by id in any system, by name and date of birth, or by address.
struct Association {
  std::string staff_id;
  std::string party_id;  ///< person or organisation id as it appears in subject.id
  std::string party_name;
  AssociationKind kind = AssociationKind::other;
  std::optional<Timestamp> declared_on;
  std::string party_dob{};                   ///< as declared, any written form (same_person)
  std::vector<std::string> party_aliases{};  ///< other names: maiden, married, spellings
  /// Ids in other systems, lower-cased, each as written ("pnc:12/345678x", "niche:n123").
  std::vector<std::string> party_ids{};
  std::string party_address{};  ///< last known home address, as declared
};

/// A declared business interest or secondary employment.
struct BusinessInterest {
  std::string staff_id;
  std::string business;  ///< the business's name as declared
  std::string domain;    ///< its email domain, lower-cased; empty when not known
  std::string role;
  bool approved = false;
  std::optional<Timestamp> declared_on;
};

/// One entry of the gifts and hospitality register (offered or accepted).
struct Gift {
  std::string staff_id;
  std::string offeror;         ///< organisation name as registered
  std::string offeror_domain;  ///< lower-cased; empty when not known
  std::int64_t value_pence = 0;
  Timestamp date{};
  bool accepted = false;
};

enum class TenderStatus : std::uint8_t { open, awarded, closed };
std::optional<TenderStatus> tender_status_from_string(std::string_view s);
std::string_view to_string(TenderStatus s);

/// One bidder of one tender; a tender is the set of rows sharing tender_id.
struct TenderBid {
  std::string tender_id;
  std::string supplier;         ///< name as registered
  std::string supplier_domain;  ///< lower-cased
  TenderStatus status = TenderStatus::open;
  std::vector<std::string> panel;  ///< evaluation panel: staff ids, lower-cased
  std::optional<Timestamp> opens;
  std::optional<Timestamp> closes;
};

/// One entry of the high-profile people register: someone whose record staff are tempted to
/// look at out of curiosity or for sale (a footballer, an MP, a celebrity, a victim in the
/// news). The list itself is sensitive: it says whom the force protects and where they live.
struct HighProfilePerson {
  std::string ref;       ///< the register's own id for the entry (HP-0012), lower-cased
  std::string category;  ///< free text: footballer, mp, celebrity, victim, ...
  std::string surname;
  std::string forenames;
  std::string aliases;  ///< other names, each a full name, separated by '|' or ';'
  std::string dob;      ///< as written; read as same_person() reads dates (rules/birth_date.h)
  std::vector<std::string> ids;  ///< record ids in any system (P0012345, NN0012345), lower-cased
  std::string address;           ///< home address, any format; a postcode makes it findable
  std::optional<Timestamp> added_on;  ///< listed from this day (none: always)
  std::optional<Timestamp> until;     ///< listed to this day inclusive (none: open-ended)
};

/// The most candidates one high-profile question returns, however common the name: bounds
/// the confirming work per event (a register holds hundreds, a name key a handful).
inline constexpr std::size_t kHighProfileCandidates = 64;

/// One entry of the sites table: an address range or a workstation name pattern, and the site
/// (building, town) a login from it comes from. A site is the rows sharing site_id.
struct SiteRange {
  std::string site_id;  ///< lower-cased
  /// A CIDR range ("10.20.0.0/16", "2001:db8:5::/48", a bare address is /32 or /128) or a
  /// workstation name, lower-cased, exact or ending in '*' for a prefix ("exw-ws-*").
  std::string match;
  std::string building;
  std::string town;
  std::string latitude, longitude;  ///< decimal degrees (WGS84) as given; both or neither
  bool remote = false;              ///< remote access (VPN, home working): no building
};

/// One entry of the subject-address register: the address of a record a system logs by id
/// only (a PNC person view names P0012345, not where they live), so address rules can
/// compare it.
struct SubjectAddress {
  std::string subject_id;  ///< the record id as subject.id carries it, lower-cased
  std::string address;     ///< any format (rules/address.h reads it)
  std::string system;      ///< lower-cased; empty: the id means this person in every system
};

/// Read side of reference data. Implementations are safe to call from any thread.
/// A missing entry is nullptr, an empty optional or false, never an error.
class ReferenceData {
 public:
  virtual ~ReferenceData() = default;

  /// A staff record, shared, not copied: rules ask for one or more per event. nullptr when
  /// none.
  virtual std::shared_ptr<const StaffRecord> staff(std::string_view staff_id) const = 0;
  virtual std::shared_ptr<const StaffRecord> staff_by_email(std::string_view email) const = 0;
  /// True when staff_id has declared party_id (the association's main id; its other ids are
  /// in associations_of_staff); `kind` narrows to one kind of association.
  virtual bool associated(std::string_view staff_id, std::string_view party_id,
                          std::optional<AssociationKind> kind = std::nullopt) const = 0;
  /// Every association staff_id has declared, all kinds, in no set order; an empty list (never
  /// nullptr) when none. For rules that ask more than "is this id declared" (other ids, name
  /// and date of birth, address): they fetch a user's few rows once per event. Cost: a cached
  /// look-up (Store: one prefix scan on a miss); the list is shared, not copied.
  virtual std::shared_ptr<const std::vector<Association>> associations_of_staff(
      std::string_view staff_id) const = 0;
  /// Vetting level a system requires (systems table); nullopt when the system is unknown.
  virtual std::optional<VettingLevel> system_required_vetting(std::string_view system) const = 0;
  virtual bool in_list(std::string_view list, std::string_view value) const = 0;
  /// Whether a named list has been defined (imported), even if empty.
  virtual bool list_exists(std::string_view list) const = 0;

  // The registers (register_index.h answers them for every implementation).

  /// True when staff_id has declared a business interest (approved or not) whose domain is
  /// `domain`.
  virtual bool has_business_interest(std::string_view staff_id, std::string_view domain) const = 0;
  /// The latest gift or hospitality (offered or accepted) to staff_id from the organisation
  /// with `offeror_domain`, dated at or before `not_after`; nullopt when there is none. A rule
  /// asks "within 12 months" as not_after - gift.date <= 365d.
  virtual std::optional<Gift> latest_gift(std::string_view staff_id,
                                          std::string_view offeror_domain,
                                          Timestamp not_after) const = 0;
  /// True when staff_id sits on the panel of an open tender that supplier_domain bids for.
  /// A tender's panel is the union of the panels of all its rows.
  virtual bool on_open_tender_panel_with(std::string_view staff_id,
                                         std::string_view supplier_domain) const = 0;
  /// True when `domain` is a bidder of any open tender.
  virtual bool is_open_tender_supplier(std::string_view domain) const = 0;

  // High-profile people: candidates for the rules to confirm (rules/high_profile.h), found
  // through an index, never a scan of the register. Every row is returned whatever its
  // added_on / until (the caller knows the event's time). At most kHighProfileCandidates.

  /// The entries listing `id` among their record ids (case-insensitive).
  virtual std::vector<HighProfilePerson> high_profile_with_id(std::string_view id) const = 0;
  /// The entries whose surname (or an alias's word) shares a blocking key with a word, or
  /// two adjacent words joined, of `text` (state/high_profile_keys.h): a superset of the
  /// entries `text` can name.
  virtual std::vector<HighProfilePerson> high_profile_named(std::string_view text) const = 0;
  /// The entries whose address has the postcode of `text`, or, for an address without a
  /// postcode, the house number and street word of `text`.
  virtual std::vector<HighProfilePerson> high_profile_at(std::string_view address) const = 0;
  /// The site a login comes from: the longest address range holding `ip`, else the longest
  /// workstation pattern matching `host` (case-insensitive); null when neither matches or
  /// both are empty. Bounded: at most one hash probe per distinct prefix length. The row is
  /// shared with the registers it came from, not copied (every access event asks).
  virtual std::shared_ptr<const SiteRange> site_of(std::string_view ip,
                                                   std::string_view host) const = 0;
  /// The registered address of the record `subject_id` in `system` (both case-insensitive):
  /// the row for that system, else the row with no system; nullopt when neither exists or
  /// subject_id is empty. Cost: at most two hash probes.
  virtual std::optional<std::string> subject_address(std::string_view system,
                                                     std::string_view subject_id) const = 0;
};

}  // namespace probity::state
