// The one-shot subcommands: parse, rules check, state import, state show (personal data
// only through the audited door, app/consult.h). Each prints
// what a user needs on stdout and problems on stderr, and returns the exit status.
#include <cstdio>
#include <iostream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/consult.h"
#include "app/setup.h"
#include "ingest/framing.h"
#include "state/state.h"
#include "syslog/syslog.h"

namespace probity::app {
namespace {

std::string read_stdin() {
  std::ios::sync_with_stdio(false);
  return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

}  // namespace

int parse_command(const CommonOptions& options, const ParseOptions& parse) {
  auto config = effective_config(options);
  if (!config) return 2;
  std::vector<decode::SourceMapping> sources = config->sources;
  if (!parse.source.empty()) {
    std::erase_if(sources, [&](const auto& s) { return s.name != parse.source; });
    if (sources.empty()) {
      std::fprintf(stderr,
                   "probity parse: no source named '%s' (configured:", parse.source.c_str());
      for (const auto& s : config->sources) std::fprintf(stderr, " %s", s.name.c_str());
      std::fprintf(stderr, ")\n");
      return 2;
    }
    // --source forces this mapping: whatever the message's app-name or host.
    sources[0].match = {};
  }
  // Reference data is optional here: with a state dir, email senders resolve to staff.
  std::unique_ptr<state::Store> store;
  if (options.state_dir) {
    auto opened = state::Store::open({config->state_dir, true});
    if (opened) store = std::move(*opened);
  }
  decode::Decoder decoder(sources, store.get());

  const std::string input = read_stdin();
  ingest::FrameDecoder frames(config->listeners.empty() ? 64 * 1024
                                                        : config->listeners[0].max_message_size);
  frames.feed(input);
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::size_t index = 0, bad = 0;
  std::vector<event::Event> events;
  auto report = [&](const std::string& what) {
    ++bad;
    std::fprintf(stderr, "probity parse: message %zu: %s\n", index, what.c_str());
    return parse.keep_going;
  };
  for (bool at_end = false;;) {
    ingest::Frame frame = frames.next();
    if (frame.status == ingest::FrameStatus::need_more) {
      if (at_end) break;
      frame = frames.finish();
      at_end = true;
      if (frame.status == ingest::FrameStatus::need_more) break;
    }
    ++index;
    if (frame.status == ingest::FrameStatus::too_long) {
      if (!report("message of " + std::to_string(frame.claimed_length) +
                  " bytes is over the maximum size"))
        return 1;
      continue;
    }
    if (frame.status == ingest::FrameStatus::bad_frame) {
      if (!report("broken frame: octet count is not a number")) return 1;
      continue;
    }
    auto msg = syslog::parse_syslog(frame.bytes);
    if (!msg) {
      if (!report(msg.error().message + " [" + msg.error().code + "] at byte " +
                  std::to_string(msg.error().pos.offset)))
        return 1;
      continue;
    }
    events.clear();
    auto decoded = decoder.decode_into(*msg, now, events);
    if (!decoded) {
      if (!report(decoded.error().message + " [" + decoded.error().code + "]")) return 1;
      continue;
    }
    for (const auto& e : events) std::printf("%s\n", event::to_json(e).c_str());
  }
  // Gateway messages still open at the end of the input (no "removed" line yet).
  events.clear();
  decoder.flush_all(events);
  for (const auto& e : events) std::printf("%s\n", event::to_json(e).c_str());
  if (index == 0) {
    std::fprintf(stderr, "probity parse: no messages on stdin\n");
    return 1;
  }
  return bad == 0 ? 0 : 1;
}

int rules_check_command(const CommonOptions& options, const RulesCheckOptions& check) {
  auto config = effective_config(options);
  if (!config) return 2;
  const auto& paths = check.paths.empty() ? config->rule_paths : check.paths;
  // Named lists are checked against the state directory when one is given and exists.
  std::unique_ptr<state::Store> store;
  if (options.state_dir || options.config_file) {
    auto opened = state::Store::open({config->state_dir, true});
    if (opened) store = std::move(*opened);
  }
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
  return failed == 0 ? 0 : 1;
}

int rules_explain_command(const CommonOptions& options, const RulesExplainOptions& explain) {
  auto config = effective_config(options);
  if (!config) return 2;
  const auto& paths = explain.paths.empty() ? config->rule_paths : explain.paths;
  // Reference data from the daemon's state when it can be opened beside it (read-only).
  std::unique_ptr<state::Store> store;
  if (auto s = state::Store::open({config->state_dir, true})) store = std::move(*s);
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

int state_import_command(const CommonOptions& options, const StateImportOptions& import) {
  auto config = effective_config(options);
  if (!config) return 2;
  auto kind = state::import_kind_from_string(import.kind);
  if (!kind) return std::fprintf(stderr, "probity: %s\n", kind.error().message.c_str()), 2;
  auto store = state::Store::open({config->state_dir, false});
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  auto result = state::import_file(**store, *kind, import.file, import.list_name, import.replace);
  if (!result) return std::fprintf(stderr, "probity: %s\n", describe(result.error()).c_str()), 1;
  if (!result->ok()) {
    for (const auto& e : result->errors) std::fprintf(stderr, "%s\n", describe(e).c_str());
    std::fprintf(stderr, "probity: %zu bad rows; nothing was loaded from %s\n",
                 result->errors.size(), import.file.c_str());
    return 1;
  }
  std::printf("loaded %zu %s rows from %s into %s\n", result->rows_loaded,
              std::string(state::to_string(*kind)).c_str(), import.file.c_str(),
              config->state_dir.c_str());
  return 0;
}

int state_show_command(const CommonOptions& options, const StateShowOptions& show) {
  auto config = effective_config(options);
  if (!config) return 2;
  auto store = state::Store::open({config->state_dir, true});
  if (!store) return std::fprintf(stderr, "probity: %s\n", describe(store.error()).c_str()), 2;
  // Personal data goes through the audited door; the rest (systems, domain lists) does not.
  const auto shown = state::personal_data_shown(**store, show.table, show.key);
  if (!shown.empty() && show.reason.empty()) {
    std::fprintf(stderr,
                 "probity: '%s' entries hold personal data: give --reason (a case reference or "
                 "why you need it); the consultation is recorded before anything is shown\n",
                 show.table.c_str());
    return 2;
  }
  if (!shown.empty()) {
    if (auto ok = audit::check_reason(config->reason_policy, show.reason); !ok)
      return std::fprintf(stderr, "probity: %s\n", ok.error().message.c_str()), 2;
  }
  auto text = state::describe_entry(**store, show.table, show.key);
  if (!text) return std::fprintf(stderr, "probity: %s\n", text.error().message.c_str()), 1;
  if (!shown.empty() &&
      !record_before_showing(*config, {"state.show", show.table + "/" + (show.key.empty() ? "*" : show.key), shown,
                                       show.reason}))
    return 1;
  std::printf("%s\n", text->c_str());
  return 0;
}

}  // namespace probity::app
