// Pass 1 of loading, single-event items: `- list:`, `- macro:` and `- detection:` with their
// inline tests and exceptions. Correlations are read in correlation_reader.cpp; the shared
// value readers are in reader_values.cpp.
#include "base/boolean.h"
#include "rules/file_reader.h"
#include "rules/test_reference.h"

namespace probity::rules {
namespace {

constexpr std::string_view kListKeys[] = {"list", "items", "override"};
constexpr std::string_view kMacroKeys[] = {"macro", "condition", "override"};
constexpr std::string_view kDetectionKeys[] = {
    "detection",      "title",    "description", "guidance", "severity", "tags",
    "condition",      "alert",    "fields",      "enabled",  "override", "tests",
    "building_block", "suppress", "exceptions",  "requires"};
// Tests also take the reference-data keys (staff, associations, systems, lists and every
// register, by its import name): is_test_reference_key in test_reference.h.
constexpr std::string_view kTestKeys[] = {"name", "expect", "event"};
constexpr std::string_view kExceptionKeys[] = {"id", "owner", "reason", "expires", "condition"};

}  // namespace

bool FileReader::read_list(const YAML::Node& item, ListDef& def, bool& is_override) {
  bool ok = check_keys(item, kListKeys, "list");
  ok = name_of(item, "list", def.name, def.where) && ok;
  std::map<std::string, OverrideMode> modes;
  ok = read_override(item, {{"items", true}}, modes) && ok;
  if (!ok) return false;
  const YAML::Node items = item["items"];
  if (!items) {
    error(def.where, Code::missing_key, "list '" + def.name + "' has no 'items'");
    return false;
  }
  auto v = string_seq(items, "items");
  if (!v) return false;
  def.items = std::move(*v);
  is_override = item["override"].IsDefined();
  if (is_override) def.items_mode = modes.count("items") ? modes["items"] : OverrideMode::none;
  if (is_override && def.items_mode == OverrideMode::none) {
    error(where(item["override"]), Code::bad_override, "a list override must name 'items'");
    return false;
  }
  return true;
}

bool FileReader::read_macro(const YAML::Node& item, MacroDef& def, bool& is_override) {
  bool ok = check_keys(item, kMacroKeys, "macro");
  ok = name_of(item, "macro", def.name, def.where) && ok;
  std::map<std::string, OverrideMode> modes;
  ok = read_override(item, {{"condition", true}}, modes) && ok;
  if (!ok) return false;
  const YAML::Node cond = item["condition"];
  if (!cond) {
    error(def.where, Code::missing_key, "macro '" + def.name + "' has no 'condition'");
    return false;
  }
  const ScalarText* text = expression_text(cond, "condition");
  if (!text) return false;
  def.conditions.push_back(text);
  is_override = item["override"].IsDefined();
  if (is_override) {
    if (!modes.count("condition")) {
      error(where(item["override"]), Code::bad_override, "a macro override must name 'condition'");
      return false;
    }
    def.condition_mode = modes["condition"];
  }
  return true;
}

bool FileReader::read_detection(const YAML::Node& item, DetectionDef& def, bool& is_override) {
  bool ok = check_keys(item, kDetectionKeys, "detection");
  ok = name_of(item, "detection", def.id, def.where) && ok;
  ok = read_override(item,
                     {{"title", false},
                      {"description", false},
                      {"guidance", false},
                      {"severity", false},
                      {"tags", true},
                      {"condition", true},
                      {"alert", false},
                      {"fields", true},
                      {"enabled", false},
                      {"tests", true}},
                     def.overrides) &&
       ok;
  if (!ok) return false;
  for (const auto& kv : item) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (key == "title" || key == "description" || key == "guidance") {
      auto s = scalar(v, key);
      if (!s) {
        ok = false;
        continue;
      }
      (key == "title" ? def.title : key == "description" ? def.description : def.guidance) = *s;
    } else if (key == "severity") {
      auto s = scalar(v, key);
      if (!s) {
        ok = false;
        continue;
      }
      def.severity = severity_from_string(*s);
      if (!def.severity) {
        error(where_scalar(v), Code::bad_value, "unknown severity '" + *s + "'",
              "severity is one of: info, low, medium, high, critical");
        ok = false;
      }
    } else if (key == "tags") {
      auto t = string_seq(v, key);
      if (!t) {
        ok = false;
        continue;
      }
      def.tags = std::move(*t);
    } else if (key == "condition") {
      const ScalarText* text = expression_text(v, key);
      if (!text) {
        ok = false;
        continue;
      }
      def.conditions.push_back(text);
    } else if (key == "alert") {
      auto s = scalar(v, key);
      if (!s) {
        ok = false;
        continue;
      }
      def.alert = arena_.add_scalar(&file_, *s, offset(v.Mark()));
    } else if (key == "fields") {
      if (!v.IsSequence()) {
        error(where(v), Code::bad_value, "'fields' must be a list of field names");
        ok = false;
        continue;
      }
      std::vector<const ScalarText*> fields;
      for (const auto& f : v) {
        const ScalarText* text = expression_text(f, "fields");
        if (!text) {
          ok = false;
          continue;
        }
        fields.push_back(text);
      }
      def.fields = std::move(fields);
    } else if (key == "enabled") {
      auto s = scalar(v, key);
      if (!s) {
        ok = false;
        continue;
      }
      if (const auto b = parse_bool(*s))
        def.enabled = *b;
      else {
        error(where_scalar(v), Code::bad_value, "'enabled' must be true or false");
        ok = false;
      }
    } else if (key == "tests") {
      ok = read_tests(v, def.tests) && ok;
    } else if (key == "building_block") {
      auto b = boolean(v, key);
      if (b) def.building_block = *b;
      ok = b.has_value() && ok;
    } else if (key == "suppress") {
      def.suppress.emplace();
      ok = read_suppress(v, *def.suppress) && ok;
    } else if (key == "exceptions") {
      ok = read_exceptions(v, def.exceptions) && ok;
    } else if (key == "requires") {
      auto r = fields_of(v, key);
      if (r) def.requires_facts = std::move(*r);
      def.requires_where = where(v);
      ok = r.has_value() && ok;
    }
  }
  // An item with only an id and `enabled` switches an earlier rule on or off.
  is_override = item["override"].IsDefined() || (item.size() == 2 && item["enabled"]);
  if (item["override"]) {
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (key == "detection" || key == "override" || def.overrides.count(key)) continue;
      error(where_scalar(kv.first), Code::bad_override,
            "key '" + key + "' in an override item is not listed under override:",
            "add '" + key + ": replace' (or append) to override:");
      ok = false;
    }
  }
  return ok;
}

bool FileReader::read_tests(const YAML::Node& v, std::vector<InlineTestDef>& out) {
  if (!v.IsSequence()) {
    error(where(v), Code::bad_value, "'tests' must be a list of {expect, event} maps");
    return false;
  }
  bool ok = true;
  for (const auto& t : v) {
    if (!t.IsMap()) {
      error(where(t), Code::bad_value, "a test is a map with 'expect' and 'event'");
      ok = false;
      continue;
    }
    if (!check_keys(t, kTestKeys, "test", is_test_reference_key)) {
      ok = false;
      continue;
    }
    InlineTestDef def;
    def.where = where(t);
    if (t["name"]) {
      auto s = scalar(t["name"], "name");
      if (!s) {
        ok = false;
        continue;
      }
      def.name = *s;
    }
    const YAML::Node expect = t["expect"];
    const std::string e = expect && expect.IsScalar() ? expect.Scalar() : "";
    if (e == "match")
      def.expect_match = true;
    else if (e == "no_match")
      def.expect_match = false;
    else {
      error(expect ? where_scalar(expect) : def.where, Code::bad_value,
            "a test needs 'expect: match' or 'expect: no_match'");
      ok = false;
      continue;
    }
    const YAML::Node ev = t["event"];
    if (!ev || !ev.IsMap()) {
      error(ev ? where(ev) : def.where, Code::bad_value,
            "a test needs 'event:', a map of field: value",
            "e.g. event: {event.kind: access, user.id: pc1234}");
      ok = false;
      continue;
    }
    if (!read_event_map(ev, def)) {
      ok = false;
      continue;
    }
    ok = read_test_reference(t, file_, report_, def.reference) && ok;
    out.push_back(std::move(def));
  }
  return ok;
}

bool FileReader::read_exceptions(const YAML::Node& v, std::vector<ExceptionDef>& out) {
  if (!v.IsSequence()) {
    error(where(v), Code::bad_value,
          "'exceptions' is a list of {id, owner, reason, expires, condition}");
    return false;
  }
  bool ok = true;
  for (const auto& x : v) {
    if (!x.IsMap() || !check_keys(x, kExceptionKeys, "exception")) {
      if (!x.IsMap()) error(where(x), Code::bad_value, "an exception is a map");
      ok = false;
      continue;
    }
    ExceptionDef d;
    d.where = where(x);
    bool item_ok = true;
    for (const char* key : {"id", "owner", "reason", "condition"}) {
      if (!x[key]) {
        error(where(x), Code::missing_key, std::string("an exception needs '") + key + "'",
              "exceptions are audited data: say who owns it and why");
        item_ok = false;
      }
    }
    if (!item_ok) {
      ok = false;
      continue;
    }
    auto id = scalar(x["id"], "id");
    auto owner = scalar(x["owner"], "owner");
    auto reason = scalar(x["reason"], "reason");
    d.condition = expression_text(x["condition"], "condition");
    if (x["expires"]) d.expires = time_value(x["expires"], "expires", item_ok);
    if (!id || !owner || !reason || !d.condition || !item_ok) {
      ok = false;
      continue;
    }
    d.id = *id;
    d.owner = *owner;
    d.reason = *reason;
    out.push_back(std::move(d));
  }
  return ok;
}

}  // namespace probity::rules
