// Pass 1 of loading, `- correlation:` items: the type and its body (inputs, windows, links,
// baselines, risk scores) and correlation tests (timestamped event lists). Which keys are
// required is checked later, by the compiler (correlation.cpp).
#include <charconv>

#include "rules/file_reader.h"
#include "rules/test_reference.h"

namespace probity::rules {
namespace {

constexpr std::string_view kCorrelationTestKeys[] = {"name", "expect", "alerts", "events",
                                                     "advance"};
constexpr std::string_view kCorrelationKeys[] = {
    "correlation", "title",          "description", "guidance",  "severity", "tags",
    "enabled",     "building_block", "count",       "distinct",  "sequence", "absent",
    "first_seen",  "baseline",       "risk",        "suppress",  "alert",    "tests",
    "max_keys",    "max_pending",    "travel",      "interleave"};
constexpr std::string_view kCorrelationTypes[] = {"count",  "distinct",   "sequence",
                                                  "absent", "first_seen", "baseline",
                                                  "risk",   "travel",     "interleave"};

}  // namespace

// One input reference: "rule-id" or {rule: id, by: field(s)}.
bool FileReader::read_input(const YAML::Node& v, CorrelationInput& in) {
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
        error(where_scalar(kv.first), Code::unknown_key, "unknown key '" + k + "' in a step",
              "a step is a rule id or {rule: id, by: field}");
        return false;
      }
      auto by = fields_of(kv.second, "by");
      if (!by) return false;
      in.by = std::move(*by);
    }
    return true;
  }
  error(where(v), Code::bad_value, "a step is a rule id or {rule: id, by: field}");
  return false;
}

bool FileReader::read_inputs(const YAML::Node& v, std::vector<CorrelationInput>& out) {
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

bool FileReader::read_correlation(const YAML::Node& item, CorrelationDef& def) {
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
    } else if (key == "title" || key == "description" || key == "guidance") {
      auto s = scalar(v, key);
      if (s)
        (key == "title" ? def.title : key == "description" ? def.description : def.guidance) = *s;
      ok = s.has_value() && ok;
    } else if (key == "severity") {
      auto s = scalar(v, key);
      if (s) def.severity = severity_from_string(*s);
      if (s && !def.severity)
        error(where_scalar(v), Code::bad_value, "unknown severity '" + *s + "'",
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
    error(def.where, Code::bad_item,
          types == 0 ? "correlation '" + def.id + "' has no type"
                     : "correlation '" + def.id + "' has more than one type",
          "give exactly one of: count, distinct, sequence, absent, "
          "first_seen, baseline, risk, travel, interleave");
    return false;
  }
  if (!body.IsMap()) {
    error(where(body), Code::bad_value, "the correlation body is a map",
          "e.g. count: {of: record-lookup, by: user.id, within: 1h, "
          "threshold: 50}");
    return false;
  }
  return read_correlation_body(body, def) && ok;
}

bool FileReader::read_correlation_body(const YAML::Node& body, CorrelationDef& def) {
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
      allowed.insert(allowed.end(), {"of", "period", "history", "min_history", "z", "min_count",
                                     "peer", "min_peers", "absent_is_zero", "peer_habit"});
      break;
    case T::risk:
      allowed.insert(allowed.end(),
                     {"scores", "half_life", "threshold", "per", "min_rules", "cap"});
      break;
    case T::travel:
      allowed.insert(allowed.end(), {"of", "within", "speed", "town_within", "max_pending"});
      break;
    case T::interleave:
      allowed.insert(allowed.end(), {"of", "field", "within", "threshold", "max_pending"});
      break;
  }
  bool ok = true;
  for (const auto& kv : body) {
    const std::string key = kv.first.as<std::string>();
    const YAML::Node& v = kv.second;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = "allowed here:";
      for (auto a : allowed) hint += " " + std::string(a);
      error(where_scalar(kv.first), Code::unknown_key,
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
               key == "learning" || key == "half_life" || key == "per" || key == "town_within") {
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
       : key == "town_within" ? def.town_within_us
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
    } else if (key == "speed") {
      auto n = number(v, key);
      if (n && !(*n > 0 && *n <= 100'000)) {
        error(where_scalar(v), Code::bad_value, "'speed' is in km/h, above 0",
              "e.g. speed: 100 (straight-line km/h no one beats between sites)");
        n.reset();
      }
      if (n) def.speed_kmh = *n;
      ok = n.has_value() && ok;
    } else if (key == "z") {
      auto n = number(v, key);
      if (n) def.z = *n;
      ok = n.has_value() && ok;
    } else if (key == "scores") {
      if (!v.IsMap()) {
        error(where(v), Code::bad_value, "'scores' is a map of rule id: score");
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
bool FileReader::read_link(const YAML::Node& v, CorrelationDef& def) {
  auto& link = def.link.emplace();
  link.where = where(v);
  if (!v.IsMap() || !v["from"] || !v["to"] || v.size() != (v["unless_in"] ? 3u : 2u)) {
    error(where(v), Code::bad_value, "'link' is a map with 'from' and 'to'",
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
        error(where_scalar(kv.second), Code::bad_value, "unknown severity '" + *level + "'",
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

bool FileReader::read_correlation_tests(const YAML::Node& v, std::vector<InlineTestDef>& out) {
  if (!v.IsSequence()) {
    error(where(v), Code::bad_value, "'tests' must be a list of {events, expect} maps");
    return false;
  }
  bool ok = true;
  for (const auto& t : v) {
    if (!t.IsMap() ||
        !check_keys(t, kCorrelationTestKeys, "correlation test", is_test_reference_key)) {
      if (!t.IsMap()) error(where(t), Code::bad_value, "a test is a map with 'events'");
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
        error(where_scalar(expect), Code::bad_value, "'expect' is match or no_match");
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
        error(where(alerts), Code::bad_value, "'alerts' is a number of alerts");
        ok = false;
        continue;
      }
      def.alerts = n;
      def.expect_match = n > 0;
    } else if (!t["expect"]) {
      error(def.where, Code::bad_value, "a test needs 'expect: match|no_match' or 'alerts: N'");
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
      error(events ? where(events) : def.where, Code::bad_value,
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
        error(where(ev), Code::bad_value, "a test event is a map of field: value");
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

}  // namespace probity::rules
