// Pass 5 of loading: a checked AST -> evaluable nodes (nodes.h), with regexes compiled
// once and rule-file lists folded into sorted sets; and the event-kind analysis used to
// index rules. Reports regex errors; assumes the checker passed.
#pragma once

#include "rules/loader.h"
#include "rules/nodes.h"

namespace probity::rules {

struct SiteFacts;

struct CompileContext {
  const Collection& collection;
  Reporter& report;
  bool ok = true;
  ZoneCache* zones = nullptr;
  const SiteFacts* site = nullptr;  ///< for valid_reference(); null: no site file
};

NodePtr compile_condition(const Expr& e, CompileContext& ctx);
ValuePtr compile_value(const Expr& e, CompileContext& ctx);

/// Whether a checked condition can hold for events of this kind: false only when its
/// event.kind tests rule the kind out whatever the other fields are.
bool may_match_kind(const Expr& condition, event::Kind kind);

}  // namespace probity::rules
