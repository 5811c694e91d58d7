// Load pass for correlations: resolves the rules each one consumes (detections or other
// correlations), key fields, required keys per type, cycles and unbounded state; compiles the alert
// template and inline tests. The runtime is correlation_engine.cpp.
#include "rules/correlation.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/fnv.h"
#include "rules/compiled_rule.h"

namespace probity::rules {

std::string version_hash(std::string_view material) {
  // One digit short of FNV's offset basis since the first release; kept, because stored
  // rule versions were computed with it and a new seed would mark every rule changed.
  constexpr std::uint64_t kVersionSeed = 1469598103934665603ull;
  return fmt::format("{:016x}", fnv1a_64(material, kVersionSeed));
}

bool key_fields(const std::vector<std::string>& names, const Where& where, Reporter& report,
                std::vector<event::FieldId>& out) {
  bool ok = true;
  for (const auto& n : names) {
    const auto id = event::field_by_name(n);
    if (!id) {
      std::vector<std::string_view> all;
      for (const auto& info : event::all_fields()) all.push_back(info.name);
      const std::string near = closest(n, all);
      report.add(Diagnostic::Level::error, Code::unknown_field, where.file, where.offset,
                 where.length, "unknown key field '" + n + "'",
                 near.empty() ? "group by canonical text fields such as user.id"
                              : "did you mean '" + near + "'?");
      ok = false;
      continue;
    }
    if (event::field_info(*id).type != event::ValueType::string) {
      report.add(Diagnostic::Level::error, Code::type, where.file, where.offset, where.length,
                 "key field '" + n + "' is not a text field",
                 "group by and suppress by text fields (user.id, subject.id, "
                 "source.system...)");
      ok = false;
      continue;
    }
    out.push_back(*id);
  }
  return ok;
}

namespace {

using T = CorrelationType;

// Link fields: canonical text or text-list fields.
bool text_fields(const std::vector<std::string>& names, const Where& where, Reporter& report,
                 std::vector<event::FieldId>& out) {
  for (const auto& n : names) {
    const auto id = event::field_by_name(n);
    const auto type = id ? event::field_info(*id).type : event::ValueType::integer;
    if (type != event::ValueType::string && type != event::ValueType::string_list) {
      report.add(Diagnostic::Level::error, id ? Code::type : Code::unknown_field, where.file,
                 where.offset, where.length, "link field '" + n + "' is not a text field",
                 "link by text fields such as subject.name or email.subject");
      return false;
    }
    out.push_back(*id);
  }
  return true;
}
using Level = Diagnostic::Level;

constexpr std::string_view kTypeNames[] = {"count",  "distinct",   "sequence",
                                           "absent", "first_seen", "baseline",
                                           "risk",   "travel",     "interleave"};

class CorrelationCompiler {
 public:
  CorrelationCompiler(Collection& c, const std::vector<std::unique_ptr<CompiledRule>>& detections,
                      CheckContext& check, CompileContext& comp, Reporter& report)
      : c_(c), detections_(detections), check_(check), comp_(comp), report_(report) {}

  void run(std::vector<std::unique_ptr<CompiledCorrelation>>& out,
           std::vector<const CompiledCorrelation*>& ordered) {
    for (const auto& d : detections_) versions_[d->info.id] = d->info.version;
    for (const auto& d : c_.correlations) defs_[d->id] = d.get();
    for (auto& d : c_.correlations) {
      auto compiled = compile(*d);
      if (compiled) out.push_back(std::move(compiled));
    }
    std::map<std::string, const CompiledCorrelation*, std::less<>> by_id;
    for (const auto& c : out) by_id[c->info.id] = c.get();
    // Evaluation order: depth-first over inputs, so a correlation runs after those it consumes
    // within one event.
    std::set<std::string> done;
    std::function<void(const CompiledCorrelation*)> visit = [&](const CompiledCorrelation* c) {
      if (!done.insert(c->info.id).second) return;
      for (const auto* list : {&c->inputs, &c->until})
        for (const auto& in : *list)
          if (auto it = by_id.find(in.rule); it != by_id.end()) visit(it->second);
      if (c->info.enabled) ordered.push_back(c);
    };
    for (const auto& c : out) visit(c.get());
  }

 private:
  void error(const Where& w, Code code, std::string msg, std::string hint = {}) {
    report_.add(Level::error, code, w.file, w.offset, w.length, std::move(msg), std::move(hint));
  }
  void warning(const Where& w, Code code, std::string msg, std::string hint = {}) {
    report_.add(Level::warning, code, w.file, w.offset, w.length, std::move(msg), std::move(hint));
  }

  // The version of a correlation covers its own text and the versions of what it consumes, so
  // editing a detection resets the windows built on it.
  std::string version_of(const CorrelationDef& d, std::set<std::string>& visiting) {
    if (auto it = versions_.find(d.id); it != versions_.end()) return it->second;
    std::string material = d.source_text;
    if (!visiting.insert(d.id).second) return version_hash(material);  // cycle: reported
    for (const auto* list : {&d.inputs, &d.until})
      for (const auto& in : *list) {
        material += "\n" + in.rule + "@";
        if (auto v = versions_.find(in.rule); v != versions_.end())
          material += v->second;
        else if (auto def = defs_.find(in.rule); def != defs_.end())
          material += version_of(*def->second, visiting);
      }
    visiting.erase(d.id);
    return versions_[d.id] = version_hash(material);
  }

  bool cyclic(const CorrelationDef& d, std::vector<std::string>& path) {
    if (std::find(path.begin(), path.end(), d.id) != path.end()) return true;
    path.push_back(d.id);
    for (const auto* list : {&d.inputs, &d.until})
      for (const auto& in : *list)
        if (auto def = defs_.find(in.rule); def != defs_.end() && cyclic(*def->second, path))
          return true;
    path.pop_back();
    return false;
  }

  bool resolve_inputs(const CorrelationDef& d, const std::vector<CorrelationInput>& in,
                      const std::vector<event::FieldId>& by,
                      std::vector<CompiledCorrelation::Input>& out) {
    bool ok = true;
    for (const auto& i : in) {
      const bool known = versions_.count(i.rule) || defs_.count(i.rule);
      if (!known || i.rule == d.id) {
        std::vector<std::string_view> names;
        for (const auto& [id, v] : versions_) names.push_back(id);
        for (const auto& [id, v] : defs_) names.push_back(id);
        const std::string near = closest(i.rule, names);
        error(i.where, Code::unknown_rule,
              i.rule == d.id ? "correlation '" + d.id + "' consumes itself"
                             : "correlation '" + d.id + "' uses unknown rule '" + i.rule + "'",
              near.empty() ? "name a detection or correlation id" : "did you mean '" + near + "'?");
        ok = false;
        continue;
      }
      CompiledCorrelation::Input c{i.rule, by, i.score};
      if (!i.by.empty()) {
        c.by.clear();
        if (!key_fields(i.by, i.where, report_, c.by)) {
          ok = false;
          continue;
        }
        if (c.by.size() != by.size() && !by.empty()) {
          error(i.where, Code::bad_value,
                "step key has " + std::to_string(c.by.size()) + " fields, the correlation's by " +
                    std::to_string(by.size()),
                "per-step keys must line up with the correlation's by fields");
          ok = false;
          continue;
        }
      }
      out.push_back(std::move(c));
    }
    return ok;
  }

  std::unique_ptr<CompiledCorrelation> compile(CorrelationDef& d) {
    auto r = std::make_unique<CompiledCorrelation>();
    r->type = d.type;
    const std::string_view type = kTypeNames[static_cast<int>(d.type)];
    bool ok = true;
    auto require = [&](bool present, std::string_view key, std::string_view example) {
      if (present) return;
      error(d.type_where, Code::missing_key, fmt::format("a {} correlation needs '{}'", type, key),
            fmt::format("e.g. {}", example));
      ok = false;
    };
    std::vector<std::string> path;
    if (cyclic(d, path)) {
      error(d.where, Code::correlation_cycle,
            "correlation '" + d.id + "' consumes itself through other correlations",
            "a chain of correlations must not loop");
      return nullptr;
    }
    if (d.by.empty()) {
      require(false, "by", "by: user.id");
    } else {
      ok = key_fields(d.by, d.type_where, report_, r->by) && ok;
    }
    ok = resolve_inputs(d, d.inputs, r->by, r->inputs) && ok;
    ok = resolve_inputs(d, d.until, r->by, r->until) && ok;
    if (!d.field.empty()) {
      std::vector<event::FieldId> f;
      if (key_fields({d.field}, d.type_where, report_, f))
        r->field = f.front();
      else
        ok = false;
    }
    r->within_us = d.within_us;
    r->threshold = d.threshold;
    r->period_us = d.period_us ? d.period_us : 86'400'000'000ll;
    r->learning_us = d.learning_us;
    r->half_life_us = d.half_life_us;
    r->z = d.z;
    r->risk_threshold = d.risk_threshold;
    switch (d.type) {
      case T::count:
      case T::distinct:
        require(!d.inputs.empty(), "of", "of: record-lookup");
        require(d.within_us > 0, "within", "within: 1h");
        require(d.threshold > 0, "threshold", "threshold: 50");
        if (d.type == T::distinct) require(!d.field.empty(), "field", "field: subject.id");
        break;
      case T::sequence:
        require(d.inputs.size() >= 2, "steps (two or more)", "steps: [lookup, media-email]");
        require(d.within_us > 0, "within", "within: 24h");
        break;
      case T::absent:
        require(d.inputs.size() == 1, "of (one rule)", "of: media-email");
        require(!d.until.empty(), "followed_by", "followed_by: contact-declared");
        require(d.within_us > 0, "within", "within: 24h");
        break;
      case T::first_seen:
        require(!d.inputs.empty(), "of", "of: record-lookup");
        require(!d.field.empty(), "field", "field: source.system");
        break;
      case T::baseline: {
        require(!d.inputs.empty(), "of", "of: record-lookup");
        const std::int64_t history = d.history_us ? d.history_us : 28 * 86'400'000'000ll;
        const std::int64_t min_history = d.min_history_us ? d.min_history_us : 7 * 86'400'000'000ll;
        r->history_periods = std::max<std::int64_t>(1, history / r->period_us);
        r->min_history_periods = std::max<std::int64_t>(1, min_history / r->period_us);
        if (r->min_history_periods > r->history_periods) {
          error(d.type_where, Code::bad_value, "min_history is longer than history");
          ok = false;
        }
        if (!r->threshold) r->threshold = 1;
        break;
      }
      case T::risk:
        require(!d.inputs.empty(), "scores", "scores: {out-of-hours-lookup: 10}");
        require(d.risk_threshold > 0, "threshold", "threshold: 100");
        require(d.half_life_us > 0, "half_life", "half_life: 7d");
        break;
      case T::travel:
        require(!d.inputs.empty(), "of", "of: located-access");
        require(d.within_us > 0, "within", "within: 3h");
        if (d.town_within_us > d.within_us) {
          error(d.type_where, Code::bad_value, "town_within is longer than within",
                "within is how far back sites are compared; make it the longer");
          ok = false;
        }
        break;
      case T::interleave:
        require(!d.inputs.empty(), "of", "of: located-access");
        require(!d.field.empty(), "field", "field: client.host");
        require(d.within_us > 0, "within", "within: 15m");
        if (!r->threshold) r->threshold = 2;
        break;
    }
    if (d.link) {
      if (d.type != T::sequence) {
        error(d.link->where, Code::unknown_key, "'link' belongs to sequence correlations");
        ok = false;
      }
      std::vector<std::string> from;
      for (const auto& [name, severity] : d.link->from) from.push_back(name);
      std::vector<event::FieldId> from_ids;
      ok = text_fields(from, d.link->where, report_, from_ids) &&
           text_fields(d.link->to, d.link->where, report_, r->link_to) &&
           text_fields(d.link->unless_in, d.link->where, report_, r->link_unless_in) && ok;
      for (std::size_t i = 0; i < from_ids.size(); ++i)
        r->link_from.push_back({from_ids[i], d.link->from[i].second});
    }
    if (d.peer) ok = compile_template(*d.peer, check_, comp_, r->peer, /*shown=*/false) && ok;
    r->min_peers = static_cast<std::size_t>(d.min_peers);
    r->absent_is_zero = d.absent_is_zero;
    r->peer_habit = d.peer_habit;
    r->per_us = d.per_us < 0 ? 86'400'000'000ll : d.per_us;
    r->min_rules = static_cast<std::size_t>(d.min_rules);
    r->cap = d.cap;
    if (d.speed_kmh > 0) r->speed_kmh = d.speed_kmh;
    r->town_within_us = d.town_within_us;
    if (d.max_keys) r->max_keys = static_cast<std::size_t>(*d.max_keys);
    // A travel or interleave group holds runs (one per change of site or workstation), and
    // every new event is compared with each: a small default keeps that cost low.
    if (d.type == T::travel || d.type == T::interleave) r->max_pending = 64;
    if (d.max_pending) r->max_pending = static_cast<std::size_t>(*d.max_pending);
    if (d.type == T::count || d.type == T::distinct)
      r->max_pending = std::max<std::size_t>(r->max_pending, static_cast<std::size_t>(d.threshold));
    // Windowed types forget by time; the others only by eviction.
    const bool windowless = d.type == T::first_seen || d.type == T::baseline || d.type == T::risk;
    if (windowless && !d.max_keys)
      warning(d.type_where, Code::unbounded_state,
              fmt::format("{} correlation '{}' keeps state per key with no window: "
                          "it grows "
                          "with every new key until the default cap of {} keys",
                          type, d.id, r->max_keys),
              "set max_keys: to the number of keys you expect (e.g. staff count)");
    if (d.suppress) {
      r->suppress.for_us = d.suppress->for_us;
      ok = key_fields(d.suppress->by.empty() ? d.by : d.suppress->by, d.suppress->where, report_,
                      r->suppress.by) &&
           ok;
    }
    if (d.alert) ok = compile_template(*d.alert, check_, comp_, r->alert, /*shown=*/true) && ok;
    ok = compile_tests(d.tests, report_, r->tests) && ok;
    if (!ok) return nullptr;
    RuleInfo& info = r->info;
    info.id = d.id;
    info.title = d.title.value_or("");
    info.description = d.description.value_or("");
    info.guidance = d.guidance.value_or("");
    info.severity = d.severity.value_or(Severity::info);
    info.tags = d.tags;
    info.enabled = d.enabled.value_or(true);
    info.on_access = info.on_email = false;
    info.pos = d.where.file ? d.where.file->pos_at(d.where.offset) : SourcePos{};
    info.correlation = true;
    info.building_block = d.building_block;
    info.condition = std::string(type);
    std::set<std::string> visiting;
    info.version = version_of(d, visiting);
    return r;
  }

  Collection& c_;
  const std::vector<std::unique_ptr<CompiledRule>>& detections_;
  CheckContext& check_;
  CompileContext& comp_;
  Reporter& report_;
  std::map<std::string, std::string, std::less<>> versions_;  // rule id -> version
  std::map<std::string, CorrelationDef*, std::less<>> defs_;
};

}  // namespace

void compile_correlations(Collection& c,
                          const std::vector<std::unique_ptr<CompiledRule>>& detections,
                          CheckContext& check, CompileContext& comp, Reporter& report,
                          std::vector<std::unique_ptr<CompiledCorrelation>>& out,
                          std::vector<const CompiledCorrelation*>& ordered) {
  CorrelationCompiler(c, detections, check, comp, report).run(out, ordered);
}

}  // namespace probity::rules
