// Guards the hot-path habit: evaluating rules that need no reference look-ups allocates
// nothing per event; and the correlation budget's measure against what the allocator hands out.
// Counts calls to the global operator new, and the bytes it holds, around the code under test.
#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "rules/rules.h"
#include "test_reference_builder.h"

namespace {
std::atomic<long> g_allocations{0};
std::atomic<long> g_live_bytes{0};  // as the allocator rounds them (malloc_usable_size)

void* counted(void* p) {
  if (p) {
    ++g_allocations;
    g_live_bytes += static_cast<long>(malloc_usable_size(p));
  }
  return p;
}
void release(void* p) {
  if (p) g_live_bytes -= static_cast<long>(malloc_usable_size(p));
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = counted(std::malloc(n ? n : 1))) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::stable_sort's buffer uses them): replacing only some of the
// family would pair the sanitizer's new with our free.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted(std::malloc(n ? n : 1));
}
void operator delete(void* p) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

TEST(RuleEvalAllocation, EvaluatingWithoutLookupsAllocatesNothing) {
  auto rules = load_ok(R"(- list: webmail
  items: [gmail.com, outlook.com]
- macro: lookup
  condition: event.kind == "access" and action in ("query", "view")
- detection: a
  title: A
  severity: low
  condition: lookup and subject.name contains "smith" and not (outcome == "denied")
- detection: b
  title: B
  severity: low
  condition: lookup and subject.name matches "^j[a-z]+\\s" and cidr(client.ip, "10.0.0.0/8")
- detection: c
  title: C
  severity: low
  condition: >
    hour(event.time) >= 19 and weekday(event.time) in ("sat", "sun")
    and event.time - 1d > "2026-01-01" and raw.terminal != "T1"
- detection: d
  title: D
  severity: low
  condition: email.to.domain in list("webmail") or all(email.attachments.names endswith ".pdf")
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  event::Event e(event::Kind::access);
  e.set(FieldId::action, std::string("view"));
  e.set(FieldId::subject_name, std::string("Jane Jones"));
  e.set(FieldId::client_ip, std::string("192.168.1.1"));
  e.set(FieldId::event_time, *event::parse_time("2026-11-24T10:00:00Z"));
  e.add_raw("terminal", "T2");
  event::Event mail(event::Kind::email);
  mail.set(FieldId::email_to_domain, std::string("police.uk"));
  mail.set(FieldId::email_attachments_names, std::vector<std::string>{"a.pdf", "b.doc"});
  std::vector<Match> out;
  out.reserve(8);
  rules->evaluate(e, ref, out);  // warm-up: RE2 builds its DFA lazily
  rules->evaluate(mail, ref, out);
  ASSERT_TRUE(out.empty());
  const long before = g_allocations.load();
  for (int i = 0; i < 100; ++i) {
    rules->evaluate(e, ref, out);
    rules->evaluate(mail, ref, out);
  }
  const long during = g_allocations.load() - before;
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(during, 0);
}

// The byte budget (max_state_bytes) bounds the process's memory only if its measure counts
// what the state really holds: map nodes, key texts, vectors, as the allocator rounds them.
TEST(CorrelationBudget, MeasuresWhatTheAllocatorHolds) {
  std::shared_ptr<const RuleSet> rules = load_ok(R"(- detection: lookup
  title: Record look-up
  severity: low
  building_block: true
  condition: event.kind == "access"
- correlation: bulk
  title: Bulk look-ups
  severity: high
  count: {of: lookup, by: [user.id, subject.id], within: 1h, threshold: 50}
- correlation: spread
  title: Many subjects
  severity: high
  distinct: {of: lookup, by: user.id, field: subject.id, within: 1h, threshold: 50}
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  CorrelationOptions options;
  options.max_evidence_bytes = 0;  // evidence has a budget of its own
  CorrelationEngine engine(rules, options);
  const auto time = *event::parse_time("2026-11-24T10:00:00Z");
  std::vector<Match> matches;
  auto feed = [&](int i) {
    event::Event e(event::Kind::access);
    e.set(FieldId::user_id, "officer-" + std::to_string(i % 4000));
    e.set(FieldId::subject_id, "nominal-record-" + std::to_string(i));
    e.set(FieldId::event_time, time + std::chrono::milliseconds(i));
    matches.clear();
    rules->evaluate(e, ref, matches);
    engine.process(e, ref, matches);
  };
  feed(0);  // the first event sets up what every later one shares
  const long before = g_live_bytes.load();
  const std::size_t measured_before = engine.state_bytes();
  for (int i = 1; i < 12000; ++i) feed(i);
  const auto held = static_cast<double>(g_live_bytes.load() - before);
  const auto measured = static_cast<double>(engine.state_bytes() - measured_before);
  EXPECT_EQ(engine.counters().evicted_keys, 0u);
  // 12,000 count groups with long keys, 4,000 distinct groups of three values each.
  EXPECT_GT(measured, 0.85 * held) << "measured " << measured << " of " << held << " bytes";
  // Above: the measure rounds each block up to jemalloc's classes, where a sanitizer's
  // allocator reports the exact size asked for.
  EXPECT_LT(measured, 1.25 * held) << "measured " << measured << " of " << held << " bytes";
}
