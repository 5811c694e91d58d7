// Matching a subject to a declared associate (associate_match.h documents the algorithm).
#include "rules/associate_match.h"

#include <cctype>

#include "rules/address.h"
#include "rules/person_match.h"
#include "state/reference_tables.h"

namespace probity::rules {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool kind_in(state::AssociationKind kind, KindMask kinds) {
  return kinds == 0 || (kinds & state::association_bit(kind)) != 0;
}

std::string_view without_system_label(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos || colon < 2 || colon > 16) return id;
  bool letter = false;
  for (const char c : id.substr(0, colon)) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) != 0) {
      letter = true;
    } else if (std::isdigit(u) == 0 && c != ' ' && c != '_' && c != '-') {
      return id;
    }
  }
  return letter ? id.substr(colon + 1) : id;
}

bool same_id(std::string_view a, std::string_view b) {
  a = without_system_label(a);
  b = without_system_label(b);
  std::size_t i = 0;
  std::size_t j = 0;
  bool any = false;
  while (true) {
    while (i < a.size() && is_space(a[i])) ++i;
    while (j < b.size() && is_space(b[j])) ++j;
    if (i == a.size() || j == b.size()) return any && i == a.size() && j == b.size();
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[j])))
      return false;
    any = true;
    ++i;
    ++j;
  }
}

bool declares_id(const state::Association& a, std::string_view subject_id) {
  if (same_id(a.party_id, subject_id)) return true;
  for (const auto& id : a.party_ids)
    if (same_id(id, subject_id)) return true;
  return false;
}

bool declares_person(const state::Association& a, std::string_view name, std::string_view dob) {
  if (a.party_dob.empty() || dob.empty() || name.empty()) return false;
  if (!a.party_name.empty() && same_person(name, dob, a.party_name, a.party_dob)) return true;
  for (const auto& alias : a.party_aliases)
    if (same_person(name, dob, alias, a.party_dob)) return true;
  return false;
}

bool declares_address(const state::Association& a, std::string_view address) {
  return !a.party_address.empty() && !address.empty() && same_address(address, a.party_address);
}

}  // namespace probity::rules
