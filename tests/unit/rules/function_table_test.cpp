// The function table's `reads` column (checker.h) against what each builtin really does: a
// call that reads reference data at run time must say so, and then a match reports it as a
// look-up (Match::lookups, collected in rule_set.cpp from the column).
#include <gtest/gtest.h>

#include <map>

#include "counting_reference.h"
#include "rules/checker.h"
#include "test_reference_builder.h"

using namespace probity;
using namespace probity::rules;
using namespace probity::rules::testing;
using event::FieldId;

namespace {

struct Sample {
  std::string condition;  ///< a boolean use of the function; lists named here are not in the rules
  event::Kind kind;
};

// One use of every function in the table. A new builtin fails the test below until it has one.
const std::map<std::string_view, Sample>& samples() {
  using K = event::Kind;
  static const std::map<std::string_view, Sample> s = {
      {"exists", {"exists(user.id)", K::access}},
      {"associated", {"associated(user.id, subject.id)", K::access}},
      {"staff", {"staff(user.id).role == \"analyst\"", K::access}},
      {"system_vetting", {"system_vetting(source.system) == \"NPPV3\"", K::access}},
      {"in_list", {"in_list(\"watch\", subject.id)", K::access}},
      {"list", {"subject.id in list(\"watch\")", K::access}},
      {"lower", {"lower(user.id) == \"pc1\"", K::access}},
      {"domain_of", {"domain_of(email.from) == \"acme.co.uk\"", K::email}},
      {"cased", {"cased(user.id) == \"pc1\"", K::access}},
      {"raw", {"raw(\"extra\") == \"x\"", K::access}},
      {"hour", {"hour(event.time) == 10", K::access}},
      {"weekday", {"weekday(event.time) == 7", K::access}},
      {"cidr", {"cidr(client.ip, \"10.0.0.0/8\")", K::access}},
      {"all", {"all(email.attachments.names endswith \".pdf\")", K::email}},
      {"any", {"any(email.attachments.names endswith \".pdf\")", K::email}},
      {"business_interest", {"business_interest(user.id, email.to.domain)", K::email}},
      {"gift_within", {"gift_within(user.id, email.to.domain, 365d)", K::email}},
      {"tender_panel_supplier", {"tender_panel_supplier(user.id, email.to.domain)", K::email}},
      {"open_tender_supplier", {"open_tender_supplier(email.to.domain)", K::email}},
      {"invalid_reference", {"invalid_reference(source.system, reason.ref)", K::access}},
      {"domain_in_list", {"domain_in_list(\"domains\", email.to.domain)", K::email}},
      {"same_address", {"same_address(reason.text, subject.name)", K::access}},
      {"names_person", {"names_person(subject.name, reason.text, reason.ref)", K::access}},
      {"doors_apart", {"doors_apart(reason.text, subject.name) == 2", K::access}},
      {"same_postcode_sector", {"same_postcode_sector(reason.text, subject.name)", K::access}},
      {"same_person",
       {"same_person(subject.name, subject.dob, reason.text, reason.ref)", K::access}},
      {"same_name", {"same_name(subject.name, reason.text)", K::access}},
      {"high_profile_id", {"high_profile_id(subject.id)", K::access}},
      {"high_profile_person", {"high_profile_person(subject.name, reason.ref)", K::access}},
      {"high_profile_search", {"high_profile_search(reason.text)", K::access}},
      {"high_profile_address", {"high_profile_address(subject.name)", K::access}},
      {"site", {"site(client.ip, client.host) == \"hq\"", K::access}},
      {"site_town", {"site_town(client.ip, client.host) == \"Exton\"", K::access}},
      {"site_building", {"site_building(client.ip, client.host) == \"HQ\"", K::access}},
      {"remote_access", {"remote_access(client.ip, client.host)", K::access}},
      {"associated_person",
       {"associated_person(user.id, subject.name, reason.text, \"ex_partner\")", K::access}},
      {"at_associate_address", {"at_associate_address(user.id, subject.name)", K::access}},
  };
  return s;
}

event::Event sample_event(event::Kind kind) {
  event::Event e(kind);
  e.set(FieldId::event_time, *event::parse_time("2026-03-01T10:00:00Z"));
  e.set(FieldId::user_id, std::string("pc1"));
  if (kind == event::Kind::access) {
    e.set(FieldId::source_system, std::string("PNC"));
    e.set(FieldId::subject_id, std::string("p9"));
    e.set(FieldId::subject_name, std::string("16 Moor Road"));
    e.set(FieldId::client_ip, std::string("10.1.2.3"));
    e.set(FieldId::reason_text, std::string("14 Moor Road"));
    e.set(FieldId::reason_ref, std::string("REF-1"));
  } else {
    e.set(FieldId::email_from, std::string("ann@acme.co.uk"));
    e.set(FieldId::email_to, std::string("bob@acme.co.uk"));
    e.set(FieldId::email_attachments_names, std::vector<std::string>{"a.pdf"});
    e.set(FieldId::email_to_domain, std::string("acme.co.uk"));
  }
  return e;
}

}  // namespace

TEST(FunctionTable, ReferenceReadingBuiltinsAreReportedAsLookups) {
  TestReference data;
  data.add_staff(staff_record("pc1", "Smith"))
      .require_vetting("PNC", state::VettingLevel::nppv3)
      .associate("pc1", "p9", state::AssociationKind::media)
      .add_list("watch", {"p9"})
      .add_list("domains", {"acme.co.uk"})
      .add_business_interest("pc1", "acme.co.uk")
      .add_gift("pc1", "acme.co.uk", *event::parse_time("2025-06-01T00:00:00Z"))
      .add_tender("acme.co.uk", {"pc1"})
      .add_list("reference_formats", {"x"});  // the site fact invalid_reference() needs
  LoadOptions options;
  options.reference = &data.memory();
  for (const FunctionSig& f : function_table()) {
    SCOPED_TRACE(std::string(f.name));
    const auto sample = samples().find(f.name);
    if (sample == samples().end()) {
      ADD_FAILURE() << "no sample for '" << f.name
                    << "': add one to samples() in function_table_test.cpp";
      continue;
    }
    // Always true, so the match carries its look-ups whatever the sample answers.
    const std::string& c = sample->second.condition;
    auto rules = load_ok("- detection: r\n  title: T\n  severity: low\n  condition: '(" + c +
                             ") or not (" + c + ")'\n",
                         options);
    ASSERT_TRUE(rules);
    CountingReference ref(data);
    std::vector<Match> out;
    rules->evaluate(sample_event(sample->second.kind), ref, out);
    ASSERT_EQ(out.size(), 1u);
    if (ref.calls() > 0)
      EXPECT_NE(f.reads, Reads::event)
          << "'" << f.name << "' reads reference data: say so in kFunctions (checker.cpp)";
    else
      EXPECT_EQ(f.reads, Reads::event)
          << "'" << f.name << "' reads no reference data but kFunctions says it does";
    EXPECT_EQ(out[0].lookups.empty(), f.reads == Reads::event)
        << "look-ups reported: " << out[0].lookups.size();
  }
}

// Fields too: a field whose read can consult reference data (subject.address falls back to
// the subject-address register) must say so in field_reads and be reported as a look-up.
TEST(FunctionTable, ReferenceReadingFieldsAreReportedAsLookups) {
  TestReference data;
  data.add_subject_address("p9", "14 Moor Road, Harwick");
  for (const auto& f : event::all_fields()) {
    SCOPED_TRACE(std::string(f.name));
    const std::string c = "exists(" + std::string(f.name) + ")";
    auto rules = load_ok("- detection: r\n  title: T\n  severity: low\n  condition: '(" + c +
                         ") or not (" + c + ")'\n");
    ASSERT_TRUE(rules);
    // The event names the subject (p9 on PNC) and gives no value for the field itself.
    event::Event e(event::Kind::access);
    if (f.id != FieldId::subject_id) e.set(FieldId::subject_id, std::string("p9"));
    if (f.id != FieldId::source_system) e.set(FieldId::source_system, std::string("PNC"));
    CountingReference ref(data);
    std::vector<Match> out;
    rules->evaluate(e, ref, out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(ref.calls() > 0, field_reads(f.id) == Reads::reference)
        << "say in field_reads (checker.cpp) whether reading it reads reference data";
    EXPECT_EQ(out[0].lookups.empty(), field_reads(f.id) == Reads::event);
  }
}

// However many rules read it, the register is asked once per event.
TEST(FunctionTable, TheSubjectAddressIsLookedUpOncePerEvent) {
  TestReference data;
  data.add_subject_address("p9", "14 Moor Road, Harwick");
  auto rules = load_ok(R"(- detection: a
  title: T
  severity: low
  condition: subject.address contains "Moor"
- detection: b
  title: T
  severity: low
  condition: same_address(subject.address, "14 MOOR RD") and exists(subject.address)
)");
  ASSERT_TRUE(rules);
  event::Event e(event::Kind::access);
  e.set(FieldId::subject_id, std::string("P9"));
  CountingReference ref(data);
  std::vector<Match> out;
  rules->evaluate(e, ref, out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(ref.calls(), 1);
}
