// Pass 2b of loading, the applying half: each overrides-file entry (override_reader.cpp) changes
// the collected rules it names, in file order, before macros are resolved, so its exception
// conditions are expanded, type-checked and compiled exactly as the pack's own (rule_set.cpp).
// An entry changes no rule's version: an exception added for one officer does not reset the
// baselines and windows of the correlations built on the rule.
#include <fmt/format.h>

#include "base/ascii.h"
#include "rules/loader.h"
#include "rules/parser.h"

namespace probity::rules {
namespace {

std::string nearest_id(const std::string& id, const Collection& c) {
  std::vector<std::string_view> ids;
  for (const auto& d : c.detections) ids.emplace_back(d->id);
  for (const auto& d : c.correlations) ids.emplace_back(d->id);
  return closest(id, ids);
}

std::string inputs_of(const CorrelationDef& c) {
  std::string out;
  for (const auto& in : c.inputs) out += (out.empty() ? "" : ", ") + in.rule;
  return out;
}

// The entry's exception conditions parsed once (a syntax error is reported once, at its place
// in the overrides file); each rule the entry matches gets its own copy of the trees.
bool parse_exceptions(OverrideDef& def, Reporter& report) {
  bool ok = true;
  for (auto& x : def.exceptions) {
    ParseError err;
    x.ast = parse_condition(*x.condition, err);
    if (!x.ast) {
      report.error(Code::syntax, err.span, err.message, err.hint);
      ok = false;
    }
  }
  return ok;
}

void add_exceptions(const OverrideDef& def, DetectionDef& d, Reporter& report) {
  for (const auto& x : def.exceptions) {
    const auto same = std::find_if(d.exceptions.begin(), d.exceptions.end(),
                                   [&](const ExceptionDef& e) { return e.id == x.id; });
    if (same != d.exceptions.end()) {
      report.error_at(x.where, Code::duplicate_id,
                      "exception '" + x.id + "' of '" + d.id + "' is already defined at " +
                          place_of(same->where),
                      "give each exception of a rule its own id: drop counts are kept per id");
      continue;
    }
    ExceptionDef copy;
    copy.id = x.id;
    copy.owner = x.owner;
    copy.reason = x.reason;
    copy.expires = x.expires;
    copy.condition = x.condition;
    copy.ast = x.ast->clone();
    copy.where = x.where;
    d.exceptions.push_back(std::move(copy));
  }
}

void apply_one(OverrideDef& def, Collection& c, Reporter& report) {
  const bool glob = def.rule.find('*') != std::string::npos;
  std::vector<DetectionDef*> detections;
  std::vector<CorrelationDef*> correlations;
  for (auto& d : c.detections)
    if (glob_match(def.rule, d->id)) detections.push_back(d.get());
  for (auto& d : c.correlations)
    if (glob_match(def.rule, d->id)) correlations.push_back(d.get());
  if (detections.empty() && correlations.empty()) {
    std::string hint = "rule ids are listed by `probity rules check --format json`";
    if (const std::string near = glob ? "" : nearest_id(def.rule, c); !near.empty())
      hint = "did you mean '" + near + "'?";
    report.error_at(def.where, Code::override_unknown,
                    glob ? "override: no rule id matches '" + def.rule + "'"
                         : "override: no rule has the id '" + def.rule + "'",
                    std::move(hint));
    return;
  }
  if (!def.exceptions.empty() && detections.empty()) {
    const CorrelationDef& first = *correlations.front();
    report.error_at(
        def.where, Code::bad_override, "correlation '" + first.id + "' takes no exceptions",
        "except its matches where they start: add the exceptions to the rules it consumes (" +
            inputs_of(first) + ")");
    return;
  }
  if (!def.exceptions.empty() && parse_exceptions(def, report))
    for (DetectionDef* d : detections) add_exceptions(def, *d, report);
  if (def.suppress) {
    for (DetectionDef* d : detections) d->suppress = def.suppress;
    for (CorrelationDef* d : correlations) d->suppress = def.suppress;
  }
}

}  // namespace

void apply_overrides(std::vector<OverrideDef>& overrides, Collection& c, Reporter& report) {
  for (auto& def : overrides) apply_one(def, c, report);
}

}  // namespace probity::rules
