// The site file: per-force facts, invalid_reference(), site lists, and rules disabled (with a
// warning and an unmet requirement) when a fact they need is not set.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_reference_builder.h"
#include "test_support.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;

namespace {

const char* kSiteRules = R"(- detection: invalid-ref
  title: Invalid reference
  severity: medium
  condition: event.kind == "access" and invalid_reference(source.system, reason.ref)
- detection: partner-mail
  title: Mail to a partner
  severity: low
  requires: [secure_partner_domains]
  condition: event.kind == "email" and email.to.domain in list("secure_partner_domains")
)";

/// Writes the site file into `dir`, which removes it when the test ends.
std::string write_site(const probity::testing::TempDir& dir, const std::string& text) {
  const auto path = dir / "site.yaml";
  std::ofstream(path) << text;
  return path.string();
}

event::Event lookup(const std::string& system, const std::string& ref) {
  event::Event e(event::Kind::access);
  e.set(event::FieldId::user_id, std::string("pc1"));
  e.set(event::FieldId::source_system, system);
  e.set(event::FieldId::reason_ref, ref);
  return e;
}

bool matches(const RuleSet& set, const event::Event& e, std::string_view id) {
  TestReference ref;
  std::vector<Match> out;
  set.evaluate(e, ref, out);
  for (const auto& m : out)
    if (m.rule_id == id) return true;
  return false;
}

}  // namespace

TEST(SiteFile, ReferenceFormatsPerSystemWithADefault) {
  probity::testing::TempDir dir("probity-site");
  LoadOptions options;
  options.site_file = write_site(dir, R"(reference_formats:
  "*": ['CR/\d{5}/\d{2}']
  NicheRMS: ['NI-\d{2}-\d{7}']
lists:
  secure_partner_domains: [cps.gov.uk]
)");
  auto set = load_ok(kSiteRules, options);
  EXPECT_FALSE(matches(*set, lookup("PNC", "CR/04571/26"), "invalid-ref"));
  EXPECT_FALSE(matches(*set, lookup("PNC", " cr/04571/26 "), "invalid-ref"));  // as typed
  EXPECT_TRUE(matches(*set, lookup("PNC", "CR/4571/26"), "invalid-ref"));
  EXPECT_FALSE(matches(*set, lookup("nicherms", "NI-26-0012345"), "invalid-ref"));
  EXPECT_TRUE(matches(*set, lookup("NicheRMS", "CR/04571/26"), "invalid-ref"));  // its own only
  EXPECT_FALSE(matches(*set, lookup("PNC", ""), "invalid-ref"));                 // no reference
  EXPECT_TRUE(set->unmet_requirements().empty());
  event::Event mail(event::Kind::email);
  mail.set(event::FieldId::email_to_domain, std::string("cps.gov.uk"));
  EXPECT_TRUE(matches(*set, mail, "partner-mail"));
}

TEST(SiteFile, RulesNeedingUnsetFactsAreDisabledWithAWarning) {
  LoadOptions options;
  options.site_file = "/nonexistent/site.yaml";
  LoadReport report;
  auto set = load_rules_from_string(kSiteRules, "rules.yaml", options, report);
  ASSERT_TRUE(set) << report.format();
  const std::string text = report.format();
  EXPECT_NE(text.find("warning[site.missing]"), std::string::npos) << text;
  EXPECT_NE(text.find("rule 'invalid-ref' needs the site fact 'reference_formats'"),
            std::string::npos)
      << text;
  ASSERT_EQ(set->unmet_requirements().size(), 2u);
  EXPECT_EQ(set->unmet_requirements()[1].fact, "secure_partner_domains");
  EXPECT_FALSE(matches(*set, lookup("PNC", "nonsense"), "invalid-ref"));
  EXPECT_EQ(set->size(), 0u);
}

TEST(SiteFile, ErrorsCarryTheSiteFilesPosition) {
  probity::testing::TempDir dir("probity-site");
  LoadOptions options;
  options.site_file = write_site(dir, "reference_formats:\n  PNC: ['(']\nmystery: 1\n");
  LoadReport report;
  EXPECT_FALSE(load_rules_from_string(kSiteRules, "rules.yaml", options, report));
  const std::string text = report.format();
  EXPECT_NE(text.find("bad pattern '('"), std::string::npos) << text;
  EXPECT_NE(text.find(":3:1: error[site.bad_value]: unknown site fact 'mystery'"),
            std::string::npos)
      << text;
}

TEST(SiteFile, DomainInListCoversSubdomainsOfSiteAndStateLists) {
  probity::testing::TempDir dir("probity-site");
  LoadOptions options;
  options.site_file = write_site(dir, "lists:\n  secure_partner_domains: [cjsm.net, CPS.gov.uk]\n");
  auto set = load_ok(R"(- detection: partner
  title: Partner mail
  severity: low
  condition: event.kind == "email" and domain_in_list("secure_partner_domains", email.to.domain)
)",
                     options);
  auto to = [&](const std::string& domain) {
    event::Event mail(event::Kind::email);
    mail.set(event::FieldId::email_to_domain, domain);
    return matches(*set, mail, "partner");
  };
  EXPECT_TRUE(to("cjsm.net"));
  EXPECT_TRUE(to("northmoor.cjsm.net"));
  EXPECT_TRUE(to("cps.gov.uk"));
  EXPECT_FALSE(to("gov.uk"));       // a parent of a listed domain is not listed
  EXPECT_FALSE(to("notcjsm.net"));  // only at a dot
  EXPECT_FALSE(to("cjsm.net.evil.example"));
}

TEST(SiteFile, ASiteListReplacesThePacksDefault) {
  const char* rules = R"(- list: standard_reason_texts
  items: []
- detection: free-text
  title: Free text
  severity: low
  condition: event.kind == "access" and reason.text not in list("standard_reason_texts")
)";
  event::Event e(event::Kind::access);
  e.set(event::FieldId::reason_text, std::string("Call for service - checks on caller"));
  EXPECT_TRUE(matches(*load_ok(rules), e, "free-text"));
  probity::testing::TempDir dir("probity-site");
  LoadOptions options;
  options.site_file =
      write_site(dir, "lists:\n  standard_reason_texts: ['Call for service - checks on caller']\n");
  EXPECT_FALSE(matches(*load_ok(rules, options), e, "free-text"));
}
