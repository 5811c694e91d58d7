// The shown view: every kind of identity an alert can carry, against a real store.
#include "alerts/identity_mask.h"

#include <gtest/gtest.h>

#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;
using event::Identity;

namespace {

class IdentityMaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = state::Store::open({dir_.path() / "state", false});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    state::StaffRecord hartley;
    hartley.id = "pc1";
    hartley.forenames = "James";
    hartley.surname = "Hartley";
    hartley.emails = {"james.hartley@force.police.uk"};
    hartley.department = "Response";
    state::StaffRecord lee;
    lee.id = "ab";  // a two-letter id: replaced wherever it is marked, never by search
    lee.forenames = "Ann";
    lee.surname = "Lee";
    lee.emails = {"ann.lee@force.police.uk"};
    ASSERT_TRUE(store_->put_staff({hartley, lee}));
    ASSERT_TRUE(store_->put_list("staff_nominals", {"p9000001"}, true));
    ASSERT_TRUE(create_pseudonym_key_if_missing(dir_ / "pseudonym.key"));
    auto key = PseudonymKey::open(dir_ / "pseudonym.key");
    ASSERT_TRUE(key);
    key_.emplace(std::move(*key));
    mask_.emplace(*key_, *store_, std::vector<std::string>{"force.police.uk"});
  }

  // `message` with each [[...]] marking a span of the given identities, in order.
  static std::pair<std::string, std::vector<event::IdentitySpan>> marked(
      std::string_view text, std::vector<Identity> identities) {
    std::pair<std::string, std::vector<event::IdentitySpan>> out;
    std::size_t k = 0;
    for (std::size_t i = 0; i < text.size();) {
      if (text.substr(i, 2) == "[[") {
        const auto end = text.find("]]", i);
        const auto value = text.substr(i + 2, end - i - 2);
        out.second.push_back(
            {std::uint32_t(out.first.size()), std::uint32_t(value.size()), identities.at(k++)});
        out.first += value;
        i = end + 2;
      } else {
        out.first += text[i++];
      }
    }
    return out;
  }

  probity::testing::TempDir dir_;
  std::unique_ptr<state::Store> store_;
  std::optional<PseudonymKey> key_;
  std::optional<IdentityMask> mask_;
};

}  // namespace

TEST_F(IdentityMaskTest, SelfLookUpShowsNeitherIdNorName) {
  Alert a;
  a.user_id = "PC1";
  auto [message, spans] =
      marked("[[PC1]] ([[James]] [[Hartley]]) looked up [[James HARTLEY]] [[1980-01-01]] on PNC",
             {Identity::staff, Identity::personal, Identity::personal, Identity::subject,
              Identity::subject});
  a.message = message;
  a.fields = {{"user.id", "PC1"}, {"subject.name", "James HARTLEY"}, {"source.system", "PNC"}};
  a.events_json = {R"({"user.id":"PC1","subject.id":"P1","subject.name":"James HARTLEY",)"
                   R"("raw":{"usr":"pc1","client":"PC1-desk"}})"};
  const auto s = mask_->shown(a, spans, {Identity::staff, Identity::subject, Identity::none});
  const std::string all =
      s.user + s.message + s.fields[0].second + s.fields[1].second + s.events_json[0];
  for (const char* leak : {"PC1", "pc1", "James", "Hartley", "HARTLEY", "1980"})
    EXPECT_EQ(all.find(leak), std::string::npos) << leak << " in " << all;
  EXPECT_EQ(s.user, key_->of("pc1"));
  EXPECT_EQ(s.message, s.user + " ([withheld] [withheld]) looked up [withheld] [withheld] on PNC");
  EXPECT_EQ(s.fields[2].second, "PNC");
  EXPECT_NE(s.events_json[0].find("\"withheld_source_fields\":2"), std::string::npos)
      << s.events_json[0];
  EXPECT_EQ(s.key_id, key_->id());
}

TEST_F(IdentityMaskTest, OnePseudonymPerPersonWhicheverFieldNamesThem) {
  Alert a;
  a.user_id = "pc1";
  auto [message, spans] = marked("[[Jane <JAMES.Hartley@force.police.uk>]] wrote to [[x@y.org]]",
                                 {Identity::mailbox, Identity::mailbox});
  a.message = message;
  a.events_json = {
      R"({"user.id":"pc1","user.account":"JHARTLEY1","email.from":"james.hartley@force.police.uk"})"};
  const auto s = mask_->shown(a, spans, {});
  EXPECT_EQ(s.message, key_->of("pc1") + " wrote to x@y.org");
  EXPECT_NE(s.events_json[0].find("\"email.from\":\"" + key_->of("pc1") + "\""), std::string::npos);
  EXPECT_NE(s.events_json[0].find("\"user.account\":\"" + key_->of("pc1") + "\""),
            std::string::npos)
      << s.events_json[0];
}

TEST_F(IdentityMaskTest, ShortIdsAreReplacedWhereMarkedOnly) {
  Alert a;
  a.user_id = "ab";
  auto [message, spans] = marked("[[ab]] looked up a crab abroad", {Identity::staff});
  a.message = message;
  const auto s = mask_->shown(a, spans, {});
  EXPECT_EQ(s.message, key_->of("ab") + " looked up a crab abroad");
}

TEST_F(IdentityMaskTest, OutsidersStayAndTheUsersOwnNameInAnAddressIsWithheld) {
  Alert a;
  a.user_id = "ab";
  auto [message, spans] =
      marked("sent to [[ann.lee77@gmail.com, press@news.example]] from [[ops@force.police.uk]]",
             {Identity::mailbox, Identity::mailbox});
  a.message = message;
  const auto s = mask_->shown(a, spans, {});
  EXPECT_EQ(s.message, "sent to [withheld]@gmail.com, press@news.example from " +
                           key_->of("ops@force.police.uk"));
}

TEST_F(IdentityMaskTest, AColleaguesRecordIsWithheldAPublicOneIsNot) {
  Alert a;
  a.user_id = "ab";
  a.fields = {{"subject.name", "Mark Jones"}};
  a.events_json = {R"({"subject.id":"P9000001","subject.name":"Mark Jones"})"};
  EXPECT_EQ(mask_->shown(a, {}, {Identity::subject}).fields[0].second, "[withheld]");
  a.events_json = {R"({"subject.id":"P0000002","subject.name":"Mark Jones"})"};
  EXPECT_EQ(mask_->shown(a, {}, {Identity::subject}).fields[0].second, "Mark Jones");
}

TEST_F(IdentityMaskTest, EveryEventOfACorrelationIsMaskedInItsOwnContext) {
  Alert a;
  a.user_id = "pc1";
  a.fields = {{"user.id", "pc1"}};
  a.events_json = {
      // pc1 looks up a colleague under a login...
      R"({"event.kind":"access","user.id":"pc1","user.account":"JHARTLEY1",)"
      R"("subject.id":"P9000001","subject.name":"Mark Jones","raw":{"usr":"jhartley1"}})",
      // ...then Ann Lee (same group key) looks up herself...
      R"({"event.kind":"access","user.id":"ab","subject.id":"P5","subject.name":"Ann LEE"})",
      // ...and pc1 mails his own webmail: the triggering event, last.
      R"({"event.kind":"email","user.id":"pc1","email.from":"James Hartley <james.hartley@force.police.uk>",)"
      R"("email.to":"jimbo.hartley79@gmail.com"})"};
  const auto s = mask_->shown(a, {}, {Identity::staff});
  ASSERT_EQ(s.events_json.size(), 3u);
  std::string all;
  for (const auto& e : s.events_json) all += e + "\n";
  for (const char* leak : {"pc1", "JHARTLEY1", "jhartley1", "James", "Hartley", "hartley",
                           "Mark Jones", "Ann", "LEE", "\"ab\""})
    EXPECT_EQ(all.find(leak), std::string::npos) << leak << " in " << all;
  const std::string pc1 = key_->of("pc1");
  EXPECT_NE(s.events_json[0].find("\"user.account\":\"" + pc1 + "\""), std::string::npos)
      << s.events_json[0];
  EXPECT_NE(s.events_json[0].find("\"subject.name\":\"[withheld]\""), std::string::npos);
  EXPECT_NE(s.events_json[0].find("\"withheld_source_fields\":1"), std::string::npos);
  // Ann's own record is withheld in her event, though the alert is about pc1.
  EXPECT_NE(s.events_json[1].find("\"user.id\":\"" + key_->of("ab") + "\""), std::string::npos);
  EXPECT_NE(s.events_json[1].find("\"subject.name\":\"[withheld]\""), std::string::npos)
      << s.events_json[1];
  EXPECT_NE(s.events_json[2].find("\"email.to\":\"[withheld]@gmail.com\""), std::string::npos)
      << s.events_json[2];
  EXPECT_EQ(s.fields[0].second, pc1);
}

TEST_F(IdentityMaskTest, UnknownUserHasNoPseudonym) {
  Alert a;
  auto [message, spans] = marked("[[-]] forwarded mail", {Identity::staff});
  a.message = message;
  const auto s = mask_->shown(a, spans, {});
  EXPECT_EQ(s.user, "unknown user");
  EXPECT_EQ(s.message, "- forwarded mail");
}

TEST_F(IdentityMaskTest, UnmarkedFieldsAreJudgedByNameAndSourceFieldsWithheld) {
  Alert a;
  a.fields = {{"raw.sasl_username", "pc1"}, {"client.ip", "10.0.0.1"}};
  const auto s = mask_->shown(a, {}, {});
  EXPECT_EQ(s.fields[0].second, "[withheld]");
  EXPECT_EQ(s.fields[1].second, "10.0.0.1");
}

TEST(AsShown, WithoutAShownViewOnlyTheTitleGoesOut) {
  Alert a;
  a.title = "Look-up of self";
  a.user_id = "pc1";
  a.message = "pc1 looked up James Hartley";
  a.fields = {{"user.id", "pc1"}};
  a.events_json = {"{}"};
  const Alert out = as_shown(a);
  EXPECT_EQ(out.message.find("pc1"), std::string::npos);
  EXPECT_EQ(out.user_id, "withheld");
  EXPECT_TRUE(out.fields.empty());
  EXPECT_TRUE(out.events_json.empty());
}

TEST(LookupMask, ShowsFlagsLevelsAndPostsButWithholdsNamesAddressesAndIds) {
  EXPECT_EQ(shown_lookup_value("associated(user.id, subject.id)", "true"), "true");
  EXPECT_EQ(shown_lookup_value("staff(user.id).vetting.level", "NPPV2"), "NPPV2");
  EXPECT_EQ(shown_lookup_value("staff(user.id).vetting.expires", "2026-01-01T00:00:00.000000Z"),
            "2026-01-01T00:00:00.000000Z");
  EXPECT_EQ(shown_lookup_value("staff(user.id).hr_status", "leaving"), "leaving");
  EXPECT_EQ(shown_lookup_value("staff(user.id).department", "Response"), std::string(kWithheld));
  EXPECT_EQ(shown_lookup_value("system_vetting(source.system)", "NPPV3"), "NPPV3");
  EXPECT_EQ(shown_lookup_value("staff(user.id).surname", "Hartley"), std::string(kWithheld));
  EXPECT_EQ(shown_lookup_value("subject.address", "14 MOOR RD HARWICK"), std::string(kWithheld));
  EXPECT_EQ(shown_lookup_value("staff(email.to).id", "10234"), std::string(kWithheld));
  EXPECT_EQ(shown_lookup_value("associated_person(user.id, subject.name, 2)", "Ann Lee"),
            std::string(kWithheld));
}

TEST_F(IdentityMaskTest, LookupsInTheShownViewAreMasked) {
  Alert a;
  a.user_id = "pc1";
  a.lookups = {{"staff(user.id).surname", "Hartley"}, {"staff(user.id).vetting.level", "NPPV2"}};
  const auto s = mask_->shown(a, {}, {});
  EXPECT_EQ(s.lookups, (std::vector<std::pair<std::string, std::string>>{
                           {"staff(user.id).surname", std::string(kWithheld)},
                           {"staff(user.id).vetting.level", "NPPV2"}}));
  EXPECT_EQ(unmasked(a).lookups, a.lookups);
}

// A detection's evidence is masked straight from its event (no parse): it must give what
// masking the event's JSON gives, field by field, for every kind of identity.
TEST_F(IdentityMaskTest, MaskingTheEventItselfGivesWhatMaskingItsJsonGives) {
  using event::FieldId;
  std::vector<event::Event> events;
  {
    event::Event e(event::Kind::access);  // the user looks themselves up, by their login
    e.set(FieldId::event_id, std::string("e1"));
    e.set(FieldId::event_time, *event::parse_time("2026-11-24T19:59:58.5Z"));
    e.set(FieldId::user_id, std::string("PC1"));
    e.set(FieldId::user_account, std::string("JHARTLEY"));
    e.set(FieldId::subject_id, std::string("P1"));
    e.set(FieldId::subject_name, std::string("James HARTLEY"));
    e.set(FieldId::subject_dob, std::string("1980-01-01"));
    e.set(FieldId::query_terms, std::vector<std::string>{"hartley", "jhartley", "-", ""});
    e.set(FieldId::result_count, std::int64_t{-3});
    e.set(FieldId::reason_text,
          std::string("a \"quoted\" reason\twith\ncontrols \x01 and caf\xc3\xa9"));
    e.add_raw("usr", "jhartley");
    e.add_raw("usr", "again");  // a repeated name counts once
    e.add_raw("client", "PC1-desk");
    events.push_back(e);
  }
  {
    event::Event e(event::Kind::email);  // staff, outsider and own-name addresses
    e.set(FieldId::user_id, std::string("ab"));
    e.set(FieldId::email_from, std::string("Ann Lee <Ann.Lee@force.police.uk>"));
    e.set(FieldId::email_to,
          std::string("ann.lee77@gmail.com, press@news.example; x@force.police.uk"));
    e.set(FieldId::email_subject, std::string("For Ann Lee"));
    e.set(FieldId::subject_id, std::string("p9000001"));  // a colleague's record
    events.push_back(e);
  }
  events.emplace_back(event::Kind::access);  // nothing but its kind
  {
    event::Event e(event::Kind::access);  // more source fields than the short scan covers
    e.set(FieldId::user_id, std::string("nobody-known"));
    for (int i = 0; i < 40; ++i) e.add_raw("f" + std::to_string(i % 35), "v");
    events.push_back(e);
  }
  for (const auto& e : events) {
    Alert a;
    a.user_id = std::string(e.str(FieldId::user_id));
    a.message = "looked up";
    a.fields = {{"user.id", a.user_id},
                {"subject.name", std::string(e.str(FieldId::subject_name))}};
    a.events_json = {event::to_json(e)};
    const std::vector<Identity> identities{Identity::staff, Identity::subject};
    const auto parsed = mask_->shown(a, {}, identities);
    const auto direct = mask_->shown(a, {}, identities, &e);
    EXPECT_EQ(direct.events_json, parsed.events_json) << a.events_json.front();
    EXPECT_EQ(direct.user, parsed.user);
    EXPECT_EQ(direct.fields, parsed.fields);
    EXPECT_EQ(direct.message, parsed.message);
  }
  // Text that is not UTF-8 is masked as its JSON has it (repaired), by taking that path.
  event::Event bad(event::Kind::access);
  bad.set(FieldId::user_id, std::string("pc1\xff"));
  Alert a;
  a.user_id = "pc1";
  a.events_json = {event::to_json(bad)};
  EXPECT_EQ(mask_->shown(a, {}, {}, &bad).events_json, mask_->shown(a, {}, {}).events_json);
}

// Evidence read back without a parser (read_own_json) is masked as it was when parsed: the
// same events with a space after the opening brace, which only a parser reads, must show
// alike, alone and as a correlation's events.
TEST_F(IdentityMaskTest, EvidenceReadBackIsMaskedAsWhenParsed) {
  using event::FieldId;
  std::vector<std::string> own, spaced;
  const auto add = [&](const event::Event& e) {
    own.push_back(event::to_json(e));
    spaced.push_back("{ " + own.back().substr(1));
    ASSERT_TRUE(event::read_own_json(own.back())) << own.back();
    ASSERT_FALSE(event::read_own_json(spaced.back()));
  };
  event::Event self(event::Kind::access);  // the user looks themselves up, by their login
  self.set(FieldId::event_time, *event::parse_time("2026-11-24T19:59:58.5Z"));
  self.set(FieldId::user_id, std::string("PC1"));
  self.set(FieldId::user_account, std::string("JHARTLEY"));
  self.set(FieldId::subject_name, std::string("James \"HARTLEY\"\n"));
  self.set(FieldId::query_terms, std::vector<std::string>{"hartley", "caf\xc3\xa9"});
  self.set(FieldId::result_count, std::int64_t{3});
  self.set(FieldId::reason_text, std::string("a \"quoted\"\treason\n\x01"));
  self.add_raw("usr", "jhartley");
  add(self);
  event::Event mail(event::Kind::email);  // staff, outsider and own-name addresses
  mail.set(FieldId::user_id, std::string("ab"));
  mail.set(FieldId::email_from, std::string("Ann Lee <Ann.Lee@force.police.uk>"));
  mail.set(FieldId::email_to, std::string("ann.lee77@gmail.com; x@force.police.uk"));
  mail.set(FieldId::subject_id, std::string("p9000001"));
  add(mail);
  add(event::Event(event::Kind::access));
  const std::vector<Identity> identities{Identity::staff, Identity::subject};
  const auto shown = [&](std::vector<std::string> events) {
    Alert a;
    a.user_id = "pc1";
    a.message = "looked up";
    a.fields = {{"user.id", "pc1"}, {"subject.name", "James HARTLEY"}};
    a.events_json = std::move(events);
    return mask_->shown(a, {}, identities);
  };
  for (std::size_t i = 0; i < own.size(); ++i) {
    const auto read = shown({own[i]}), parsed = shown({spaced[i]});
    EXPECT_EQ(read.events_json, parsed.events_json) << own[i];
    EXPECT_EQ(read.user, parsed.user);
    EXPECT_EQ(read.fields, parsed.fields);
  }
  const auto read = shown(own), parsed = shown(spaced);
  EXPECT_EQ(read.events_json, parsed.events_json);
  EXPECT_EQ(read.fields, parsed.fields);
  EXPECT_EQ(read.events_json[0].find("JHARTLEY"), std::string::npos) << read.events_json[0];
}
