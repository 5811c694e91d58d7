// The register functions (business_interest, gift_within, tender_panel_supplier,
// open_tender_supplier): type and arity checks at load, true/false against reference data,
// and inline tests that bring business_interests / gifts / tenders along.
#include <gtest/gtest.h>

#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

event::Timestamp rule_register_at(std::string_view text) { return *event::parse_time(text); }

event::Event email_to(std::string user, std::string domain, std::string_view time) {
  event::Event e(event::Kind::email);
  e.set(FieldId::user_id, std::move(user));
  e.set(FieldId::email_to_domain, std::move(domain));
  e.set(FieldId::event_time, rule_register_at(time));
  return e;
}

std::string rule(const std::string& condition) {
  return "- detection: r\n  title: T\n  severity: low\n  condition: '" + condition + "'\n";
}

bool holds(const std::string& condition, const event::Event& e, const TestReference& ref) {
  auto rules = load_ok(rule(condition));
  if (!rules) return false;
  return !matching(*rules, e, ref).empty();
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

TEST(RuleRegisters, BusinessInterest) {
  TestReference ref;
  ref.add_business_interest("PC1", "Acme.co.uk");
  const auto e = email_to("pc1", "acme.co.uk", "2026-03-01T10:00:00Z");
  EXPECT_TRUE(holds("business_interest(user.id, email.to.domain)", e, ref));
  EXPECT_FALSE(holds("business_interest(user.id, email.to.domain)",
                     email_to("pc1", "other.co.uk", "2026-03-01T10:00:00Z"), ref));
  EXPECT_FALSE(holds("business_interest(user.id, email.to.domain)",
                     email_to("pc2", "acme.co.uk", "2026-03-01T10:00:00Z"), ref));
}

TEST(RuleRegisters, GiftWithinCountsBackFromEventTime) {
  TestReference ref;
  ref.add_gift("pc1", "acme.co.uk", rule_register_at("2025-06-01T00:00:00Z"));
  const std::string c = "gift_within(user.id, email.to.domain, 365d)";
  EXPECT_TRUE(holds(c, email_to("pc1", "ACME.co.uk", "2026-03-01T10:00:00Z"), ref));
  // Over a year later, and before the gift was made.
  EXPECT_FALSE(holds(c, email_to("pc1", "acme.co.uk", "2026-07-01T00:00:00Z"), ref));
  EXPECT_FALSE(holds(c, email_to("pc1", "acme.co.uk", "2025-05-01T00:00:00Z"), ref));
  EXPECT_TRUE(holds("gift_within(user.id, email.to.domain, 400d)",
                    email_to("pc1", "acme.co.uk", "2026-07-01T00:00:00Z"), ref));
  EXPECT_FALSE(holds(c, email_to("pc2", "acme.co.uk", "2026-03-01T10:00:00Z"), ref));
}

TEST(RuleRegisters, TenderPanelSupplierAndOpenTenderSupplier) {
  TestReference ref;
  ref.add_tender("acme.co.uk", {"PC1", "pc2"});
  ref.add_tender("closed.co.uk", {"pc1"}, state::TenderStatus::awarded);
  const auto e = email_to("pc1", "acme.co.uk", "2026-03-01T10:00:00Z");
  EXPECT_TRUE(holds("tender_panel_supplier(user.id, email.to.domain)", e, ref));
  EXPECT_TRUE(holds("open_tender_supplier(email.to.domain)", e, ref));
  EXPECT_FALSE(holds("tender_panel_supplier(user.id, email.to.domain)",
                     email_to("pc3", "acme.co.uk", "2026-03-01T10:00:00Z"), ref));
  const auto closed = email_to("pc1", "closed.co.uk", "2026-03-01T10:00:00Z");
  EXPECT_FALSE(holds("tender_panel_supplier(user.id, email.to.domain)", closed, ref));
  EXPECT_FALSE(holds("open_tender_supplier(email.to.domain)", closed, ref));
}

TEST(RuleRegisters, NoReferenceDataMeansFalse) {
  TestReference empty;
  const auto e = email_to("pc1", "acme.co.uk", "2026-03-01T10:00:00Z");
  EXPECT_FALSE(holds("business_interest(user.id, email.to.domain)", e, empty));
  EXPECT_FALSE(holds("gift_within(user.id, email.to.domain, 365d)", e, empty));
  EXPECT_FALSE(holds("open_tender_supplier(email.to.domain)", e, empty));
}

TEST(RuleRegisters, ArityAndTypeErrorsAtLoadWithPosition) {
  EXPECT_EQ(first_line(load_errors(rule("business_interest(user.id)"))),
            "rules.yaml:4:15: error[rules.arity]: 'business_interest' takes 2 arguments, got 1");
  EXPECT_EQ(first_line(load_errors(rule("gift_within(user.id, email.to.domain)"))),
            "rules.yaml:4:15: error[rules.arity]: 'gift_within' takes 3 arguments, got 2");
  EXPECT_EQ(first_line(load_errors(rule("open_tender_supplier(email.to.domain, user.id)"))),
            "rules.yaml:4:15: error[rules.arity]: 'open_tender_supplier' takes 1 argument, got 2");
  const std::string bad_window =
      load_errors(rule("gift_within(user.id, email.to.domain, result.count)"));
  EXPECT_NE(bad_window.find("rules.yaml:4:53:"), std::string::npos) << bad_window;
  EXPECT_NE(bad_window.find("'gift_within' needs a duration"), std::string::npos) << bad_window;
  const std::string bad_text = load_errors(rule("tender_panel_supplier(event.time, user.id)"));
  EXPECT_NE(bad_text.find("needs text"), std::string::npos) << bad_text;
}

TEST(RuleRegisters, InlineTestsBringTheirOwnRegisters) {
  auto rules = load_ok(R"(- detection: conflicted
  title: Panel member in contact with a bidder who gave them hospitality
  severity: high
  condition: >
    event.kind == "email" and tender_panel_supplier(user.id, email.to.domain)
    and gift_within(user.id, email.to.domain, 365d)
    and not business_interest(user.id, email.to.domain)
  tests:
    - name: panel member emails a bidder after a dinner
      expect: match
      gifts: [{staff: pc1, offeror: Acme Ltd, domain: acme.co.uk, date: 2026-01-10, accepted: yes}]
      tenders: [{tender: T-1, supplier: Acme Ltd, domain: acme.co.uk, status: open, panel: [PC1]}]
      event: {event.kind: email, user.id: pc1, email.to.domain: acme.co.uk, event.time: "2026-03-01T10:00:00Z"}
    - name: declared interest
      expect: no_match
      business_interests: [{staff: pc1, business: Acme Ltd, domain: acme.co.uk, approved: yes}]
      gifts: [{staff: pc1, offeror: Acme Ltd, domain: acme.co.uk, date: 2026-01-10}]
      tenders: [{tender: T-1, supplier: Acme Ltd, domain: acme.co.uk, status: open, panel: [pc1]}]
      event: {event.kind: email, user.id: pc1, email.to.domain: acme.co.uk, event.time: "2026-03-01T10:00:00Z"}
    - name: tender awarded
      expect: no_match
      gifts: [{staff: pc1, offeror: Acme Ltd, domain: acme.co.uk, date: 2026-01-10}]
      tenders: [{tender: T-1, supplier: Acme Ltd, domain: acme.co.uk, status: awarded, panel: [pc1]}]
      event: {event.kind: email, user.id: pc1, email.to.domain: acme.co.uk, event.time: "2026-03-01T10:00:00Z"}
)");
  ASSERT_TRUE(rules);
  TestReference ref;
  const auto results = run_inline_tests(*rules, ref.tables());
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_TRUE(r.passed) << r.name << ": " << r.explanation;
}

TEST(RuleRegisters, BadInlineRegisterDataIsReportedAtLoad) {
  const std::string out = load_errors(R"(- detection: r
  title: T
  severity: low
  condition: open_tender_supplier(email.to.domain)
  tests:
    - expect: match
      tenders: [{tender: T-1, supplier: Acme, domain: acme.co.uk, status: pending}]
      event: {event.kind: email, email.to.domain: acme.co.uk}
)");
  EXPECT_NE(out.find("error[rules.bad_value]: status 'pending' is not one of open, awarded, closed "
                     "(test tenders)"),
            std::string::npos)
      << out;
}
