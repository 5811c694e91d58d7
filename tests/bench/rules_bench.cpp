// Per-event cost of rule evaluation with 100 rules: RuleSet::evaluate alone, and
// evaluate + CorrelationEngine::process (the daemon's per-event work) with 90 detections
// and 10 correlations, over a rotating set of 10 000 users. Reference data is an empty
// MemoryReference, so the figures exclude RocksDB look-ups. Then the cost of encoding a
// checkpoint of what those events changed: work the evaluation thread does, and at a
// checkpoint's start in a burst (a group is encoded before its next change).
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <random>

#include "rules/rules.h"
#include "state/memory_reference.h"

using namespace probity;

namespace {

// 100 rules: detections of the usual shapes (comparisons, sets, text operators, regex,
// hour(), CIDR), and, with `correlations`, the last 10 replaced by correlations of each type.
std::string rule_text(int correlations) {
  std::string out;
  const int detections = 100 - correlations;
  for (int i = 0; i < detections; ++i) {
    std::string cond;
    switch (i % 6) {
      case 0:
        cond = fmt::format(
            R"(event.kind == "access" and action == "query" and source.system == "sys{}")", i);
        break;
      case 1:
        cond = fmt::format(
            R"(event.kind == "access" and action in ("view", "query", "print") and subject.name contains "smith{}")",
            i);
        break;
      case 2:
        cond = fmt::format(R"(event.kind == "email" and email.to.domain endswith "news{}.example")",
                           i);
        break;
      case 3:
        cond = fmt::format(
            R"(event.kind == "access" and (hour(event.time) < 7 or hour(event.time) >= 19) and result.count > {})",
            190 + i % 10);
        break;
      case 4:
        cond = fmt::format(
            R"(event.kind == "email" and email.subject matches "(leak|exclusive){}")", i);
        break;
      case 5:
        cond = fmt::format(R"(event.kind == "access" and cidr(client.ip, "192.168.{}.0/24"))", i);
        break;
    }
    out += fmt::format("- detection: d{}\n  title: D{}\n  severity: low\n  condition: '{}'\n", i, i,
                       cond);
  }
  const char* kinds[] = {
      "count: {{of: d{0}, by: user.id, within: 1h, threshold: 50}}",
      "distinct: {{of: d{0}, by: user.id, field: subject.id, within: 1h, threshold: 40}}",
      "sequence: {{by: user.id, within: 24h, steps: [d{0}, d2]}}",
      "absent: {{of: d{0}, followed_by: d2, by: user.id, within: 24h}}",
      "first_seen: {{of: d{0}, by: user.id, field: source.system}}\n  max_keys: 100000",
      "baseline: {{of: d{0}, by: user.id, period: 1d, history: 28d, min_history: 7d, z: 3, "
      "min_count: 20}}\n  max_keys: 100000",
      "risk: {{by: user.id, scores: {{d{0}: 10, d3: 20}}, half_life: 7d, threshold: 100}}\n  "
      "max_keys: 100000",
      "count: {{of: [d{0}, d3], by: user.id, within: 10m, threshold: 20}}",
      "sequence: {{by: user.id, within: 1h, steps: [d{0}, d3, d2], until: d5}}",
      "distinct: {{of: d{0}, by: user.id, field: source.system, within: 1d, threshold: 5}}"};
  for (int i = 0; i < correlations; ++i)
    out += fmt::format("- correlation: c{}\n  title: C{}\n  severity: high\n  {}\n", i, i,
                       fmt::format(fmt::runtime(kinds[i % 10]), (i % 3) * 6));
  return out;
}

std::vector<event::Event> make_events(std::size_t n) {
  std::mt19937 rng(42);
  std::vector<event::Event> out;
  const auto start = *event::parse_time("2026-01-05T00:00:00Z");
  for (std::size_t i = 0; i < n; ++i) {
    const bool mail = rng() % 4 == 0;
    event::Event e(mail ? event::Kind::email : event::Kind::access);
    e.set(event::FieldId::user_id, fmt::format("pc{}", rng() % 10000));
    e.set(event::FieldId::event_time, start + std::chrono::seconds(i));
    if (mail) {
      e.set(event::FieldId::email_to_domain, fmt::format("news{}.example", rng() % 100));
      e.set(event::FieldId::email_subject, std::string("weekly report"));
    } else {
      e.set(event::FieldId::action, std::string(rng() % 2 ? "query" : "view"));
      e.set(event::FieldId::source_system, fmt::format("sys{}", rng() % 100));
      e.set(event::FieldId::subject_id, fmt::format("P{}", rng() % 100000));
      e.set(event::FieldId::subject_name, std::string("JONES"));
      e.set(event::FieldId::client_ip, fmt::format("10.{}.1.2", rng() % 200));
      e.set(event::FieldId::result_count, static_cast<std::int64_t>(rng() % 200));
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::shared_ptr<const rules::RuleSet> load(const std::string& text) {
  rules::LoadReport report;
  auto set = rules::load_rules_from_string(text, "bench.yaml", {}, report);
  if (!set) {
    fmt::print(stderr, "{}\n", report.format());
    std::abort();
  }
  return std::shared_ptr<const rules::RuleSet>(std::move(set));
}

void BM_Evaluate100Detections(benchmark::State& state) {
  const auto rules = load(rule_text(0));
  const auto events = make_events(100'000);
  const state::MemoryReference ref;
  std::vector<rules::Match> matches;
  std::size_t i = 0, matched = 0;
  for (auto _ : state) {
    matches.clear();
    rules->evaluate(events[i++ % events.size()], ref, matches);
    matched += matches.size();
    benchmark::DoNotOptimize(matches.data());
  }
  state.counters["matches/event"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Evaluate100Detections);

void BM_EvaluateAndCorrelate90Plus10(benchmark::State& state) {
  const auto rules = load(rule_text(10));
  const auto events = make_events(200'000);
  const state::MemoryReference ref;
  rules::CorrelationEngine engine(rules);
  std::vector<rules::Match> matches;
  std::vector<std::pair<rules::Match, event::Event>> timed;
  std::size_t i = 0, matched = 0;
  for (auto _ : state) {
    const auto& e = events[i++ % events.size()];
    matches.clear();
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
    matched += matches.size();
    if (i % 1000 == 0) {  // the daemon's 1 s tick, roughly
      timed.clear();
      engine.advance_time(*e.time(), ref, timed);
    }
  }
  state.counters["matches/event"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations());
  state.counters["keys"] = static_cast<double>(engine.counters().keys);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_EvaluateAndCorrelate90Plus10);

// A store that takes every batch and keeps nothing: only the engine's encoding is timed.
class DiscardingStore final : public rules::CorrelationStore {
 public:
  Result<void> load(const std::function<void(std::string_view, std::string_view)>&) override {
    return {};
  }
  Result<void> save(rules::StateWrites& writes) override {
    entries += writes.size();
    writes.clear();
    return {};
  }
  std::size_t entries = 0;
};

// Each iteration: 20 000 events (untimed), then one whole checkpoint of the groups and
// evidence they changed (timed), as the daemon's 5 s checkpoint at a few thousand events/s.
// Every access event feeds a count and a distinct group of its user, which keep it as
// evidence; neither fires.
void BM_CheckpointOf20000Events(benchmark::State& state) {
  const auto rules = load(
      "- detection: access\n  title: Access\n  severity: low\n"
      "  condition: 'event.kind == \"access\"'\n"
      "- correlation: many\n  title: Many\n  severity: high\n"
      "  count: {of: access, by: user.id, within: 1h, threshold: 1000000}\n"
      "- correlation: spread\n  title: Spread\n  severity: high\n"
      "  distinct: {of: access, by: user.id, field: subject.id, within: 1h, threshold: 1000000}\n");
  const auto events = make_events(200'000);
  const state::MemoryReference ref;
  rules::CorrelationEngine engine(rules);
  DiscardingStore store;
  std::vector<rules::Match> matches;
  // Events 20 ms apart on a clock of their own: the list's times would go back at each turn.
  const auto start = *event::parse_time("2026-01-05T00:00:00Z");
  std::size_t i = 0;
  auto feed = [&](std::size_t n) {
    for (std::size_t k = 0; k < n; ++k, ++i) {
      event::Event e = events[i % events.size()];
      e.set(event::FieldId::event_time, start + std::chrono::milliseconds(20 * i));
      matches.clear();
      rules->evaluate(e, ref, matches);
      engine.process(e, ref, matches);
    }
  };
  feed(events.size());  // every user's groups exist, as in a running daemon
  (void)engine.checkpoint(store);
  std::size_t entries = 0;
  for (auto _ : state) {
    state.PauseTiming();
    feed(20'000);
    state.ResumeTiming();
    store.entries = 0;
    if (!engine.checkpoint(store)) state.SkipWithError("checkpoint failed");
    entries += store.entries;
  }
  state.counters["entries/checkpoint"] =
      static_cast<double>(entries) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(entries));
}
BENCHMARK(BM_CheckpointOf20000Events);

}  // namespace

BENCHMARK_MAIN();
