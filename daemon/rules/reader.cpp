// Pass 1 of loading: one rule file's YAML -> RawItems (lists, macros, detections), checking
// item shapes and keys. yaml-cpp throws: every call that may throw is inside this file's
// catch, which turns the exception and its mark into a diagnostic.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "base/boolean.h"
#include "base/duration.h"
#include "rules/loader.h"
#include "rules/test_reference.h"
#include "rules/vocab.h"

namespace probity::rules {
namespace {

using Level = Diagnostic::Level;

constexpr std::string_view kListKeys[] = {"list", "items", "override"};
constexpr std::string_view kMacroKeys[] = {"macro", "condition", "override"};
constexpr std::string_view kDetectionKeys[] = {
    "detection", "title",   "description", "severity", "tags",           "condition", "alert",
    "fields",    "enabled", "override",    "tests",    "building_block", "suppress",  "exceptions",
    "requires"};
// Tests also take the reference-data keys (staff, associations, systems, lists and every
// register, by its import name): is_test_reference_key in test_reference.h.
constexpr std::string_view kTestKeys[] = {"name", "expect", "event"};
constexpr std::string_view kCorrelationTestKeys[] = {"name", "expect", "alerts", "events",
                                                     "advance"};
constexpr std::string_view kCorrelationKeys[] = {
    "correlation", "title",          "description", "severity",   "tags",
    "enabled",     "building_block", "count",       "distinct",   "sequence",
    "absent",      "first_seen",     "baseline",    "risk",       "suppress",
    "alert",       "tests",          "max_keys",    "max_pending"};
constexpr std::string_view kCorrelationTypes[] = {"count",      "distinct", "sequence", "absent",
                                                  "first_seen", "baseline", "risk"};
constexpr std::string_view kSuppressKeys[] = {"by", "for"};
constexpr std::string_view kExceptionKeys[] = {"id", "owner", "reason", "expires", "condition"};
// Keys other engines use, mapped to ours, for hints.
constexpr std::pair<std::string_view, std::string_view> kKeyAliases[] = {
    {"when", "condition"}, {"priority", "severity"},   {"level", "severity"},
    {"output", "alert"},   {"desc", "description"},    {"rule", "detection"},
    {"name", "title"},     {"output_fields", "fields"}};

class FileReader {
 public:
  FileReader(const SourceFile& file, LoadArena& arena, Reporter& report, std::vector<RawItem>& out)
      : file_(file), arena_(arena), report_(report), out_(out) {}

  void read() {
    YAML::Node root;
    try {
      root = YAML::Load(file_.text());
    } catch (const YAML::Exception& e) {
      report_.add(Level::error, "yaml.parse", &file_, offset(e.mark), 1, e.msg,
                  "check indentation and quoting around this place");
      return;
    }
    try {
      read_root(root);
    } catch (const YAML::Exception& e) {  // conversions we did not foresee
      report_.add(Level::error, "yaml.parse", &file_, offset(e.mark), 1, e.msg);
    }
  }

 private:
  std::size_t offset(const YAML::Mark& m) const {
    return m.pos >= 0 ? static_cast<std::size_t>(m.pos) : 0;
  }
  Where where(const YAML::Node& n, std::uint32_t length = 1) const {
    return Where{&file_, offset(n.Mark()), length};
  }
  Where where_scalar(const YAML::Node& n) const {
    const auto len = n.IsScalar() ? static_cast<std::uint32_t>(n.Scalar().size()) : 1u;
    return where(n, std::max(len, 1u));
  }
  void error(const Where& w, std::string code, std::string message, std::string hint = {}) {
    report_.add(Level::error, std::move(code), w.file, w.offset, w.length, std::move(message),
                std::move(hint));
  }

  void read_root(const YAML::Node& root) {
    if (!root || root.IsNull()) return;  // an empty file is allowed
    if (!root.IsSequence()) {
      error(where(root), "rules.bad_file",
            "a rule file is a YAML list of items (- list:, - macro:, - detection:)");
      return;
    }
    // Item source text runs from one item's mark to the next one's, for version hashes.
    std::vector<std::size_t> starts;
    for (const auto& item : root) starts.push_back(offset(item.Mark()));
    starts.push_back(file_.text().size());
    std::size_t index = 0;
    for (const auto& item : root) {
      std::string_view text =
          std::string_view(file_.text())
              .substr(starts[index],
                      starts[index + 1] > starts[index] ? starts[index + 1] - starts[index] : 0);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '-' ||
                               text.back() == '\r'))
        text.remove_suffix(1);
      read_item(item, std::string(text));
      ++index;
    }
  }

  void read_item(const YAML::Node& item, std::string text) {
    if (!item.IsMap()) {
      error(where(item), "rules.bad_item",
            "each item must be a map starting with list:, macro: or detection:");
      return;
    }
    int kinds = 0;
    RawItem::Type type = RawItem::Type::list;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (key == "list" || key == "macro" || key == "detection" || key == "correlation") {
        ++kinds;
        type = key == "list"        ? RawItem::Type::list
               : key == "macro"     ? RawItem::Type::macro
               : key == "detection" ? RawItem::Type::detection
                                    : RawItem::Type::correlation;
      }
    }
    if (kinds == 0) {
      std::string hint = "start the item with list:, macro:, detection: or correlation:";
      if (item["rule"]) hint = "'rule:' is written 'detection:' here";
      error(where(item), "rules.bad_item", "item is not a list, macro, detection or correlation",
            std::move(hint));
      return;
    }
    if (kinds > 1) {
      error(where(item), "rules.bad_item",
            "item has more than one of list:, macro:, detection:, correlation:",
            "split it into two items");
      return;
    }
    RawItem raw{type, {}, {}, {}, {}, false};
    switch (type) {
      case RawItem::Type::list:
        if (!read_list(item, raw.list, raw.is_override)) return;
        raw.list.source_text = std::move(text);
        break;
      case RawItem::Type::macro:
        if (!read_macro(item, raw.macro, raw.is_override)) return;
        raw.macro.source_text = std::move(text);
        break;
      case RawItem::Type::detection:
        if (!read_detection(item, raw.detection, raw.is_override)) return;
        raw.detection.source_text = std::move(text);
        break;
      case RawItem::Type::correlation:
        if (!read_correlation(item, raw.correlation)) return;
        raw.correlation.source_text = std::move(text);
        break;
    }
    out_.push_back(std::move(raw));
  }

  /// `also` accepts keys from an open-ended set (a test's reference-data keys).
  template <std::size_t N>
  bool check_keys(const YAML::Node& item, const std::string_view (&allowed)[N],
                  std::string_view what, bool (*also)(std::string_view) = nullptr) {
    bool ok = true;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (std::find(std::begin(allowed), std::end(allowed), key) != std::end(allowed)) continue;
      if (also && also(key)) continue;
      std::string hint;
      for (const auto& [alias, ours] : kKeyAliases)
        if (alias == key &&
            std::find(std::begin(allowed), std::end(allowed), ours) != std::end(allowed))
          hint = "did you mean '" + std::string(ours) + "'?";
      if (hint.empty()) {
        const std::string near =
            closest(key, std::vector<std::string_view>(std::begin(allowed), std::end(allowed)));
        if (!near.empty()) hint = "did you mean '" + near + "'?";
      }
      if (hint.empty()) {
        hint = "allowed keys in a " + std::string(what) + ":";
        for (auto k : allowed) hint += " " + std::string(k);
      }
      error(where_scalar(kv.first), "rules.unknown_key",
            "unknown key '" + key + "' in a " + std::string(what), std::move(hint));
      ok = false;
    }
    return ok;
  }

  std::optional<std::string> scalar(const YAML::Node& n, std::string_view key) {
    if (!n.IsScalar()) {
      error(where(n), "rules.bad_value", "'" + std::string(key) + "' must be a string");
      return std::nullopt;
    }
    return n.Scalar();
  }

  bool name_of(const YAML::Node& item, std::string_view key, std::string& name, Where& w) {
    const YAML::Node n = item[std::string(key)];
    auto s = scalar(n, key);
    if (!s) return false;
    if (s->empty()) {
      error(where(n), "rules.bad_value", "'" + std::string(key) + "' needs a name");
      return false;
    }
    name = *s;
    w = where_scalar(n);
    return true;
  }

  std::optional<std::vector<std::string>> string_seq(const YAML::Node& n, std::string_view key) {
    if (n.IsNull()) return std::vector<std::string>{};
    if (!n.IsSequence()) {
      error(where(n), "rules.bad_value", "'" + std::string(key) + "' must be a list",
            "write [a, b] or one '- item' per line");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& v : n) {
      if (!v.IsScalar()) {
        error(where(v), "rules.bad_value", "items of '" + std::string(key) + "' must be strings");
        return std::nullopt;
      }
      out.push_back(v.Scalar());
    }
    return out;
  }

  const ScalarText* expression_text(const YAML::Node& n, std::string_view key) {
    auto s = scalar(n, key);
    if (!s) return nullptr;
    if (s->find_first_not_of(" \t\r\n") == std::string::npos) {
      error(where(n), "rules.bad_value", "'" + std::string(key) + "' is empty");
      return nullptr;
    }
    return arena_.add_scalar(&file_, *s, offset(n.Mark()));
  }

  // override: {key: append|replace, ...}; `modes` lists which modes each key allows.
  bool read_override(const YAML::Node& item,
                     std::initializer_list<std::pair<std::string_view, bool>> appendable,
                     std::map<std::string, OverrideMode>& out) {
    const YAML::Node o = item["override"];
    if (!o) return true;
    if (!o.IsMap()) {
      error(where(o), "rules.bad_value", "'override' must be a map of key: append|replace",
            "e.g. override: {condition: append}");
      return false;
    }
    bool ok = true;
    for (const auto& kv : o) {
      const std::string key = kv.first.as<std::string>();
      const std::string mode = kv.second.IsScalar() ? kv.second.Scalar() : "";
      const auto it = std::find_if(appendable.begin(), appendable.end(),
                                   [&](const auto& p) { return p.first == key; });
      if (it == appendable.end()) {
        std::string keys;
        for (const auto& p : appendable) keys += " " + std::string(p.first);
        error(where_scalar(kv.first), "rules.bad_override",
              "key '" + key + "' cannot be overridden", "overridable keys:" + keys);
        ok = false;
        continue;
      }
      if (mode == "replace") {
        out[key] = OverrideMode::replace;
      } else if (mode == "append" && it->second) {
        out[key] = OverrideMode::append;
      } else {
        error(where_scalar(kv.second), "rules.bad_override",
              "override mode for '" + key + "' must be " +
                  (it->second ? "append or replace" : "replace"));
        ok = false;
      }
    }
    // Every overriding key must be present, and every present key must be overridden.
    for (const auto& [key, mode] : out) {
      if (!item[key]) {
        error(where(o), "rules.bad_override",
              "override names '" + key + "' but the item has no '" + key + "'");
        ok = false;
      }
    }
    return ok;
  }

  bool read_list(const YAML::Node& item, ListDef& def, bool& is_override) {
    bool ok = check_keys(item, kListKeys, "list");
    ok = name_of(item, "list", def.name, def.where) && ok;
    std::map<std::string, OverrideMode> modes;
    ok = read_override(item, {{"items", true}}, modes) && ok;
    if (!ok) return false;
    const YAML::Node items = item["items"];
    if (!items) {
      error(def.where, "rules.missing_key", "list '" + def.name + "' has no 'items'");
      return false;
    }
    auto v = string_seq(items, "items");
    if (!v) return false;
    def.items = std::move(*v);
    is_override = item["override"].IsDefined();
    if (is_override) def.items_mode = modes.count("items") ? modes["items"] : OverrideMode::none;
    if (is_override && def.items_mode == OverrideMode::none) {
      error(where(item["override"]), "rules.bad_override", "a list override must name 'items'");
      return false;
    }
    return true;
  }

  bool read_macro(const YAML::Node& item, MacroDef& def, bool& is_override) {
    bool ok = check_keys(item, kMacroKeys, "macro");
    ok = name_of(item, "macro", def.name, def.where) && ok;
    std::map<std::string, OverrideMode> modes;
    ok = read_override(item, {{"condition", true}}, modes) && ok;
    if (!ok) return false;
    const YAML::Node cond = item["condition"];
    if (!cond) {
      error(def.where, "rules.missing_key", "macro '" + def.name + "' has no 'condition'");
      return false;
    }
    const ScalarText* text = expression_text(cond, "condition");
    if (!text) return false;
    def.conditions.push_back(text);
    is_override = item["override"].IsDefined();
    if (is_override) {
      if (!modes.count("condition")) {
        error(where(item["override"]), "rules.bad_override",
              "a macro override must name 'condition'");
        return false;
      }
      def.condition_mode = modes["condition"];
    }
    return true;
  }

  bool read_detection(const YAML::Node& item, DetectionDef& def, bool& is_override) {
    bool ok = check_keys(item, kDetectionKeys, "detection");
    ok = name_of(item, "detection", def.id, def.where) && ok;
    ok = read_override(item,
                       {{"title", false},
                        {"description", false},
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
      if (key == "title" || key == "description") {
        auto s = scalar(v, key);
        if (!s) {
          ok = false;
          continue;
        }
        (key == "title" ? def.title : def.description) = *s;
      } else if (key == "severity") {
        auto s = scalar(v, key);
        if (!s) {
          ok = false;
          continue;
        }
        def.severity = severity_from_string(*s);
        if (!def.severity) {
          error(where_scalar(v), "rules.bad_value", "unknown severity '" + *s + "'",
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
          error(where(v), "rules.bad_value", "'fields' must be a list of field names");
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
          error(where_scalar(v), "rules.bad_value", "'enabled' must be true or false");
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
        error(where_scalar(kv.first), "rules.bad_override",
              "key '" + key + "' in an override item is not listed under override:",
              "add '" + key + ": replace' (or append) to override:");
        ok = false;
      }
    }
    return ok;
  }

  bool read_tests(const YAML::Node& v, std::vector<InlineTestDef>& out) {
    if (!v.IsSequence()) {
      error(where(v), "rules.bad_value", "'tests' must be a list of {expect, event} maps");
      return false;
    }
    bool ok = true;
    for (const auto& t : v) {
      if (!t.IsMap()) {
        error(where(t), "rules.bad_value", "a test is a map with 'expect' and 'event'");
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
        error(expect ? where_scalar(expect) : def.where, "rules.bad_value",
              "a test needs 'expect: match' or 'expect: no_match'");
        ok = false;
        continue;
      }
      const YAML::Node ev = t["event"];
      if (!ev || !ev.IsMap()) {
        error(ev ? where(ev) : def.where, "rules.bad_value",
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

  // {field: value, ...} of one test event -> def.kind and def.fields.
  bool read_event_map(const YAML::Node& ev, InlineTestDef& def) {
    bool ok = true;
    for (const auto& kv : ev) {
      InlineTestDef::Field f;
      f.name = kv.first.as<std::string>();
      f.where = where_scalar(kv.first);
      if (kv.second.IsSequence()) {
        auto items = string_seq(kv.second, f.name);
        if (!items) {
          ok = false;
          continue;
        }
        f.values = std::move(*items);
        f.is_list = true;
      } else if (kv.second.IsScalar()) {
        f.values.push_back(kv.second.Scalar());
      } else {
        error(where(kv.second), "rules.bad_value",
              "test field '" + f.name + "' must be a value or a list");
        ok = false;
        continue;
      }
      if (f.name == "event.kind" || f.name == "kind") {
        def.kind = f.values.empty() ? "" : f.values.front();
        def.kind_where = where_scalar(kv.second);
        continue;
      }
      def.fields.push_back(std::move(f));
    }
    if (ok && def.kind.empty()) {
      error(where(ev), "rules.bad_value", "a test event needs 'event.kind' (access or email)");
      ok = false;
    }
    return ok;
  }

  std::optional<bool> boolean(const YAML::Node& v, std::string_view key) {
    auto s = scalar(v, key);
    if (!s) return std::nullopt;
    if (const auto b = parse_bool(*s)) return b;
    error(where_scalar(v), "rules.bad_value", "'" + std::string(key) + "' must be true or false");
    return std::nullopt;
  }

  // "90s", "15m", "24h", "30d", "2w" -> microseconds (base/duration.h, shared with the config).
  std::optional<std::int64_t> duration(const YAML::Node& v, std::string_view key) {
    auto s = scalar(v, key);
    if (!s) return std::nullopt;
    if (const auto d = parse_duration(*s); d && d->count() > 0) return d->count();
    error(where_scalar(v), "rules.bad_value",
          "'" + std::string(key) + "' must be a positive duration",
          "durations are a number and one unit: " + std::string(kDurationExamples));
    return std::nullopt;
  }

  std::optional<std::int64_t> positive(const YAML::Node& v, std::string_view key) {
    auto s = scalar(v, key);
    if (!s) return std::nullopt;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
    if (ec == std::errc() && end == s->data() + s->size() && n > 0) return n;
    error(where_scalar(v), "rules.bad_value",
          "'" + std::string(key) + "' must be a positive integer");
    return std::nullopt;
  }

  std::optional<double> number(const YAML::Node& v, std::string_view key) {
    auto s = scalar(v, key);
    if (!s) return std::nullopt;
    try {
      std::size_t used = 0;
      const double d = std::stod(*s, &used);
      if (used == s->size() && d >= 0) return d;
    } catch (const std::exception&) {
    }
    error(where_scalar(v), "rules.bad_value", "'" + std::string(key) + "' must be a number >= 0");
    return std::nullopt;
  }

  // A field name or a list of them.
  std::optional<std::vector<std::string>> fields_of(const YAML::Node& v, std::string_view key) {
    if (v.IsScalar()) return std::vector<std::string>{v.Scalar()};
    return string_seq(v, key);
  }

  bool read_suppress(const YAML::Node& v, SuppressDef& out) {
    out.where = where(v);
    if (!v.IsMap()) {
      error(where(v), "rules.bad_value", "'suppress' is a map: {by: [fields], for: duration}");
      return false;
    }
    if (!check_keys(v, kSuppressKeys, "suppress")) return false;
    bool ok = true;
    if (v["by"]) {
      auto by = fields_of(v["by"], "by");
      if (by) out.by = std::move(*by);
      ok = by.has_value();
    }
    if (!v["for"]) {
      error(where(v), "rules.missing_key", "'suppress' needs 'for: <duration>'");
      return false;
    }
    auto d = duration(v["for"], "for");
    if (d) out.for_us = *d;
    return ok && d.has_value();
  }

  bool read_exceptions(const YAML::Node& v, std::vector<ExceptionDef>& out) {
    if (!v.IsSequence()) {
      error(where(v), "rules.bad_value",
            "'exceptions' is a list of {id, owner, reason, expires, condition}");
      return false;
    }
    bool ok = true;
    for (const auto& x : v) {
      if (!x.IsMap() || !check_keys(x, kExceptionKeys, "exception")) {
        if (!x.IsMap()) error(where(x), "rules.bad_value", "an exception is a map");
        ok = false;
        continue;
      }
      ExceptionDef d;
      d.where = where(x);
      bool item_ok = true;
      for (const char* key : {"id", "owner", "reason", "condition"}) {
        if (!x[key]) {
          error(where(x), "rules.missing_key", std::string("an exception needs '") + key + "'",
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

  // One input reference: "rule-id" or {rule: id, by: field(s)}.
  bool read_input(const YAML::Node& v, CorrelationInput& in) {
    in.where = where_scalar(v);
    if (v.IsScalar()) {
      in.rule = v.Scalar();
      return !in.rule.empty();
    }
    if (v.IsMap() && v["rule"] && v["rule"].IsScalar()) {
      in.rule = v["rule"].Scalar();
      in.where = where_scalar(v["rule"]);
      for (const auto& kv : v) {
        const std::string k = kv.first.as<std::string>();
        if (k == "rule") continue;
        if (k != "by") {
          error(where_scalar(kv.first), "rules.unknown_key", "unknown key '" + k + "' in a step",
                "a step is a rule id or {rule: id, by: field}");
          return false;
        }
        auto by = fields_of(kv.second, "by");
        if (!by) return false;
        in.by = std::move(*by);
      }
      return true;
    }
    error(where(v), "rules.bad_value", "a step is a rule id or {rule: id, by: field}");
    return false;
  }

  bool read_inputs(const YAML::Node& v, std::vector<CorrelationInput>& out) {
    if (v.IsSequence()) {
      bool ok = true;
      for (const auto& i : v) {
        CorrelationInput in;
        if (read_input(i, in))
          out.push_back(std::move(in));
        else
          ok = false;
      }
      return ok;
    }
    CorrelationInput in;
    if (!read_input(v, in)) return false;
    out.push_back(std::move(in));
    return true;
  }

  bool read_correlation(const YAML::Node& item, CorrelationDef& def) {
    bool ok = check_keys(item, kCorrelationKeys, "correlation");
    ok = name_of(item, "correlation", def.id, def.where) && ok;
    if (!ok) return false;
    int types = 0;
    YAML::Node body;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      const auto type = std::find(std::begin(kCorrelationTypes), std::end(kCorrelationTypes), key);
      if (type != std::end(kCorrelationTypes)) {
        ++types;
        def.type = static_cast<CorrelationType>(type - std::begin(kCorrelationTypes));
        def.type_where = where_scalar(kv.first);
        body = v;
      } else if (key == "title" || key == "description") {
        auto s = scalar(v, key);
        if (s) (key == "title" ? def.title : def.description) = *s;
        ok = s.has_value() && ok;
      } else if (key == "severity") {
        auto s = scalar(v, key);
        if (s) def.severity = severity_from_string(*s);
        if (s && !def.severity)
          error(where_scalar(v), "rules.bad_value", "unknown severity '" + *s + "'",
                "severity is one of: info, low, medium, high, critical");
        ok = def.severity.has_value() && ok;
      } else if (key == "tags") {
        auto t = string_seq(v, key);
        if (t) def.tags = std::move(*t);
        ok = t.has_value() && ok;
      } else if (key == "enabled" || key == "building_block") {
        auto b = boolean(v, key);
        if (b && key == "enabled") def.enabled = *b;
        if (b && key == "building_block") def.building_block = *b;
        ok = b.has_value() && ok;
      } else if (key == "suppress") {
        def.suppress.emplace();
        ok = read_suppress(v, *def.suppress) && ok;
      } else if (key == "alert") {
        auto s = scalar(v, key);
        if (s) def.alert = arena_.add_scalar(&file_, *s, offset(v.Mark()));
        ok = s.has_value() && ok;
      } else if (key == "tests") {
        ok = read_correlation_tests(v, def.tests) && ok;
      } else if (key == "max_keys" || key == "max_pending") {
        auto n = positive(v, key);
        if (n) (key == "max_keys" ? def.max_keys : def.max_pending) = *n;
        ok = n.has_value() && ok;
      }
    }
    if (types != 1) {
      error(def.where, "rules.bad_item",
            types == 0 ? "correlation '" + def.id + "' has no type"
                       : "correlation '" + def.id + "' has more than one type",
            "give exactly one of: count, distinct, sequence, absent, "
            "first_seen, baseline, risk");
      return false;
    }
    if (!body.IsMap()) {
      error(where(body), "rules.bad_value", "the correlation body is a map",
            "e.g. count: {of: record-lookup, by: user.id, within: 1h, "
            "threshold: 50}");
      return false;
    }
    return read_correlation_body(body, def) && ok;
  }

  bool read_correlation_body(const YAML::Node& body, CorrelationDef& def) {
    using T = CorrelationType;
    // Keys each type accepts; the required ones are checked by the compiler.
    std::vector<std::string_view> allowed = {"by", "max_keys"};
    switch (def.type) {
      case T::count:
        allowed.insert(allowed.end(), {"of", "within", "threshold"});
        break;
      case T::distinct:
        allowed.insert(allowed.end(), {"of", "field", "within", "threshold"});
        break;
      case T::sequence:
        allowed.insert(allowed.end(), {"steps", "within", "until", "max_pending", "link"});
        break;
      case T::absent:
        allowed.insert(allowed.end(), {"of", "followed_by", "within", "max_pending"});
        break;
      case T::first_seen:
        allowed.insert(allowed.end(), {"of", "field", "learning", "max_pending"});
        break;
      case T::baseline:
        allowed.insert(allowed.end(),
                       {"of", "period", "history", "min_history", "z", "min_count", "peer",
                        "min_peers", "absent_is_zero", "peer_habit"});
        break;
      case T::risk:
        allowed.insert(allowed.end(),
                       {"scores", "half_life", "threshold", "per", "min_rules", "cap"});
        break;
    }
    bool ok = true;
    for (const auto& kv : body) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string hint = "allowed here:";
        for (auto a : allowed) hint += " " + std::string(a);
        error(where_scalar(kv.first), "rules.unknown_key",
              "unknown key '" + key + "' in a " +
                  std::string(kCorrelationTypes[static_cast<int>(def.type)]) + " correlation",
              std::move(hint));
        ok = false;
        continue;
      }
      if (key == "by") {
        auto by = fields_of(v, key);
        if (by) def.by = std::move(*by);
        ok = by.has_value() && ok;
      } else if (key == "of" || key == "steps") {
        ok = read_inputs(v, def.inputs) && ok;
      } else if (key == "until" || key == "followed_by") {
        ok = read_inputs(v, def.until) && ok;
      } else if (key == "field") {
        auto f = scalar(v, key);
        if (f) def.field = *f;
        ok = f.has_value() && ok;
      } else if (key == "within" || key == "period" || key == "history" || key == "min_history" ||
                 key == "learning" || key == "half_life" || key == "per") {
        auto d = duration(v, key);
        if (!d) {
          ok = false;
          continue;
        }
        (key == "within"        ? def.within_us
         : key == "period"      ? def.period_us
         : key == "history"     ? def.history_us
         : key == "min_history" ? def.min_history_us
         : key == "learning"    ? def.learning_us
         : key == "per"         ? def.per_us
                                : def.half_life_us) = *d;
      } else if (key == "link") {
        ok = read_link(v, def) && ok;
      } else if (key == "peer") {
        auto s = scalar(v, key);
        if (s) def.peer = arena_.add_scalar(&file_, *s, offset(v.Mark()));
        ok = s.has_value() && ok;
      } else if (key == "absent_is_zero" || key == "peer_habit") {
        auto b = boolean(v, key);
        if (b) (key == "absent_is_zero" ? def.absent_is_zero : def.peer_habit) = *b;
        ok = b.has_value() && ok;
      } else if (key == "min_peers" || key == "min_rules") {
        auto n = positive(v, key);
        if (n) (key == "min_peers" ? def.min_peers : def.min_rules) = *n;
        ok = n.has_value() && ok;
      } else if (key == "threshold" && def.type == T::risk) {
        auto n = number(v, key);
        if (n) def.risk_threshold = *n;
        ok = n.has_value() && ok;
      } else if (key == "threshold" || key == "min_count" || key == "max_keys" ||
                 key == "max_pending") {
        auto n = positive(v, key);
        if (!n) {
          ok = false;
          continue;
        }
        if (key == "threshold" || key == "min_count") def.threshold = *n;
        if (key == "max_keys") def.max_keys = *n;
        if (key == "max_pending") def.max_pending = *n;
      } else if (key == "cap") {
        auto n = number(v, key);
        if (n) def.cap = *n;
        ok = n.has_value() && ok;
      } else if (key == "z") {
        auto n = number(v, key);
        if (n) def.z = *n;
        ok = n.has_value() && ok;
      } else if (key == "scores") {
        if (!v.IsMap()) {
          error(where(v), "rules.bad_value", "'scores' is a map of rule id: score");
          ok = false;
          continue;
        }
        for (const auto& s : v) {
          CorrelationInput in;
          in.rule = s.first.as<std::string>();
          in.where = where_scalar(s.first);
          auto n = number(s.second, in.rule);
          if (!n) {
            ok = false;
            continue;
          }
          in.score = *n;
          def.inputs.push_back(std::move(in));
        }
      }
    }
    return ok;
  }

  // link: {from: [fields] or {field: severity}, to: [fields]}
  bool read_link(const YAML::Node& v, CorrelationDef& def) {
    auto& link = def.link.emplace();
    link.where = where(v);
    if (!v.IsMap() || !v["from"] || !v["to"] || v.size() != (v["unless_in"] ? 3u : 2u)) {
      error(where(v), "rules.bad_value", "'link' is a map with 'from' and 'to'",
            "e.g. link: {from: [subject.id, subject.name], to: [email.subject]}");
      return false;
    }
    const YAML::Node& from = v["from"];
    if (from.IsMap()) {
      for (const auto& kv : from) {
        auto name = scalar(kv.first, "from");
        auto level = scalar(kv.second, "severity");
        if (!name || !level) return false;
        auto severity = severity_from_string(*level);
        if (!severity) {
          error(where_scalar(kv.second), "rules.bad_value", "unknown severity '" + *level + "'",
                "severity is one of: info, low, medium, high, critical");
          return false;
        }
        link.from.emplace_back(*name, severity);
      }
    } else {
      auto names = fields_of(from, "from");
      if (!names) return false;
      for (auto& n : *names) link.from.emplace_back(std::move(n), std::nullopt);
    }
    auto to = fields_of(v["to"], "to");
    if (!to) return false;
    link.to = std::move(*to);
    if (v["unless_in"]) {
      auto unless = fields_of(v["unless_in"], "unless_in");
      if (!unless) return false;
      link.unless_in = std::move(*unless);
    }
    return !link.from.empty() && !link.to.empty();
  }

  bool read_correlation_tests(const YAML::Node& v, std::vector<InlineTestDef>& out) {
    if (!v.IsSequence()) {
      error(where(v), "rules.bad_value", "'tests' must be a list of {events, expect} maps");
      return false;
    }
    bool ok = true;
    for (const auto& t : v) {
      if (!t.IsMap() ||
          !check_keys(t, kCorrelationTestKeys, "correlation test", is_test_reference_key)) {
        if (!t.IsMap()) error(where(t), "rules.bad_value", "a test is a map with 'events'");
        ok = false;
        continue;
      }
      InlineTestDef def;
      def.where = where(t);
      if (t["name"]) {
        auto s = scalar(t["name"], "name");
        if (s) def.name = *s;
      }
      if (const YAML::Node expect = t["expect"]) {
        const std::string e = expect.IsScalar() ? expect.Scalar() : "";
        if (e != "match" && e != "no_match") {
          error(where_scalar(expect), "rules.bad_value", "'expect' is match or no_match");
          ok = false;
          continue;
        }
        def.expect_match = e == "match";
      }
      if (const YAML::Node alerts = t["alerts"]) {
        std::size_t n = 0;
        const std::string s = alerts.IsScalar() ? alerts.Scalar() : "";
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec != std::errc() || end != s.data() + s.size()) {
          error(where(alerts), "rules.bad_value", "'alerts' is a number of alerts");
          ok = false;
          continue;
        }
        def.alerts = n;
        def.expect_match = n > 0;
      } else if (!t["expect"]) {
        error(def.where, "rules.bad_value", "a test needs 'expect: match|no_match' or 'alerts: N'");
        ok = false;
        continue;
      }
      if (t["advance"]) {
        auto d = duration(t["advance"], "advance");
        if (!d) {
          ok = false;
          continue;
        }
        def.advance_us = *d;
      }
      const YAML::Node events = t["events"];
      if (!events || !events.IsSequence() || events.size() == 0) {
        error(events ? where(events) : def.where, "rules.bad_value",
              "a correlation test needs 'events:', a list of timestamped events",
              "e.g. events: [{event.kind: access, event.time: "
              "2026-01-05T09:00:00Z, user.id: pc1}]");
        ok = false;
        continue;
      }
      bool events_ok = true;
      for (const auto& ev : events) {
        InlineTestDef e;
        e.where = where(ev);
        if (!ev.IsMap()) {
          error(where(ev), "rules.bad_value", "a test event is a map of field: value");
          events_ok = false;
          continue;
        }
        if (!read_event_map(ev, e)) {
          events_ok = false;
          continue;
        }
        def.events.push_back(std::move(e));
      }
      if (!events_ok) {
        ok = false;
        continue;
      }
      ok = read_test_reference(t, file_, report_, def.reference) && ok;
      out.push_back(std::move(def));
    }
    return ok;
  }

  std::optional<event::Timestamp> time_value(const YAML::Node& n, std::string_view key, bool& ok) {
    auto s = scalar(n, key);
    if (!s) {
      ok = false;
      return std::nullopt;
    }
    auto t = event::parse_time(*s);
    if (!t) {
      error(where_scalar(n), "rules.bad_value", "'" + std::string(key) + "' is not a time",
            "write times in RFC 3339, e.g. 2026-01-01T00:00:00Z");
      ok = false;
    }
    return t;
  }

  const SourceFile& file_;
  LoadArena& arena_;
  Reporter& report_;
  std::vector<RawItem>& out_;
};

}  // namespace

void read_rule_file(const SourceFile& file, LoadArena& arena, Reporter& report,
                    std::vector<RawItem>& out) {
  FileReader(file, arena, report, out).read();
}

}  // namespace probity::rules
