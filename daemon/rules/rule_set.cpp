// load_rules: runs the passes (read -> collect -> resolve macros -> check -> compile) over
// every file and builds the RuleSet with its per-kind index; and RuleSet evaluation.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "rules/checker.h"
#include "rules/compiled_rule.h"
#include "rules/compiler.h"
#include "rules/correlation.h"
#include "rules/identity.h"
#include "rules/loader.h"
#include "rules/parser.h"
#include "rules/site.h"
#include "rules/template.h"
#include "rules/time_zone.h"
#include "rules/vocab.h"

namespace probity::rules {

namespace fs = std::filesystem;

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;

std::size_t RuleSet::size() const { return enabled_; }

std::vector<RuleInfo> RuleSet::rules() const {
  std::vector<RuleInfo> out;
  for (const auto& r : rules_) out.push_back(r->info);
  for (const auto& c : correlations_) out.push_back(c->info);
  return out;
}

std::vector<ExceptionInfo> RuleSet::exceptions(std::optional<event::Timestamp> expired_at) const {
  std::vector<ExceptionInfo> out;
  for (const auto& r : rules_)
    for (const auto& x : r->exceptions)
      if (!expired_at || (x.info.expires && *x.info.expires <= *expired_at)) {
        out.push_back(x.info);
        out.back().dropped = x.dropped->load(std::memory_order_relaxed);
      }
  return out;
}

// An exception applies until it expires, judged on the event's own time (so replaying old logs
// applies the exceptions that were in force then). The first that holds is the one counted.
const CompiledRule::Exception* CompiledRule::exception_for(
    EvalContext& ctx, std::optional<event::Timestamp> when) const {
  for (const auto& x : exceptions) {
    if (x.info.expires && when && *when >= *x.info.expires) continue;
    if (x.condition->test(ctx)) return &x;
  }
  return nullptr;
}

const CompiledRule* RuleSet::find(std::string_view id) const {
  for (const auto& r : rules_)
    if (r->info.id == id) return r.get();
  return nullptr;
}

namespace {

/// What a match shows: all of it for an alert or an explanation, or, for a building block's
/// match on the hot path, only what routes it to its correlations (Match::building_block).
enum class Shown { all, routing };

Match make_match(const CompiledRule& r, EvalContext& ctx, Shown shown = Shown::all) {
  Match m;
  m.rule_id = r.info.id;
  m.rule_version = r.info.version;
  m.title = r.info.title;
  // Only an alert shows these: a building block's match feeds correlations and is dropped
  // (two long copies per match, and building blocks match most events).
  if (!r.info.building_block) {
    m.description = r.info.description;
    m.guidance = r.info.guidance;
  }
  m.severity = r.info.severity;
  m.tags = r.info.tags;
  m.building_block = r.info.building_block;
  // Nothing reads a building block's message, fields or look-ups but `rules explain`, and
  // they are most of a match's cost: building blocks match most events.
  if (shown == Shown::routing) return m;
  m.message = r.alert.empty() ? r.info.title : r.alert.render(ctx, &m.message_identities);
  m.shown_fields.reserve(r.fields.size());
  for (const auto& [name, value] : r.fields)
    m.shown_fields.emplace_back(name, render(value->eval(ctx)));
  m.field_identities = r.field_identities;
  m.lookups.reserve(r.lookups.size());
  for (const auto& [text, value] : r.lookups)
    m.lookups.emplace_back(text, render(value->eval(ctx)));
  return m;
}

/// The rule's condition on `ctx`, its time added to the rule's cost.
bool test_timed(const CompiledRule& r, EvalContext& ctx) {
  const auto start = std::chrono::steady_clock::now();
  const bool matched = r.condition->test(ctx);
  const auto took = std::chrono::steady_clock::now() - start;
  r.cost->sampled.fetch_add(1, std::memory_order_relaxed);
  r.cost->sampled_ns.fetch_add(
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(took).count()),
      std::memory_order_relaxed);
  return matched;
}

}  // namespace

void RuleSet::evaluate(const event::Event& e, const state::ReferenceData& ref,
                       std::vector<Match>& out) const {
  EvalContext ctx(e, ref);
  // One event in kCostSample has each condition timed: two clock reads per rule on every
  // event would cost more than many conditions do.
  const bool timed = evaluated_.fetch_add(1, std::memory_order_relaxed) % kCostSample == 0;
  for (const CompiledRule* r : by_kind_[static_cast<std::size_t>(e.kind())]) {
    if (!(timed ? test_timed(*r, ctx) : r->condition->test(ctx))) continue;
    if (!r->exceptions.empty()) {
      if (const auto* x = r->exception_for(ctx, e.time())) {
        x->dropped->fetch_add(1, std::memory_order_relaxed);
        excepted_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
    }
    r->cost->matches.fetch_add(1, std::memory_order_relaxed);
    out.push_back(make_match(*r, ctx, r->info.building_block ? Shown::routing : Shown::all));
  }
}

std::vector<DetectionCost> RuleSet::detection_costs() const {
  std::vector<DetectionCost> out;
  for (const auto& r : rules_) {
    if (!r->info.enabled) continue;
    out.push_back({r->info.id, r->cost->matches.load(std::memory_order_relaxed),
                   r->cost->sampled.load(std::memory_order_relaxed),
                   r->cost->sampled_ns.load(std::memory_order_relaxed)});
  }
  return out;
}

std::vector<CorrelationCost> RuleSet::correlation_costs() const {
  std::vector<CorrelationCost> out;
  for (const CompiledCorrelation* c : ordered_)
    out.push_back({c->info.id, c->saved->groups.load(std::memory_order_relaxed),
                   c->saved->bytes.load(std::memory_order_relaxed)});
  return out;
}

std::string RuleSet::explain(std::string_view rule_id, const event::Event& e,
                             const state::ReferenceData& ref) const {
  const CompiledRule* r = find(rule_id);
  if (!r) return {};
  std::vector<TraceEntry> trace;
  EvalContext ctx(e, ref);
  ctx.trace = &trace;
  const bool indexed = e.kind() == event::Kind::access ? r->info.on_access : r->info.on_email;
  const bool matched = run(*r->condition, ctx);
  std::string out =
      fmt::format("rule {}: {}{}\n", r->info.id, matched ? "matches" : "does not match",
                  r->info.enabled ? "" : " (disabled)");
  if (!indexed)
    out += fmt::format("  (never evaluated for {} events: its condition excludes them)\n",
                       event::to_string(e.kind()));
  for (const auto& t : trace)
    out += fmt::format("  {:<{}}{:<5}  {}\n", "", t.depth * 2, t.result ? "true" : "false",
                       t.node->text);
  ctx.trace = nullptr;  // the exceptions' own nodes are not part of the rule's trace
  if (const auto* x = matched ? r->exception_for(ctx, e.time()) : nullptr) {
    out += fmt::format("  dropped by exception '{}' (owner {}, {}:{}): {}\n", x->info.id,
                       x->info.owner, x->info.pos.file, x->info.pos.line, x->info.reason);
  } else if (matched) {
    const Match m = make_match(*r, ctx);
    out += "  alert: " + m.message + "\n";
    for (const auto& [k, v] : m.shown_fields) out += "  " + k + " = " + v + "\n";
  }
  return out;
}

// Builds a RuleSet from the collected definitions; friend of RuleSet.
class RuleSetBuilder {
 public:
  RuleSetBuilder(Collection& c, const LoadOptions& options, Reporter& report,
                 std::shared_ptr<const SiteFacts> site)
      : c_(c), options_(options), report_(report), site_(std::move(site)) {}

  std::unique_ptr<RuleSet> build() {
    check_list_conflicts();
    zones_.dir = options_.zoneinfo_dir;
    if (auto zone = TimeZone::load(options_.time_zone, options_.zoneinfo_dir)) {
      zones_.default_zone = std::make_shared<const TimeZone>(std::move(*zone));
    } else {
      report_.error_nowhere(Code::time_zone, "", zone.error().message,
                            "set the rules time zone to an IANA name such as Europe/London");
      zones_.default_zone = std::make_shared<const TimeZone>();
    }
    auto set = std::make_unique<RuleSet>();
    set->site_ = site_;
    for (auto& d : c_.detections) {
      auto rule = compile(*d);
      if (!rule) continue;
      disable_if_unmet(*d, *rule, set->unmet_);
      set->rules_.push_back(std::move(rule));
    }
    for (const auto& r : set->rules_) {
      if (!r->info.enabled) continue;
      ++set->enabled_;
      if (r->info.on_access) set->by_kind_[0].push_back(r.get());
      if (r->info.on_email) set->by_kind_[1].push_back(r.get());
    }
    CheckContext check{c_, options_.reference, report_, &zones_};
    CompileContext comp{c_, report_, true, &zones_, site_.get()};
    for (auto& d : c_.correlations)
      if (d->enabled.value_or(true) && disabled_by_options(d->id, &d->tags)) d->enabled = false;
    compile_correlations(c_, set->rules_, check, comp, report_, set->correlations_, set->ordered_);
    set->enabled_ += set->ordered_.size();
    return set;
  }

 private:
  void check_list_conflicts() {
    if (!options_.reference) return;
    for (const auto& l : c_.lists)
      if (options_.reference->list_exists(l->name))
        report_.add(Diagnostic::Level::error, Code::list_conflict, l->where.file, l->where.offset,
                    l->where.length,
                    "list '" + l->name + "' is defined both in this rule file and in state",
                    "rename one of them: list(\"" + l->name + "\") must mean one thing");
  }

  bool disabled_by_options(const std::string& id, const std::vector<std::string>* tags) const {
    for (const auto& p : options_.disabled_ids)
      if (glob_match(p, id)) return true;
    if (tags)
      for (const auto& t : options_.disabled_tags)
        if (std::find(tags->begin(), tags->end(), t) != tags->end()) return true;
    return false;
  }

  // The version changes when anything that decides the rule's behaviour changes: its
  // item text (with overrides), the expanded condition (so macro edits count) and the
  // items of the rule-file lists it uses.
  std::string version_of(const DetectionDef& d) const {
    std::string material = d.source_text;
    material += '\n';
    material += to_text(*d.ast);
    collect_lists(*d.ast, material);
    return version_hash(material);
  }

  void collect_lists(const Expr& e, std::string& out) const {
    if (e.kind == NodeKind::call &&
        (e.builtin == Builtin::named_list || e.builtin == Builtin::in_list ||
         e.builtin == Builtin::domain_in_list)) {
      auto it = c_.list_by_name.find(e.args[0]->text);
      if (it != c_.list_by_name.end()) {
        out += "\nlist " + it->first + ":";
        for (const auto& i : it->second->items) out += " " + i;
      }
    }
    for (const auto& a : e.args) collect_lists(*a, out);
  }

  static bool uses(const Expr& e, Builtin b) {
    if (e.kind == NodeKind::call && e.builtin == b) return true;
    for (const auto& a : e.args)
      if (uses(*a, b)) return true;
    return false;
  }

  // A fact is set when the site file sets it, or a list of that name has items in the rule
  // files or exists in state. A rule that needs an unset fact stays loaded but disabled, with a
  // warning, so a force never runs it on a default that fits another force.
  void disable_if_unmet(const DetectionDef& d, CompiledRule& rule,
                        std::vector<UnmetRequirement>& unmet) {
    std::vector<std::string> facts = d.requires_facts;
    if (uses(*d.ast, Builtin::invalid_reference)) facts.push_back("reference_formats");
    for (const auto& fact : facts) {
      auto list = c_.list_by_name.find(fact);
      const bool set = (site_ && site_->sets(fact)) ||
                       (list != c_.list_by_name.end() && !list->second->items.empty()) ||
                       (options_.reference && options_.reference->list_exists(fact));
      if (set) continue;
      unmet.push_back({d.id, fact});
      if (!rule.info.enabled) continue;
      rule.info.enabled = false;
      const Where& w = d.requires_facts.empty() ? d.where : d.requires_where;
      report_.add(Diagnostic::Level::warning, Code::requires_unset, w.file, w.offset, w.length,
                  "rule '" + d.id + "' needs the site fact '" + fact + "', which " +
                      (site_ && !site_->file.empty() ? site_->file + " does not set"
                                                     : "no site file sets") +
                      ": the rule is disabled",
                  fact == "reference_formats"
                      ? "set reference_formats in the site file (`probity learn references` "
                        "proposes them from your logs)"
                      : "set it in the site file's lists, or import the list into state");
    }
  }

  std::unique_ptr<CompiledRule> compile(DetectionDef& d) {
    if (!d.ast) return nullptr;  // a parse or macro error was reported
    CheckContext check{c_, options_.reference, report_, &zones_};
    CompileContext comp{c_, report_, true, &zones_, site_.get()};
    auto rule = std::make_unique<CompiledRule>();
    bool ok = check_condition(*d.ast, check);
    if (ok) {
      rule->condition = compile_condition(*d.ast, comp);
      collect_lookups(*d.ast, comp, *rule);
    }
    if (d.alert) ok = compile_template(*d.alert, check, comp, rule->alert, /*shown=*/true) && ok;
    if (d.fields) {
      for (const ScalarText* f : *d.fields) {
        ParseError err;
        ExprPtr e = parse_condition(*f, err);
        if (!e) {
          report_.error(Code::syntax, err.span, err.message, err.hint);
          ok = false;
          continue;
        }
        if (!check_value(*e, check)) {
          ok = false;
          continue;
        }
        rule->fields.emplace_back(f->value(), compile_value(*e, comp));
        rule->field_identities.push_back(identity_of(*e));
      }
    }
    ok = compile_tests(d.tests, report_, rule->tests) && ok;
    ok = compile_exceptions(d, check, comp, *rule) && ok;
    if (!ok || !comp.ok) return nullptr;

    RuleInfo& info = rule->info;
    info.id = d.id;
    info.title = d.title.value_or("");
    info.description = d.description.value_or("");
    info.guidance = d.guidance.value_or("");
    info.severity = d.severity.value_or(Severity::info);
    info.tags = d.tags.value_or(std::vector<std::string>{});
    info.enabled =
        d.enabled.value_or(true) && !disabled_by_options(d.id, d.tags ? &*d.tags : nullptr);
    info.building_block = d.building_block.value_or(false);
    if (d.suppress) {
      rule->suppress.for_us = d.suppress->for_us;
      if (d.suppress->by.empty())
        rule->suppress.by = {event::FieldId::user_id};
      else if (!key_fields(d.suppress->by, d.suppress->where, report_, rule->suppress.by))
        return nullptr;
    }
    info.on_access = may_match_kind(*d.ast, event::Kind::access);
    info.on_email = may_match_kind(*d.ast, event::Kind::email);
    info.pos = d.where.file ? d.where.file->pos_at(d.where.offset) : SourcePos{};
    for (const ScalarText* t : d.conditions)
      info.condition += (info.condition.empty() ? "" : " and ") +
                        (d.conditions.size() > 1 ? "(" + t->value() + ")" : t->value());
    info.version = version_of(d);
    if (info.on_access || info.on_email) warn_absent_fields(*d.ast, info);
    if (!info.on_access && !info.on_email)
      report_.add(
          Diagnostic::Level::warning, Code::never_matches, d.where.file, d.where.offset,
          d.where.length,
          "detection '" + d.id + "' can never match: its event.kind tests exclude every kind");
    return rule;
  }

  bool compile_exceptions(DetectionDef& d, CheckContext& check, CompileContext& comp,
                          CompiledRule& rule) {
    bool ok = true;
    const auto now =
        std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    for (auto& x : d.exceptions) {
      if (!x.ast || !check_condition(*x.ast, check)) {
        ok = false;
        continue;
      }
      CompiledRule::Exception ex;
      ex.info = {d.id,      x.id,
                 x.owner,   x.reason,
                 x.expires, x.where.file ? x.where.file->pos_at(x.where.offset) : SourcePos{}};
      ex.condition = compile_condition(*x.ast, comp);
      if (x.expires && *x.expires <= now)
        report_.add(Diagnostic::Level::warning, Code::exception_expired, x.where.file,
                    x.where.offset, x.where.length,
                    "exception '" + x.id + "' of '" + d.id + "' (owner " + x.owner +
                        ") expired on " + event::format_time(*x.expires) + ": it no longer applies",
                    "renew it with a new expiry after review, or delete it");
      rule.exceptions.push_back(std::move(ex));
    }
    return ok;
  }

  static bool has_element(const Expr& e) {
    if (e.element) return true;
    for (const auto& a : e.args)
      if (has_element(*a)) return true;
    return false;
  }

  // Expressions that read reference data, kept so a match can say what state it used.
  void collect_lookups(const Expr& e, CompileContext& comp, CompiledRule& rule) const {
    if (has_element(e) && e.kind == NodeKind::call &&
        (e.builtin == Builtin::all || e.builtin == Builtin::any))
      return;  // element-bound values mean nothing outside all()/any()
    bool lookup = false;
    if (e.kind == NodeKind::member) {
      lookup = true;
    } else if (e.kind == NodeKind::identifier && e.builtin == Builtin::field) {
      lookup = field_reads(e.field) == Reads::reference;  // subject.address from the register
    } else if (e.kind == NodeKind::call) {
      // The function table's `reads` column (checker.h) says which calls read reference data.
      switch (function_reads(e.builtin)) {
        case Reads::reference:
          lookup = true;
          break;
        case Reads::named_list:
          lookup = !c_.list_by_name.count(e.args[0]->text);
          break;
        case Reads::event:
        case Reads::via_parent:
          break;
      }
    } else if (e.kind == NodeKind::in && e.args[1]->kind == NodeKind::call &&
               e.args[1]->builtin == Builtin::named_list) {
      lookup = !c_.list_by_name.count(e.args[1]->args[0]->text);
    }
    if (lookup && !has_element(e)) {
      std::string text = to_text(e);
      for (const auto& [seen, value] : rule.lookups)
        if (seen == text) return;
      rule.lookups.emplace_back(std::move(text), compile_value(e, comp));
      return;
    }
    for (const auto& a : e.args) collect_lookups(*a, comp, rule);
  }

  // A field the rule's event kinds never carry makes its comparison constant: almost
  // always a mistake (an email rule testing source.system).
  void warn_absent_fields(const Expr& e, const RuleInfo& info) {
    if (e.kind == NodeKind::identifier && e.builtin == Builtin::field) {
      const auto& f = event::field_info(e.field);
      const bool seen = (info.on_access && f.on_access) || (info.on_email && f.on_email);
      if (!seen)
        report_.warning(Code::field_never_set, e.span,
                        "field '" + std::string(f.name) + "' is never set on " +
                            (info.on_access ? "access" : "email") + " events",
                        "this test can never see a value; check the field or the rule's "
                        "event.kind");
    }
    for (const auto& a : e.args) warn_absent_fields(*a, info);
  }

  Collection& c_;
  const LoadOptions& options_;
  Reporter& report_;
  std::shared_ptr<const SiteFacts> site_;
  ZoneCache zones_;
};

namespace {

bool is_rule_file(const fs::path& p) {
  const auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml";
}

// Files, and directories' *.yaml / *.yml sorted by name, read into memory in that order; a missing
// or unreadable path is reported (the rest are still read).
std::vector<RuleText> read_texts(const std::vector<fs::path>& paths, Reporter& reporter) {
  std::vector<RuleText> out;
  try {
    std::vector<fs::path> files;
    for (const auto& p : paths) {
      std::error_code ec;
      if (fs::is_directory(p, ec)) {
        std::vector<fs::path> in_dir;
        for (const auto& entry : fs::directory_iterator(p, ec))
          if (entry.is_regular_file(ec) && is_rule_file(entry.path()))
            in_dir.push_back(entry.path());
        if (ec)
          reporter.error_nowhere(Code::io, p.string(), "cannot list directory: " + ec.message());
        std::sort(in_dir.begin(), in_dir.end());
        files.insert(files.end(), in_dir.begin(), in_dir.end());
      } else if (fs::exists(p, ec)) {
        files.push_back(p);
      } else {
        reporter.error_nowhere(Code::io, p.string(), "no such file or directory");
      }
    }
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      if (!in) {
        reporter.error_nowhere(Code::io, f.string(), "cannot read the file");
        continue;
      }
      std::ostringstream text;
      text << in.rdbuf();
      out.push_back({f.string(), text.str()});
    }
  } catch (const std::exception& e) {  // bad_alloc and the like: never past the loader
    reporter.error_nowhere(Code::internal, "", std::string("rule loading failed: ") + e.what());
  }
  return out;
}

// The site file, when configured; its lists join the rule-file lists (marked used: a force may
// set facts the pack does not use yet). A site list replaces a rule-file list of the same name:
// the pack ships a default, the force's site sets its own.
std::shared_ptr<const SiteFacts> read_site(LoadArena& arena, const LoadOptions& options,
                                           Reporter& reporter, Collection& collection) {
  if (options.site_file.empty()) return nullptr;
  auto site = std::make_shared<SiteFacts>();
  site->file = options.site_file;
  std::ifstream in(options.site_file, std::ios::binary);
  if (!in) {
    reporter.add(
        Diagnostic::Level::warning, Code::site_missing, nullptr, 0, 0,
        "no site file at " + options.site_file + ": rules that need per-force facts are disabled",
        "copy config/site.example.yaml there and set this force's facts");
    return site;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const SourceFile& file = arena.files.emplace_back(options.site_file, text.str());
  read_site_file(file, reporter, *site);
  for (const auto& [name, items] : site->lists) {
    if (auto pack = collection.list_by_name.find(name); pack != collection.list_by_name.end()) {
      pack->second->items = items;
      pack->second->source_text += "\nsite:";
      for (const auto& i : items) pack->second->source_text += " " + i;
      continue;
    }
    auto def = std::make_unique<ListDef>();
    def->name = name;
    def->where = Where{&file, 0, 1};
    def->items = items;
    def->used = true;
    for (const auto& i : items) def->source_text += i + "\n";
    collection.list_by_name[name] = def.get();
    collection.lists.push_back(std::move(def));
  }
  return site;
}

// The overrides files, read after the rule files (so they may name any rule) and applied after
// the site file: an exception may use a site list like any condition.
void read_and_apply_overrides(LoadArena& arena, const LoadOptions& options, Reporter& reporter,
                              Collection& collection) {
  if (options.override_paths.empty()) return;
  std::vector<OverrideDef> overrides;
  for (auto& t : read_texts(options.override_paths, reporter)) {
    const SourceFile& file = arena.files.emplace_back(std::move(t.name), std::move(t.text));
    read_override_file(file, arena, reporter, overrides);
  }
  apply_overrides(overrides, collection, reporter);
}

std::unique_ptr<RuleSet> load(LoadArena& arena, const LoadOptions& options, Reporter& reporter) {
  std::vector<RawItem> items;
  for (const SourceFile& f : arena.files) read_rule_file(f, arena, reporter, items);
  Collection collection;
  collect(items, collection, reporter);
  auto site = read_site(arena, options, reporter, collection);
  read_and_apply_overrides(arena, options, reporter, collection);
  resolve_macros(collection, reporter);
  auto set = RuleSetBuilder(collection, options, reporter, std::move(site)).build();
  if (reporter.has_errors()) return nullptr;
  return set;
}

}  // namespace

std::vector<RuleText> read_rule_files(const std::vector<fs::path>& paths, LoadReport& report) {
  Reporter reporter(report);
  return read_texts(paths, reporter);
}

std::unique_ptr<RuleSet> load_rules_from_texts(const std::vector<RuleText>& texts,
                                               const LoadOptions& options, LoadReport& report) {
  Reporter reporter(report);
  LoadArena arena;
  try {
    for (const auto& t : texts) arena.files.emplace_back(t.name, t.text);
    return load(arena, options, reporter);
  } catch (const std::exception& e) {
    reporter.error_nowhere(Code::internal, "", std::string("rule loading failed: ") + e.what());
    return nullptr;
  }
}

std::unique_ptr<RuleSet> load_rules(const std::vector<fs::path>& paths, const LoadOptions& options,
                                    LoadReport& report) {
  // Unreadable files are in the report already; the rest are still checked, so one run
  // reports every problem.
  return load_rules_from_texts(read_rule_files(paths, report), options, report);
}

std::unique_ptr<RuleSet> load_rules_from_string(std::string_view text, std::string name,
                                                const LoadOptions& options, LoadReport& report) {
  Reporter reporter(report);
  LoadArena arena;
  try {
    arena.files.emplace_back(std::move(name), std::string(text));
    return load(arena, options, reporter);
  } catch (const std::exception& e) {
    reporter.error_nowhere(Code::internal, "", std::string("rule loading failed: ") + e.what());
    return nullptr;
  }
}

}  // namespace probity::rules
