// Pass 2 of loading: items from all files, in load order -> one definition per list, macro
// and detection, applying overrides (append / replace); checks required keys; parses every
// condition into an AST. Does not resolve names (macros.cpp, checker.cpp).
#include <fmt/format.h>

#include "rules/loader.h"
#include "rules/parser.h"

namespace probity::rules {
namespace {

// Conditions joined by `and`: the original first, then each appended one.
ExprPtr parse_joined(const std::vector<const ScalarText*>& texts, Reporter& report) {
  ExprPtr joined;
  for (const ScalarText* t : texts) {
    ParseError err;
    ExprPtr e = parse_condition(*t, err);
    if (!e) {
      report.error(Code::syntax, err.span, err.message, err.hint);
      return nullptr;
    }
    if (!joined) {
      joined = std::move(e);
      continue;
    }
    auto both = std::make_unique<Expr>(NodeKind::and_, joined->span);
    both->args.push_back(std::move(joined));
    both->args.push_back(std::move(e));
    joined = std::move(both);
  }
  return joined;
}

void add_list(RawItem& item, Collection& c, Reporter& report) {
  ListDef& def = item.list;
  auto it = c.list_by_name.find(def.name);
  if (it == c.list_by_name.end()) {
    if (item.is_override) {
      report.error_at(def.where, Code::override_unknown,
                      "list '" + def.name + "' overrides a list that is not defined earlier",
                      "define the list first, or drop override:");
      return;
    }
    auto owned = std::make_unique<ListDef>(std::move(def));
    c.list_by_name.emplace(owned->name, owned.get());
    c.lists.push_back(std::move(owned));
    return;
  }
  ListDef& old = *it->second;
  if (!item.is_override) {
    report.error_at(
        def.where, Code::duplicate_id, "list '" + def.name + "' is defined twice",
        "first defined at " + place_of(old.where) + "; use override: {items: append} to extend it");
    return;
  }
  if (def.items_mode == OverrideMode::replace) old.items.clear();
  old.items.insert(old.items.end(), def.items.begin(), def.items.end());
  old.source_text += "\n" + def.source_text;
}

void add_macro(RawItem& item, Collection& c, Reporter& report) {
  MacroDef& def = item.macro;
  if (event::field_by_name(def.name)) {
    report.error_at(def.where, Code::bad_name, "macro '" + def.name + "' has the name of a field",
                    "rename the macro");
    return;
  }
  auto it = c.macro_by_name.find(def.name);
  if (it == c.macro_by_name.end()) {
    if (item.is_override) {
      report.error_at(def.where, Code::override_unknown,
                      "macro '" + def.name + "' overrides a macro that is not defined earlier");
      return;
    }
    auto owned = std::make_unique<MacroDef>(std::move(def));
    c.macro_by_name.emplace(owned->name, owned.get());
    c.macros.push_back(std::move(owned));
    return;
  }
  MacroDef& old = *it->second;
  if (!item.is_override) {
    report.error_at(def.where, Code::duplicate_id, "macro '" + def.name + "' is defined twice",
                    "first defined at " + place_of(old.where) +
                        "; use override: {condition: append} or {condition: replace}");
    return;
  }
  if (def.condition_mode == OverrideMode::replace) old.conditions.clear();
  old.conditions.insert(old.conditions.end(), def.conditions.begin(), def.conditions.end());
  old.source_text += "\n" + def.source_text;
}

template <class T>
void apply(OverrideMode mode, std::vector<T>& into, std::vector<T>& from) {
  if (mode == OverrideMode::replace) into.clear();
  into.insert(into.end(), std::make_move_iterator(from.begin()),
              std::make_move_iterator(from.end()));
}

void add_detection(RawItem& item, Collection& c, std::map<std::string, DetectionDef*>& by_id,
                   Reporter& report) {
  DetectionDef& def = item.detection;
  auto it = by_id.find(def.id);
  if (it == by_id.end()) {
    if (item.is_override) {
      report.error_at(
          def.where, Code::override_unknown,
          "detection '" + def.id + "' overrides a detection that is not defined earlier",
          "check the id, or the order of rule files (later files override earlier ones)");
      return;
    }
    auto owned = std::make_unique<DetectionDef>(std::move(def));
    by_id.emplace(owned->id, owned.get());
    c.detections.push_back(std::move(owned));
    return;
  }
  DetectionDef& old = *it->second;
  if (!item.is_override) {
    report.error_at(def.where, Code::duplicate_id, "detection '" + def.id + "' is defined twice",
                    "first defined at " + place_of(old.where) +
                        "; rename it, or add override: to change the earlier one");
    return;
  }
  auto mode = [&](const char* key) {
    auto m = def.overrides.find(key);
    return m == def.overrides.end() ? OverrideMode::replace : m->second;
  };
  if (def.title) old.title = def.title;
  if (def.description) old.description = def.description;
  if (def.guidance) old.guidance = def.guidance;
  if (def.severity) old.severity = def.severity;
  if (def.enabled) old.enabled = def.enabled;
  if (def.alert) old.alert = def.alert;
  if (def.tags) {
    if (!old.tags) old.tags.emplace();
    apply(mode("tags"), *old.tags, *def.tags);
  }
  if (def.fields) {
    if (!old.fields) old.fields.emplace();
    apply(mode("fields"), *old.fields, *def.fields);
  }
  if (!def.conditions.empty()) apply(mode("condition"), old.conditions, def.conditions);
  if (!def.tests.empty()) apply(mode("tests"), old.tests, def.tests);
  old.source_text += "\n" + def.source_text;
}

}  // namespace

void collect(std::vector<RawItem>& items, Collection& out, Reporter& report) {
  std::map<std::string, DetectionDef*> by_id;
  for (RawItem& item : items) {
    switch (item.type) {
      case RawItem::Type::list:
        add_list(item, out, report);
        break;
      case RawItem::Type::macro:
        add_macro(item, out, report);
        break;
      case RawItem::Type::detection:
        add_detection(item, out, by_id, report);
        break;
      case RawItem::Type::correlation: {
        CorrelationDef& def = item.correlation;
        bool duplicate = by_id.count(def.id) > 0;
        for (const auto& c : out.correlations) duplicate = duplicate || c->id == def.id;
        if (duplicate) {
          report.error_at(def.where, Code::duplicate_id,
                          "rule id '" + def.id + "' is defined twice",
                          "detections and correlations share one id space; correlations cannot be "
                          "overridden, edit or disable the original");
          break;
        }
        out.correlations.push_back(std::make_unique<CorrelationDef>(std::move(def)));
        break;
      }
    }
  }
  for (auto& c : out.correlations) {
    auto require = [&](bool present, const char* key) {
      if (!present)
        report.error_at(c->where, Code::missing_key,
                        "correlation '" + c->id + "' has no '" + key + "'");
    };
    require(c->title.has_value(), "title");
    require(c->severity.has_value(), "severity");
  }
  for (auto& m : out.macros) m->ast = parse_joined(m->conditions, report);
  for (auto& d : out.detections) {
    bool complete = true;
    auto require = [&](bool present, const char* key) {
      if (present) return;
      report.error_at(d->where, Code::missing_key,
                      "detection '" + d->id + "' has no '" + key + "'");
      complete = false;
    };
    require(d->title.has_value(), "title");
    require(d->severity.has_value(), "severity");
    require(!d->conditions.empty(), "condition");
    if (complete) d->ast = parse_joined(d->conditions, report);
    for (auto& x : d->exceptions) x.ast = parse_joined({x.condition}, report);
  }
}

}  // namespace probity::rules
