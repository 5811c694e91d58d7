// The condition AST: what the parser builds, the macro resolver expands, the checker
// annotates (types, resolved fields and functions) and the compiler lowers into
// evaluable nodes. Not evaluated directly.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"
#include "rules/source.h"

namespace probity::rules {

/// Static types of expressions. `staff` is a record reachable only through members.
enum class Type : std::uint8_t {
  unknown,
  boolean,
  string,
  integer,
  time,
  duration,
  string_list,
  vetting,
  staff,
  named_list,
  weekday,  ///< ISO day of the week, 1 = Monday .. 7 = Sunday; literals by name ("sat")
};
std::string_view to_string(Type);

enum class NodeKind : std::uint8_t {
  or_,
  and_,
  not_,
  compare,    ///< args[0] op args[1]
  in,         ///< args[0] in args[1] (list_literal, named_list or a list-typed value)
  string_op,  ///< contains / startswith / endswith / matches
  string_lit,
  int_lit,
  duration_lit,
  bool_lit,
  identifier,    ///< dotted name as written: a canonical field, raw.<name> or a macro
  call,          ///< text(args...)
  member,        ///< args[0].text, e.g. staff(user.id).vetting.level
  list_literal,  ///< ( item, item, ... ) after `in`
  arith,         ///< args[0] + / - args[1]: time and duration arithmetic
};

enum class Op : std::uint8_t {
  none,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  contains,
  startswith,
  endswith,
  matches,
  plus,
  minus
};
std::string_view to_string(Op);

/// What an identifier or call resolved to (set by the checker).
enum class Builtin : std::uint8_t {
  none,
  field,      ///< canonical field (Expr::field)
  raw_field,  ///< raw.<name> or raw("name") (Expr::text holds the name)
  exists,
  associated,
  staff,
  system_vetting,
  in_list,
  named_list,
  lower,
  domain_of,
  cased,
  hour,
  weekday,
  cidr,
  all,
  any,
  business_interest,      ///< business_interest(staff, domain)
  gift_within,            ///< gift_within(staff, domain, duration)
  tender_panel_supplier,  ///< tender_panel_supplier(staff, domain)
  open_tender_supplier,   ///< open_tender_supplier(domain)
  domain_in_list,         ///< domain_in_list("name", domain): it or a parent domain is listed
  invalid_reference,      ///< invalid_reference(system, reference): fits none of the site's formats
  same_address,           ///< same_address(a, b): the two texts name one dwelling (address.h)
  names_person,           ///< names_person(text, forenames, surname): whole words (link_text.h)
  doors_apart,            ///< doors_apart(a, b): houses apart on one street (address.h)
  same_postcode_sector,   ///< same_postcode_sector(a, b): postcodes in one sector (address.h)
  same_person,            ///< same_person(name, dob, name, dob): one person (person_match.h)
  same_name,              ///< same_name(a, b): one name, spelt differently (person_match.h)
  high_profile_id,        ///< high_profile_id(id): a listed person's record id (high_profile.h)
  high_profile_person,    ///< high_profile_person(name, dob): a listed person, same_person
  high_profile_search,    ///< high_profile_search(terms): the search names a listed person
  high_profile_address,   ///< high_profile_address(address): a listed person's address
  site,                   ///< site(ip, host): the sites table's site id of a login
  site_town,              ///< site_town(ip, host)
  site_building,          ///< site_building(ip, host)
  remote_access,          ///< remote_access(ip, host): from a range marked remote (VPN)
  associated_person,      ///< associated_person(staff, name, dob, kinds...) (associate_match.h)
  at_associate_address,   ///< at_associate_address(staff, address, kinds...) (associate_match.h)
};

/// Members of staff(...): the accessor set rules may use.
enum class StaffMember : std::uint8_t {
  none,
  exists,
  id,
  surname,
  forenames,
  department,
  role,
  peer_group,
  address,
  emails,
  hr_status,
  leaving_date,
  absence,  ///< the recorded HR absence kind, whatever its dates
  absent_from,
  absent_to,
  absent,  ///< on an absence (not a phased return) on the event's local date
  vetting_level,
  vetting_granted,
  vetting_expires,
  vetting_status,
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  NodeKind kind;
  Op op = Op::none;
  bool negated = false;     ///< `not in`
  std::string text;         ///< identifier / function / member name, or a string literal's value
  std::int64_t number = 0;  ///< int literal; duration in µs; after checking: a time literal (µs
                            ///< since epoch) or a vetting level
  std::vector<ExprPtr> args;
  Span span;

  // Set by the checker.
  Type type = Type::unknown;
  Builtin builtin = Builtin::none;
  event::FieldId field{};
  StaffMember member = StaffMember::none;
  bool cased = false;    ///< compare case-sensitively (an operand was cased(...))
  bool element = false;  ///< inside all()/any(): stands for the current list element
  /// The root of a macro's expansion: the macro's number (MacroDef::number), else -1. Its
  /// result depends on the event alone, so it is evaluated once per event however many
  /// rules use it.
  int macro = -1;

  Expr(NodeKind k, Span s) : kind(k), span(s) {}
  ExprPtr clone() const;
};

/// Renders the expression back to condition text (normalised spacing); for explain and tests.
std::string to_text(const Expr&);

}  // namespace probity::rules
