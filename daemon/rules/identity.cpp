// identity_of: the identity type of a template value or shown field (see identity.h).
#include "rules/identity.h"

namespace probity::rules {

namespace {

event::Identity of_staff_member(StaffMember m) {
  switch (m) {
    case StaffMember::id:
      return event::Identity::staff;
    case StaffMember::surname:
    case StaffMember::forenames:
    case StaffMember::department:
    case StaffMember::role:
    case StaffMember::peer_group:
    case StaffMember::address:
    case StaffMember::emails:
      return event::Identity::personal;
    default:
      return event::Identity::none;
  }
}

bool mentions_identity(const Expr& e) {
  if (e.builtin == Builtin::field && event::field_info(e.field).identity != event::Identity::none)
    return true;
  if (e.builtin == Builtin::raw_field) return true;
  for (const auto& a : e.args)
    if (mentions_identity(*a)) return true;
  return false;
}

}  // namespace

event::Identity identity_of(const Expr& e) {
  switch (e.type) {
    case Type::boolean:
    case Type::integer:
    case Type::time:
    case Type::duration:
    case Type::vetting:
    case Type::weekday:
      return event::Identity::none;
    default:
      break;
  }
  if (e.builtin == Builtin::field) return event::field_info(e.field).identity;
  if (e.builtin == Builtin::raw_field) return event::Identity::personal;
  if (e.kind == NodeKind::member && e.member != StaffMember::none) return of_staff_member(e.member);
  // domain_of(email.from) names an organisation, not a person.
  if (e.builtin == Builtin::domain_of) return event::Identity::none;
  return mentions_identity(e) ? event::Identity::personal : event::Identity::none;
}

}  // namespace probity::rules
