// Pass 1 of loading, the pieces every item is made of: scalars, lists of names, durations,
// numbers, booleans and times, each with its diagnostic; key checks with hints; and the small
// maps several item kinds share (override:, suppress:, a test event). Not for any one item kind.
#include <charconv>

#include "base/boolean.h"
#include "base/duration.h"
#include "rules/file_reader.h"
#include "rules/vocab.h"

namespace probity::rules {
namespace {

constexpr std::string_view kSuppressKeys[] = {"by", "for"};
// Keys other engines use, mapped to ours, for hints.
constexpr std::pair<std::string_view, std::string_view> kKeyAliases[] = {
    {"when", "condition"}, {"priority", "severity"},   {"level", "severity"},
    {"output", "alert"},   {"desc", "description"},    {"rule", "detection"},
    {"name", "title"},     {"output_fields", "fields"}};

}  // namespace

/// `also` accepts keys from an open-ended set (a test's reference-data keys).
bool FileReader::check_keys(const YAML::Node& item, std::span<const std::string_view> allowed,
                            std::string_view what, bool (*also)(std::string_view)) {
  bool ok = true;
  const std::string a_what =
      (what.find_first_of("aeiou") == 0 ? "an " : "a ") + std::string(what);  // an exception
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
      hint = "allowed keys in " + a_what + ":";
      for (auto k : allowed) hint += " " + std::string(k);
    }
    error(where_scalar(kv.first), Code::unknown_key, "unknown key '" + key + "' in " + a_what,
          std::move(hint));
    ok = false;
  }
  return ok;
}

std::optional<std::string> FileReader::scalar(const YAML::Node& n, std::string_view key) {
  if (!n.IsScalar()) {
    error(where(n), Code::bad_value, "'" + std::string(key) + "' must be a string");
    return std::nullopt;
  }
  return n.Scalar();
}

bool FileReader::name_of(const YAML::Node& item, std::string_view key, std::string& name,
                         Where& w) {
  const YAML::Node n = item[std::string(key)];
  auto s = scalar(n, key);
  if (!s) return false;
  if (s->empty()) {
    error(where(n), Code::bad_value, "'" + std::string(key) + "' needs a name");
    return false;
  }
  name = *s;
  w = where_scalar(n);
  return true;
}

std::optional<std::vector<std::string>> FileReader::string_seq(const YAML::Node& n,
                                                               std::string_view key) {
  if (n.IsNull()) return std::vector<std::string>{};
  if (!n.IsSequence()) {
    error(where(n), Code::bad_value, "'" + std::string(key) + "' must be a list",
          "write [a, b] or one '- item' per line");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& v : n) {
    if (!v.IsScalar()) {
      error(where(v), Code::bad_value, "items of '" + std::string(key) + "' must be strings");
      return std::nullopt;
    }
    out.push_back(v.Scalar());
  }
  return out;
}

const ScalarText* FileReader::expression_text(const YAML::Node& n, std::string_view key) {
  auto s = scalar(n, key);
  if (!s) return nullptr;
  if (s->find_first_not_of(" \t\r\n") == std::string::npos) {
    error(where(n), Code::bad_value, "'" + std::string(key) + "' is empty");
    return nullptr;
  }
  return arena_.add_scalar(&file_, *s, offset(n.Mark()));
}

std::optional<bool> FileReader::boolean(const YAML::Node& v, std::string_view key) {
  auto s = scalar(v, key);
  if (!s) return std::nullopt;
  if (const auto b = parse_bool(*s)) return b;
  error(where_scalar(v), Code::bad_value, "'" + std::string(key) + "' must be true or false");
  return std::nullopt;
}

// "90s", "15m", "24h", "30d", "2w" -> microseconds (base/duration.h, shared with the config).
std::optional<std::int64_t> FileReader::duration(const YAML::Node& v, std::string_view key) {
  auto s = scalar(v, key);
  if (!s) return std::nullopt;
  if (const auto d = parse_duration(*s); d && d->count() > 0) return d->count();
  error(where_scalar(v), Code::bad_value, "'" + std::string(key) + "' must be a positive duration",
        "durations are a number and one unit: " + std::string(kDurationExamples));
  return std::nullopt;
}

std::optional<std::int64_t> FileReader::positive(const YAML::Node& v, std::string_view key) {
  auto s = scalar(v, key);
  if (!s) return std::nullopt;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
  if (ec == std::errc() && end == s->data() + s->size() && n > 0) return n;
  error(where_scalar(v), Code::bad_value, "'" + std::string(key) + "' must be a positive integer");
  return std::nullopt;
}

std::optional<double> FileReader::number(const YAML::Node& v, std::string_view key) {
  auto s = scalar(v, key);
  if (!s) return std::nullopt;
  try {
    std::size_t used = 0;
    const double d = std::stod(*s, &used);
    if (used == s->size() && d >= 0) return d;
  } catch (const std::exception&) {
  }
  error(where_scalar(v), Code::bad_value, "'" + std::string(key) + "' must be a number >= 0");
  return std::nullopt;
}

// A field name or a list of them.
std::optional<std::vector<std::string>> FileReader::fields_of(const YAML::Node& v,
                                                              std::string_view key) {
  if (v.IsScalar()) return std::vector<std::string>{v.Scalar()};
  return string_seq(v, key);
}

std::optional<event::Timestamp> FileReader::time_value(const YAML::Node& n, std::string_view key,
                                                       bool& ok) {
  auto s = scalar(n, key);
  if (!s) {
    ok = false;
    return std::nullopt;
  }
  auto t = event::parse_time(*s);
  if (!t) {
    error(where_scalar(n), Code::bad_value, "'" + std::string(key) + "' is not a time",
          "write times in RFC 3339, e.g. 2026-01-01T00:00:00Z");
    ok = false;
  }
  return t;
}

// override: {key: append|replace, ...}; `modes` lists which modes each key allows.
bool FileReader::read_override(const YAML::Node& item,
                               std::initializer_list<std::pair<std::string_view, bool>> appendable,
                               std::map<std::string, OverrideMode>& out) {
  const YAML::Node o = item["override"];
  if (!o) return true;
  if (!o.IsMap()) {
    error(where(o), Code::bad_value, "'override' must be a map of key: append|replace",
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
      error(where_scalar(kv.first), Code::bad_override, "key '" + key + "' cannot be overridden",
            "overridable keys:" + keys);
      ok = false;
      continue;
    }
    if (mode == "replace") {
      out[key] = OverrideMode::replace;
    } else if (mode == "append" && it->second) {
      out[key] = OverrideMode::append;
    } else {
      error(where_scalar(kv.second), Code::bad_override,
            "override mode for '" + key + "' must be " +
                (it->second ? "append or replace" : "replace"));
      ok = false;
    }
  }
  // Every overriding key must be present, and every present key must be overridden.
  for (const auto& [key, mode] : out) {
    if (!item[key]) {
      error(where(o), Code::bad_override,
            "override names '" + key + "' but the item has no '" + key + "'");
      ok = false;
    }
  }
  return ok;
}

bool FileReader::read_suppress(const YAML::Node& v, SuppressDef& out) {
  out.where = where(v);
  if (!v.IsMap()) {
    error(where(v), Code::bad_value, "'suppress' is a map: {by: [fields], for: duration}");
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
    error(where(v), Code::missing_key, "'suppress' needs 'for: <duration>'");
    return false;
  }
  auto d = duration(v["for"], "for");
  if (d) out.for_us = *d;
  return ok && d.has_value();
}

// {field: value, ...} of one test event -> def.kind and def.fields.
bool FileReader::read_event_map(const YAML::Node& ev, InlineTestDef& def) {
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
      error(where(kv.second), Code::bad_value,
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
    error(where(ev), Code::bad_value, "a test event needs 'event.kind' (access or email)");
    ok = false;
  }
  return ok;
}

}  // namespace probity::rules
