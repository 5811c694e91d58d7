// Pass 4 of loading: resolves names in a macro-expanded AST (fields, raw.*, functions,
// staff members, named lists) and checks types, annotating the AST for the compiler.
// Reports every problem it finds; does not build evaluable nodes.
#pragma once

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

/// Names of the functions the language knows, for hints and docs.
const std::vector<std::string_view>& function_names();

}  // namespace probity::rules
