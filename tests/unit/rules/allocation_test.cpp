// Guards the hot-path habit: evaluating rules that need no reference look-ups allocates
// nothing per event. Counts calls to the global operator new around evaluate().
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "test_reference_builder.h"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::stable_sort's buffer uses them): replacing only some of the
// family would pair the sanitizer's new with our free.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

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
