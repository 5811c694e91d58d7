// `probity rules check|test|explain`: rule files judged without running the daemon. Check
// loads them (named lists against the state directory when there is one), test runs their
// inline tests on empty reference data, explain traces one rule over events on stdin.
// `rules calibrate` has its own file (calibrate.cpp).
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/exception_drops.h"
#include "app/setup.h"
#include "app/state_dir.h"
#include "state/memory_reference.h"

namespace probity::app {

int rules_check_command(const CommonOptions& options, const RulesCheckOptions& check) {
  auto config = effective_config(options);
  if (!config) return 2;
  const auto& paths = check.paths.empty() ? config->rule_paths : check.paths;
  // Named lists are checked against the state directory `run` would use (the config's, or
  // the defaults' ./probity-state) when it exists, so what passes here loads there.
  auto opened = open_state_dir_if_present(*config);
  if (!opened) return std::fprintf(stderr, "probity: %s\n", describe(opened.error()).c_str()), 2;
  std::unique_ptr<state::Store> store = std::move(*opened);
  rules::LoadReport report;
  auto set = rules::load_rules(paths, rule_load_options(*config, store.get()), report);
  if (check.format == "json") {
    nlohmann::json out;
    out["ok"] = report.ok();
    out["rules"] = set ? set->size() : 0;
    out["diagnostics"] = nlohmann::json::array();
    for (const auto& d : report.diagnostics)
      out["diagnostics"].push_back(
          {{"level", d.level == rules::Diagnostic::Level::error ? "error" : "warning"},
           {"code", d.code},
           {"file", d.pos.file},
           {"line", d.pos.line},
           {"column", d.pos.column},
           {"message", d.message},
           {"hint", d.hint}});
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    if (!report.diagnostics.empty()) std::fprintf(stderr, "%s", report.format().c_str());
    if (set)
      std::printf("ok: %zu rules enabled, %zu warnings%s\n", set->size(), report.warning_count(),
                  store ? "" : " (named lists not checked: no state directory)");
    else
      std::fprintf(stderr, "%zu errors, %zu warnings\n", report.error_count(),
                   report.warning_count());
  }
  return report.ok() ? 0 : 1;
}

int rules_test_command(const CommonOptions& options, const RulesTestOptions& test) {
  auto config = effective_config(options);
  if (!config) return 2;
  const auto& paths = test.paths.empty() ? config->rule_paths : test.paths;
  // Tests run against empty reference data plus what each test declares, so a result
  // never depends on the state of the machine it runs on.
  rules::LoadReport report;
  auto set = rules::load_rules(paths, rule_load_options(*config, nullptr), report);
  if (!report.diagnostics.empty()) std::fprintf(stderr, "%s", report.format().c_str());
  if (!set) return 1;
  const auto results = rules::run_inline_tests(*set, state::ReferenceTables{});
  std::size_t failed = 0;
  for (const auto& r : results) {
    if (r.passed && !test.verbose) continue;
    failed += r.passed ? 0 : 1;
    const std::string expects = r.expect_alerts ? std::to_string(*r.expect_alerts) +
                                                      " alert(s), got " + std::to_string(r.alerts)
                                : r.expect_match ? "a match"
                                                 : "no match";
    std::printf("%s %s: %s (%s:%u, expects %s)\n", r.passed ? "PASS" : "FAIL", r.rule_id.c_str(),
                r.name.c_str(), r.pos.file.c_str(), r.pos.line, expects.c_str());
    if (!r.passed) std::printf("%s\n", r.explanation.c_str());
  }
  std::size_t rules_with_tests = 0;
  std::string last;
  for (const auto& r : results)
    if (r.rule_id != last) ++rules_with_tests, last = r.rule_id;
  std::printf("%zu tests in %zu of %zu rules: %zu passed, %zu failed\n", results.size(),
              rules_with_tests, set->rules().size(), results.size() - failed, failed);
  // A test that fails because an exception (often the overrides file's) dropped its match
  // shows it in its trace; this says what every exception dropped across the tests.
  std::fputs(format_exception_drops(*set).c_str(), stdout);
  return failed == 0 ? 0 : 1;
}

int rules_explain_command(const CommonOptions& options, const RulesExplainOptions& explain) {
  auto config = effective_config(options);
  if (!config) return 2;
  const auto& paths = explain.paths.empty() ? config->rule_paths : explain.paths;
  // Reference data from the daemon's state when there is one (read-only, beside it).
  auto opened = open_state_dir_if_present(*config);
  if (!opened) return std::fprintf(stderr, "probity: %s\n", describe(opened.error()).c_str()), 2;
  std::unique_ptr<state::Store> store = std::move(*opened);
  const state::MemoryReference empty;
  const state::ReferenceData& ref = store ? static_cast<const state::ReferenceData&>(*store)
                                          : static_cast<const state::ReferenceData&>(empty);
  rules::LoadReport report;
  auto loaded = rules::load_rules(paths, rule_load_options(*config, store.get()), report);
  if (!loaded) return std::fprintf(stderr, "%s", report.format().c_str()), 1;
  std::shared_ptr<const rules::RuleSet> set(std::move(loaded));
  bool known = false;
  bool correlation = false;
  for (const auto& info : set->rules())
    if (info.id == explain.rule_id) known = true, correlation = info.correlation;
  if (!known)
    return std::fprintf(stderr, "probity: no rule '%s' in the loaded rules\n",
                        explain.rule_id.c_str()),
           1;
  rules::CorrelationEngine engine(set);
  std::vector<rules::Match> matches;
  std::vector<std::pair<rules::Match, event::Event>> timed;
  std::string line;
  std::size_t n = 0, raised = 0;
  event::Timestamp last{};
  auto show = [&](const rules::Match& m, std::string_view when) {
    if (m.rule_id != explain.rule_id) return;
    ++raised;
    std::printf("  => %s %s: %s%s\n", std::string(when).c_str(), m.rule_id.c_str(),
                m.message.c_str(),
                m.repeat ? (" (repeat " + std::to_string(m.repeat) + ", folds)").c_str() : "");
  };
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++n;
    auto e = event::event_from_json(line);
    if (!e) {
      std::fprintf(stderr, "probity: stdin line %zu: %s\n", n, e.error().message.c_str());
      return 1;
    }
    if (!correlation) {
      std::printf("event %zu: %s", n, set->explain(explain.rule_id, *e, ref).c_str());
      continue;
    }
    matches.clear();
    set->evaluate(*e, ref, matches);
    std::string inputs;
    for (const auto& m : matches) inputs += (inputs.empty() ? "" : ", ") + m.rule_id;
    std::printf("event %zu (%s): detections matched: %s\n", n,
                e->time() ? event::format_time(*e->time()).c_str() : "no time",
                inputs.empty() ? "none" : inputs.c_str());
    engine.process(*e, ref, matches);
    for (const auto& m : matches) show(m, "raised");
    if (e->time()) last = std::max(last, *e->time());
    timed.clear();
    engine.advance_time(last, ref, timed);
    for (const auto& [m, at] : timed) show(m, "raised by the clock");
  }
  if (correlation) {
    // Let every window close: absent rules fire for what was never answered.
    timed.clear();
    engine.advance_time(last + std::chrono::hours(24 * 366), ref, timed);
    for (const auto& [m, at] : timed) show(m, "raised when the clock ran on");
    const auto& c = engine.counters();
    std::printf("%s: %zu alert(s) from %zu event(s); %llu late, %llu without a key\n",
                explain.rule_id.c_str(), raised, n, static_cast<unsigned long long>(c.late_events),
                static_cast<unsigned long long>(c.unkeyed));
  }
  return 0;
}

}  // namespace probity::app
