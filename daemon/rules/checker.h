// Pass 4 of loading: resolves names in a macro-expanded AST (fields, raw.*, functions,
// staff members, named lists) and checks types, annotating the AST for the compiler.
// Reports every problem it finds; does not build evaluable nodes.
#pragma once

#include <span>

#include "rules/loader.h"
#include "state/reference.h"

namespace probity::rules {

struct CheckContext {
  const Collection& collection;           ///< rule-file lists and macro names (for hints)
  const state::ReferenceData* reference;  ///< when set, state lists must exist
  Reporter& report;
  ZoneCache* zones = nullptr;  ///< zones named in hour()/weekday() are loaded into it
};

/// Checks `e` as a condition: it must be boolean. Returns false if any error was reported.
bool check_condition(Expr& e, CheckContext& ctx);
/// Checks `e` as a value to show (alert template, fields): any type but a bare staff record.
bool check_value(Expr& e, CheckContext& ctx);

/// What a function reads besides the event.
enum class Reads : std::uint8_t {
  event,       ///< the event (and site facts) only
  reference,   ///< reference data: the call is a look-up
  named_list,  ///< the list its first argument names: a look-up unless the rule files define it
  via_parent,  ///< a staff record or a list, read through what encloses the call (a member,
               ///< `x in list(...)`), which is the look-up
};

struct FunctionSig {
  std::string_view name;
  Builtin builtin;
  std::size_t min_args, max_args;
  Reads reads;
};

/// Every function the language knows, one row each (checker.cpp).
std::span<const FunctionSig> function_table();
/// The `reads` column for a call's builtin; Reads::event for anything not in the table.
Reads function_reads(Builtin b);
/// What reading a field reads: Reads::reference for subject.address (an event without one
/// falls back to the subject-address register, make_field in nodes.h), else Reads::event.
Reads field_reads(event::FieldId id);

/// Names of the functions the language knows, for hints and docs.
const std::vector<std::string_view>& function_names();

}  // namespace probity::rules
