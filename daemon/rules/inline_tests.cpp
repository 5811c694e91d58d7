// Inline rule tests: events built from `tests:` items at load, and the runner.
#include "rules/inline_tests.h"

#include <fmt/format.h>
#include <algorithm>

#include <charconv>
#include <chrono>
#include <memory>

#include "rules/compiled_rule.h"
#include "rules/vocab.h"
#include "state/memory_reference.h"

namespace probity::rules {

namespace {

bool set_field(event::Event& e, const InlineTestDef::Field& f, Reporter& report) {
  if (f.name.starts_with("raw.") && f.name.size() > 4) {
    for (const auto& v : f.values) e.add_raw(f.name.substr(4), v);
    return true;
  }
  const auto id = event::field_by_name(f.name);
  if (!id) {
    std::vector<std::string_view> names;
    for (const auto& info : event::all_fields()) names.push_back(info.name);
    const std::string near = closest(f.name, names);
    report.error_at(
        f.where, Code::unknown_field, "unknown field '" + f.name + "' in a test event",
        near.empty() ? "source fields are written raw.<name>" : "did you mean '" + near + "'?");
    return false;
  }
  const auto type = event::field_info(*id).type;
  if (type == event::ValueType::string_list) {
    e.set(*id, f.values);
    return true;
  }
  if (f.is_list || f.values.size() != 1) {
    report.error_at(f.where, Code::bad_value, "test field '" + f.name + "' takes one value");
    return false;
  }
  const std::string& v = f.values.front();
  switch (type) {
    case event::ValueType::string:
      e.set(*id, v);
      return true;
    case event::ValueType::integer: {
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || end != v.data() + v.size()) {
        report.error_at(f.where, Code::bad_value, "test field '" + f.name + "' needs an integer");
        return false;
      }
      e.set(*id, n);
      return true;
    }
    case event::ValueType::time: {
      auto t = event::parse_time(v);
      if (!t) {
        report.error_at(f.where, Code::bad_value, "test field '" + f.name + "' needs a time",
                        "write times in RFC 3339, e.g. 2026-01-01T09:00:00Z");
        return false;
      }
      e.set(*id, *t);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

bool compile_tests(const std::vector<InlineTestDef>& defs, Reporter& report,
                   std::vector<InlineTest>& out) {
  bool ok = true;
  std::size_t index = 0;
  for (const auto& d : defs) {
    ++index;
    if (!d.events.empty()) {  // a correlation test
      InlineTest t{d.name.empty() ? fmt::format("test {}", index) : d.name,
                   d.where.file ? d.where.file->pos_at(d.where.offset) : SourcePos{},
                   d.expect_match,
                   event::Event(),
                   d.reference,
                   {},
                   d.alerts,
                   d.advance_us};
      bool events_ok = true;
      for (const auto& ev : d.events) {
        std::vector<InlineTest> one;
        if (!compile_tests({ev}, report, one)) {
          events_ok = false;
          continue;
        }
        t.events.push_back(std::move(one.front().event));
      }
      if (!events_ok) {
        ok = false;
        continue;
      }
      out.push_back(std::move(t));
      continue;
    }
    const auto kind = event::kind_from_string(to_lower(d.kind));
    if (!kind) {
      report.error_at(d.kind_where, Code::bad_value, "unknown event kind '" + d.kind + "'",
                      "event.kind is access or email");
      ok = false;
      continue;
    }
    InlineTest t{d.name.empty() ? fmt::format("test {}", index) : d.name,
                 d.where.file ? d.where.file->pos_at(d.where.offset) : SourcePos{},
                 d.expect_match,
                 event::Event(*kind),
                 d.reference,
                 {},
                 std::nullopt,
                 0};
    bool fields_ok = true;
    for (const auto& f : d.fields) fields_ok = set_field(t.event, f, report) && fields_ok;
    if (!fields_ok) {
      ok = false;
      continue;
    }
    out.push_back(std::move(t));
  }
  return ok;
}

namespace {

/// The test's rows added over the base rows: a test's staff, system or list replaces the
/// base one of that name; its associations and register rows join the base ones.
std::unique_ptr<state::MemoryReference> reference_for(const InlineTest& t,
                                                      const state::ReferenceTables& base) {
  auto ref = std::make_unique<state::MemoryReference>(base);
  ref->add(t.reference);
  return ref;
}

}  // namespace

namespace {

// Runs a correlation test's events through the production path: RuleSet::evaluate, then
// CorrelationEngine::process, advancing the clock to each event's time.
TestResult run_correlation_test(const RuleSet& rules, const CompiledCorrelation& c,
                                const InlineTest& t, const state::ReferenceTables& base) {
  const auto reference = reference_for(t, base);
  const state::ReferenceData& overlay = *reference;
  CorrelationEngine engine(std::shared_ptr<const RuleSet>(&rules, [](const RuleSet*) {}));
  std::vector<Match> matches;
  std::vector<std::pair<Match, event::Event>> timed;
  std::size_t alerts = 0;
  std::string log;
  auto count = [&](const Match& m) {
    if (m.rule_id != c.info.id) return;
    log +=
        fmt::format("    {}{}\n", m.message, m.repeat ? fmt::format(" (repeat {})", m.repeat) : "");
    if (m.repeat == 0) ++alerts;
  };
  event::Timestamp last{};
  for (const auto& e : t.events) {
    matches.clear();
    rules.evaluate(e, overlay, matches);
    engine.process(e, overlay, matches);
    for (const auto& m : matches) count(m);
    if (auto time = e.time()) last = std::max(last, *time);
    timed.clear();
    engine.advance_time(last, overlay, timed);
    for (const auto& [m, ev] : timed) count(m);
  }
  timed.clear();
  engine.advance_time(last + std::chrono::microseconds(t.advance_us), overlay, timed);
  for (const auto& [m, ev] : timed) count(m);
  TestResult r;
  r.rule_id = c.info.id;
  r.name = t.name;
  r.pos = t.pos;
  r.expect_match = t.expect_match;
  r.expect_alerts = t.alerts;
  r.alerts = alerts;
  r.passed = t.alerts ? alerts == *t.alerts : (alerts > 0) == t.expect_match;
  if (!r.passed)
    r.explanation = fmt::format("  {} alert(s) from {} event(s){}\n{}", alerts, t.events.size(),
                                engine.counters().late_events
                                    ? fmt::format(", {} late", engine.counters().late_events)
                                    : "",
                                log);
  return r;
}

}  // namespace

std::vector<TestResult> run_inline_tests(const RuleSet& rules, const state::ReferenceTables& base) {
  std::vector<TestResult> results;
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  for (const CompiledCorrelation* c : rules.correlations())
    for (const auto& t : c->tests) results.push_back(run_correlation_test(rules, *c, t, base));
  for (const auto& info : rules.rules()) {
    if (info.correlation) continue;
    // A rule left disabled for want of a site fact cannot be tested (the load warned).
    const auto& unmet = rules.unmet_requirements();
    if (std::any_of(unmet.begin(), unmet.end(),
                    [&](const UnmetRequirement& u) { return u.rule_id == info.id; }))
      continue;
    const CompiledRule* rule = rules.find(info.id);
    for (const auto& t : rule->tests) {
      const auto reference = reference_for(t, base);
      const state::ReferenceData& overlay = *reference;
      const bool indexed = t.event.kind() == event::Kind::access ? info.on_access : info.on_email;
      EvalContext ctx(t.event, overlay);
      bool matched = indexed && rule->condition->test(ctx);
      // As in production, an exception drops the match (one without an event time is judged
      // expired or not now), and is counted for `rules test`'s summary.
      if (const auto* x =
              matched ? rule->exception_for(ctx, t.event.time().value_or(now)) : nullptr) {
        x->dropped->fetch_add(1, std::memory_order_relaxed);
        matched = false;
      }
      TestResult r;
      r.rule_id = info.id;
      r.name = t.name;
      r.pos = t.pos;
      r.expect_match = t.expect_match;
      r.passed = matched == t.expect_match;
      if (!r.passed) r.explanation = rules.explain(info.id, t.event, overlay);
      results.push_back(std::move(r));
    }
  }
  return results;
}

}  // namespace probity::rules
