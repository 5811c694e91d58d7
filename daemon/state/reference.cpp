// Text names of the reference-data enums, as import files, rule inline tests, rule literals
// and `state show` write them. Parsing is case-insensitive; to_string gives the canonical
// spelling. The one list of spellings: nothing else in the daemon keeps its own.
#include "state/reference.h"

#include <array>
#include <chrono>
#include <utility>

#include "state/keys.h"

namespace probity::state {

namespace {

template <class E, std::size_t N>
std::optional<E> find_enum(const std::array<std::pair<E, std::string_view>, N>& names,
                           std::string_view s) {
  const std::string key = lower(s);
  for (const auto& [value, name] : names)
    if (lower(name) == key) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [value, name] : names)
    if (value == e) return name;
  return "?";
}

constexpr std::array<std::pair<VettingLevel, std::string_view>, 9> kVettingNames{{
    {VettingLevel::none, "none"},
    {VettingLevel::rv, "RV"},
    {VettingLevel::mv, "MV"},
    {VettingLevel::nppv1, "NPPV1"},
    {VettingLevel::nppv2, "NPPV2"},
    {VettingLevel::nppv3, "NPPV3"},
    {VettingLevel::ctc, "CTC"},
    {VettingLevel::sc, "SC"},
    {VettingLevel::dv, "DV"},
}};

constexpr std::array<std::pair<HrStatus, std::string_view>, 4> kHrNames{{
    {HrStatus::active, "active"},
    {HrStatus::suspended, "suspended"},
    {HrStatus::leaving, "leaving"},
    {HrStatus::left, "left"},
}};

constexpr std::array<std::pair<AbsenceKind, std::string_view>, 8> kAbsenceNames{{
    {AbsenceKind::sick, "sick"},
    {AbsenceKind::maternity, "maternity"},
    {AbsenceKind::paternity, "paternity"},
    {AbsenceKind::adoption, "adoption"},
    {AbsenceKind::parental, "parental"},
    {AbsenceKind::career_break, "career_break"},
    {AbsenceKind::secondment, "secondment"},
    {AbsenceKind::phased_return, "phased_return"},
}};

constexpr std::array<std::pair<AssociationKind, std::string_view>, 9> kKindNames{{
    {AssociationKind::media, "media"},
    {AssociationKind::private_investigator, "private_investigator"},
    {AssociationKind::criminal, "criminal"},
    {AssociationKind::family, "family"},
    {AssociationKind::other, "other"},
    {AssociationKind::ex_partner, "ex_partner"},
    {AssociationKind::partner, "partner"},
    {AssociationKind::friend_, "friend"},
    {AssociationKind::business, "business"},
}};

// What declaration forms and HR exports write for the kinds (after ' ' and '-' became '_').
constexpr std::array<std::pair<AssociationKind, std::string_view>, 24> kKindWords{{
    {AssociationKind::private_investigator, "pi"},
    {AssociationKind::ex_partner, "expartner"},
    {AssociationKind::ex_partner, "former_partner"},
    {AssociationKind::ex_partner, "ex_spouse"},
    {AssociationKind::ex_partner, "ex_wife"},
    {AssociationKind::ex_partner, "ex_husband"},
    {AssociationKind::ex_partner, "ex_girlfriend"},
    {AssociationKind::ex_partner, "ex_boyfriend"},
    {AssociationKind::ex_partner, "ex_civil_partner"},
    {AssociationKind::ex_partner, "former_spouse"},
    {AssociationKind::partner, "spouse"},
    {AssociationKind::partner, "wife"},
    {AssociationKind::partner, "husband"},
    {AssociationKind::partner, "girlfriend"},
    {AssociationKind::partner, "boyfriend"},
    {AssociationKind::partner, "civil_partner"},
    {AssociationKind::partner, "fiance"},
    {AssociationKind::partner, "fiancee"},
    {AssociationKind::friend_, "close_friend"},
    {AssociationKind::friend_, "personal_friend"},
    {AssociationKind::business, "business_partner"},
    {AssociationKind::business, "business_associate"},
    {AssociationKind::business, "business_contact"},
    {AssociationKind::family, "relative"},
}};

constexpr std::array<std::pair<TenderStatus, std::string_view>, 3> kTenderNames{{
    {TenderStatus::open, "open"},
    {TenderStatus::awarded, "awarded"},
    {TenderStatus::closed, "closed"},
}};

}  // namespace

std::optional<TenderStatus> tender_status_from_string(std::string_view s) {
  return find_enum(kTenderNames, s);
}
std::string_view to_string(TenderStatus s) { return name_of(kTenderNames, s); }

std::optional<VettingLevel> vetting_level_from_string(std::string_view s) {
  return find_enum(kVettingNames, s);
}
std::string_view to_string(VettingLevel v) { return name_of(kVettingNames, v); }

std::optional<HrStatus> hr_status_from_string(std::string_view s) { return find_enum(kHrNames, s); }
std::string_view to_string(HrStatus s) { return name_of(kHrNames, s); }

std::optional<AssociationKind> association_kind_from_string(std::string_view s) {
  // Administrators write "private investigator", "private-investigator" and "pi" too; rules
  // and import files share this one spelling list.
  std::string key = lower(s);
  for (char& c : key)
    if (c == ' ' || c == '-') c = '_';
  if (const auto word = find_enum(kKindWords, key)) return word;
  return find_enum(kKindNames, key);
}
std::string_view to_string(AssociationKind k) { return name_of(kKindNames, k); }

std::optional<AbsenceKind> absence_kind_from_string(std::string_view s) {
  // HR systems write "Sick Leave", "Maternity leave", "career-break", "sickness".
  std::string key = lower(s);
  for (char& c : key)
    if (c == ' ' || c == '-') c = '_';
  for (const std::string_view suffix : {"_leave", "leave"})
    if (key.size() > suffix.size() && key.ends_with(suffix)) key.resize(key.size() - suffix.size());
  if (key == "sickness") return AbsenceKind::sick;
  return find_enum(kAbsenceNames, key);
}
std::string_view to_string(AbsenceKind k) { return name_of(kAbsenceNames, k); }

bool absent_on(const Absence& a, std::int64_t local_day) {
  if (a.kind == AbsenceKind::phased_return) return false;
  // Dates are stored as UTC midnight, so the UTC day number is the calendar date written.
  const auto day_of = [](Timestamp t) {
    const auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
    return secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
  };
  if (a.from && local_day < day_of(*a.from)) return false;
  if (a.to && local_day > day_of(*a.to)) return false;
  return true;
}

}  // namespace probity::state
