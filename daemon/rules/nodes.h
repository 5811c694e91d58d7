// Internal to rules/: the compiled, evaluable form of a condition (a tree of Nodes with
// resolved FieldIds, precompiled regexes and lowered literals) and the per-event
// EvalContext. Node classes live in evaluator.cpp; the compiler builds them via make_*.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/event.h"
#include "rules/associate_match.h"
#include "rules/ast.h"
#include "rules/high_profile.h"
#include "state/reference.h"

namespace re2 {
class RE2;
}

namespace probity::rules {

class TimeZone;
struct SiteFacts;

/// An IPv4 or IPv6 network; IPv4 is held as an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
struct Network {
  std::array<std::uint8_t, 16> addr{};
  int prefix = 128;
};
/// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128).
std::optional<Network> parse_network(std::string_view text);
/// Parses an address without allocating; false for anything else.
bool parse_address(std::string_view text, std::array<std::uint8_t, 16>& out);

/// A value during evaluation: a view into the event, a compiled literal or a cached
/// staff record; valid until the EvalContext is gone. tag none = absent.
struct Val {
  enum class Tag : std::uint8_t {
    none,
    str,
    integer,
    time,
    vetting,
    boolean,
    list,
    weekday,
    duration
  } tag = Tag::none;
  bool lower = false;  ///< read `s` lower-cased (lower()); matters only to cased comparisons
  std::string_view s;
  std::int64_t i = 0;  ///< integer, time (µs since epoch), vetting level, boolean
  const std::vector<std::string>* list = nullptr;
};

class Node;
struct TraceEntry {
  int depth;
  const Node* node;
  bool result;
};

/// State for evaluating one event: the event, reference data, a small cache of staff
/// look-ups shared by all rules (most rules ask for staff(user.id)), and an optional trace.
class EvalContext {
 public:
  EvalContext(const event::Event& e, const state::ReferenceData& r) : event(e), ref(r) {}
  const event::Event& event;
  const state::ReferenceData& ref;
  std::vector<TraceEntry>* trace = nullptr;  ///< set by explain()
  /// Results of macros for this event by number (Expr::macro): 0 not yet evaluated, 1
  /// false, 2 true.
  static constexpr std::size_t kRememberedMacros = 64;
  std::array<std::uint8_t, kRememberedMacros> macro_results{};
  std::string_view element;  ///< the list element all()/any() is testing
  int depth = 0;

  /// The staff record for `id` (case-insensitive), or nullptr; looked up once per event.
  const state::StaffRecord* staff(std::string_view id);
  /// The site of a login from `ip` / `host` (sites table), or nullptr; the last one asked
  /// is kept, so several site functions on one event look it up once.
  const state::SiteRange* site(std::string_view ip, std::string_view host);
  /// The associations `id` declared; fetched once per event for the last id asked (rules
  /// ask about user.id).
  const std::vector<state::Association>& associations(std::string_view id);
  /// The subject-address register's address for the event's (source.system, subject.id);
  /// empty when it has none. Asked once per event, however many rules read it.
  std::string_view registered_subject_address();

 private:
  std::string_view associations_key_;
  std::shared_ptr<const std::vector<state::Association>> associations_;
  // Keys are views into the event or compiled literals, valid as long as the context.
  // Records are shared with the store's cache, so they stay put while values point into
  // them: a fixed array for the usual few, then a vector.
  struct Cached {
    std::string_view key;
    std::shared_ptr<const state::StaffRecord> record;
  };
  std::array<Cached, 4> cache_;
  std::size_t cached_ = 0;
  std::vector<Cached> overflow_;
  bool site_asked_ = false;
  std::string_view site_ip_, site_host_;
  std::shared_ptr<const state::SiteRange> site_;
  // Held here so the views handed out stay valid for the event.
  std::optional<std::optional<std::string>> subject_address_;
};

class Node {
 public:
  virtual ~Node() = default;
  virtual bool test(EvalContext& c) const = 0;
  std::string text;  ///< the condition text this node came from, for explain
};
using NodePtr = std::unique_ptr<Node>;

class ValueNode {
 public:
  virtual ~ValueNode() = default;
  virtual Val eval(EvalContext& c) const = 0;
};
using ValuePtr = std::unique_ptr<ValueNode>;

/// Evaluates a child node, recording it when the context has a trace.
inline bool run(const Node& n, EvalContext& c) {
  if (!c.trace) [[likely]]
    return n.test(c);
  const std::size_t slot = c.trace->size();
  c.trace->push_back({c.depth, &n, false});
  ++c.depth;
  const bool r = n.test(c);
  --c.depth;
  (*c.trace)[slot].result = r;
  return r;
}

/// Text for alerts: strings as is, integers in decimal, times in RFC 3339, vetting levels
/// by name, lists joined with ", "; absent -> "-".
std::string render(const Val& v);

// Boolean nodes.
NodePtr make_and(std::vector<NodePtr> children);
NodePtr make_or(std::vector<NodePtr> children);
NodePtr make_not(NodePtr child);
/// A macro's expansion (`body`), evaluated once per EvalContext (macro_results[number]).
NodePtr make_remembered(std::size_t number, NodePtr body);
NodePtr make_const(bool value);
/// ==, <, <=, >, >= (!= is compiled as not ==); strings fold case unless `cased`.
NodePtr make_compare(Op op, bool cased, ValuePtr l, ValuePtr r);
/// `l in (...)` over a literal set of strings: folded into a hash set unless cased, sorted
/// when cased.
NodePtr make_in_strings(ValuePtr l, std::vector<std::string> items, bool cased);
/// `l in (...)` over integers, times or vetting levels.
NodePtr make_in_numbers(ValuePtr l, std::vector<std::int64_t> items);
/// `l in list("name")` for a list held in reference data (looked up per event).
NodePtr make_in_state_list(ValuePtr l, std::string list);
/// `l in <list value>` (e.g. staff(user.id).emails).
NodePtr make_in_value_list(ValuePtr l, ValuePtr list, bool cased);
NodePtr make_string_op(Op op, bool cased, ValuePtr l, ValuePtr r);
NodePtr make_matches(ValuePtr l, std::unique_ptr<re2::RE2> re);
/// A comparison of two addresses from address.h (same_address, same_postcode_sector); either
/// side may be a list (any element).
using AddressTest = bool (*)(std::string_view, std::string_view);
NodePtr make_address_test(AddressTest test, ValuePtr a, ValuePtr b);
/// names_person(text, forenames, surname) (link_text.h); the text may be a list (any element).
NodePtr make_names_person(ValuePtr text, ValuePtr forenames, ValuePtr surname);
/// same_person(name_a, dob_a, name_b, dob_b) (person_match.h); a name may be a list (any
/// element), a date of birth is one text.
NodePtr make_same_person(ValuePtr name_a, ValuePtr dob_a, ValuePtr name_b, ValuePtr dob_b);
/// same_name(a, b) (person_match.h); either side may be a list (any element).
NodePtr make_same_name(ValuePtr a, ValuePtr b);
/// high_profile_id / _person / _search / _address (high_profile.h): the value (any element of
/// a list) reaches a person listed on the event's day; `dob` only for `person`.
NodePtr make_high_profile(HighProfileBy by, ValuePtr value, ValuePtr dob);
/// associated(staff, id), associated_person(staff, name, dob), at_associate_address(staff,
/// address) (associate_match.h) over the staff member's associations of `kinds` (0: any);
/// a list value matches on any element.
NodePtr make_associate_test(Builtin which, std::vector<ValuePtr> args, KindMask kinds);
/// The registers (state::ReferenceData): business_interest, tender_panel_supplier and
/// open_tender_supplier (staff is nullptr for the last); any element of a list value may
/// match.
NodePtr make_register(Builtin which, ValuePtr staff, ValuePtr domain);
/// gift_within: a gift from `domain` to `staff` dated within `window` before event.time.
NodePtr make_gift_within(ValuePtr staff, ValuePtr domain, ValuePtr window);
/// invalid_reference: `reference` is present and fits none of the formats `site` gives for
/// `system` (or for every system). False with no site, no formats for the system, or no value.
/// domain_in_list: the domain (any element of a list value) or one of its parent domains at a
/// label boundary is in the named list: `items` for a rule-file or site list, else state's.
NodePtr make_domain_in_list(ValuePtr domain, std::string list,
                            std::optional<std::vector<std::string>> items);
NodePtr make_invalid_reference(ValuePtr system, ValuePtr reference, const SiteFacts* site);
NodePtr make_exists(ValuePtr v);
/// A boolean-typed value (staff(x).exists) used as a condition.
NodePtr make_truthy(ValuePtr v);
/// all(...) / any(...): `body` holds for every / some element of `list` (bound in the
/// context as the element). No elements: false for both.
NodePtr make_quantifier(bool all, ValuePtr list, NodePtr body);
/// The list element bound by the innermost all()/any().
ValuePtr make_element();
/// The address in `v` (text) lies in any of `nets`.
NodePtr make_cidr(ValuePtr v, std::vector<Network> nets);

// Value nodes.
/// The event's field `id`; for subject.address with no value in the event, the register's
/// (EvalContext::registered_subject_address; checker.h field_reads says which fields do).
ValuePtr make_field(event::FieldId id);
ValuePtr make_raw(std::string name);
ValuePtr make_string_literal(std::string s);
ValuePtr make_number_literal(Val::Tag tag, std::int64_t i);
ValuePtr make_bool_value(NodePtr cond);
ValuePtr make_staff_member(ValuePtr staff_id, StaffMember m);
/// staff(id).absent: on an HR absence on the event's calendar day in `zone` (absence.cpp).
ValuePtr make_staff_absent(ValuePtr staff_id, std::shared_ptr<const TimeZone> zone);
ValuePtr make_system_vetting(ValuePtr system);
ValuePtr make_lower(ValuePtr v);
ValuePtr make_domain_of(ValuePtr v);
/// doors_apart(a, b) (address.h): an integer, absent when not one street.
ValuePtr make_doors_apart(ValuePtr a, ValuePtr b);
/// site / site_town / site_building (text; absent when no site holds the login) and
/// remote_access (boolean) of the login from address `ip` and workstation `host`.
ValuePtr make_site(Builtin which, ValuePtr ip, ValuePtr host);
/// + or - over integers, times and durations (the checker fixed the result's tag).
ValuePtr make_arith(Op op, Val::Tag result, ValuePtr l, ValuePtr r);
/// Hour of the day (0-23) and ISO weekday (1-7) of a time, in `zone`.
ValuePtr make_hour(ValuePtr time, std::shared_ptr<const TimeZone> zone);
ValuePtr make_weekday(ValuePtr time, std::shared_ptr<const TimeZone> zone);
/// "Monday" .. "Sunday" for 1..7; weekday_from_name accepts "mon" or "monday", any case.
std::string_view weekday_name(std::int64_t iso_day);
std::optional<std::int64_t> weekday_from_name(std::string_view name);

}  // namespace probity::rules
