// Declared associations with identity (date of birth, aliases, ids in other systems, address)
// and the new kinds: the spellings declarations use, what an import row must say, the stored
// encoding (values written before these fields existed still decode, and a row without them
// is written byte for byte as before), and Store and MemoryReference handing a staff member's
// rows to rules alike.
#include <gtest/gtest.h>

#include "state/codec.h"
#include "state/describe.h"
#include "state/import.h"
#include "state/memory_reference.h"
#include "state/reference_rows.h"
#include "state/store.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;
using namespace std::string_literals;

namespace {

// encode_associations as the release before identity fields wrote it (commit c90e75c):
// family (declared 2026-01-10) and media, both "Pat Smith".
const std::string kOldValue =
    "\xa2\x67\x65\x6e\x74\x72\x69\x65\x73\x82\xa3\x6b\x64\x65\x63\x6c\x61\x72\x65\x64\x5f"
    "\x6f\x6e\x1b\x00\x06\x47\xfd\x52\xb2\xa0\x00\x64\x6b\x69\x6e\x64\x03\x6a\x70\x61\x72"
    "\x74\x79\x5f\x6e\x61\x6d\x65\x69\x50\x61\x74\x20\x53\x6d\x69\x74\x68\xa3\x6b\x64\x65"
    "\x63\x6c\x61\x72\x65\x64\x5f\x6f\x6e\xf6\x64\x6b\x69\x6e\x64\x00\x6a\x70\x61\x72\x74"
    "\x79\x5f\x6e\x61\x6d\x65\x69\x50\x61\x74\x20\x53\x6d\x69\x74\x68\x61\x76\x01"s;

ReferenceRow row(std::vector<std::pair<std::string, std::string>> fields) {
  return ReferenceRow{2, std::move(fields)};
}

std::vector<std::string> problems_of(const ReferenceRow& r, ReferenceTables& out) {
  std::vector<RowProblem> problems;
  validate_rows(ImportKind::associations, {r}, RowSource::import_file, out, problems);
  std::vector<std::string> text;
  for (const auto& p : problems) text.push_back(p.column + ": " + p.message);
  return text;
}

Association ex_partner() {
  Association a{"PC1", "", "Joanne Whitfield", AssociationKind::ex_partner, std::nullopt};
  a.party_id = "P9";
  a.party_dob = "1988-11-04";
  a.party_aliases = {"Jo Carver", "WHITFIELD, Joanne"};
  a.party_ids = {"PNC:09/112233K", "Niche:N-77"};
  a.party_address = "Flat 2, 14 Moor Road, Harwick, NM2 4LB";
  return a;
}

}  // namespace

TEST(AssociationKinds, ReadAsDeclarationsWriteThem) {
  using K = AssociationKind;
  EXPECT_EQ(association_kind_from_string("ex_partner"), K::ex_partner);
  EXPECT_EQ(association_kind_from_string("Ex Partner"), K::ex_partner);
  EXPECT_EQ(association_kind_from_string("ex-partner"), K::ex_partner);
  EXPECT_EQ(association_kind_from_string("EX-WIFE"), K::ex_partner);
  EXPECT_EQ(association_kind_from_string("former partner"), K::ex_partner);
  EXPECT_EQ(association_kind_from_string("Spouse"), K::partner);
  EXPECT_EQ(association_kind_from_string("civil partner"), K::partner);
  EXPECT_EQ(association_kind_from_string("Close Friend"), K::friend_);
  EXPECT_EQ(association_kind_from_string("Business Associate"), K::business);
  EXPECT_EQ(association_kind_from_string("pi"), K::private_investigator);
  EXPECT_FALSE(association_kind_from_string("ex"));
  EXPECT_FALSE(association_kind_from_string("partners"));
  EXPECT_EQ(to_string(K::friend_), "friend");
  EXPECT_EQ(to_string(K::ex_partner), "ex_partner");
}

TEST(AssociationRows, ReadIdentityColumns) {
  ReferenceTables out;
  EXPECT_TRUE(problems_of(row({{"staff_id", "PC1"},
                               {"party_id", "P9"},
                               {"party_name", "Joanne Whitfield"},
                               {"kind", "Ex-Partner"},
                               {"party_dob", "04/11/1988"},
                               {"party_aliases", "Jo Carver; WHITFIELD, Joanne;;Jo Carver"},
                               {"party_ids", "PNC:09/112233K ; Niche:N-77"},
                               {"party_address", "14 Moor Road, Harwick"}}),
                          out)
                  .empty());
  ASSERT_EQ(out.associations.size(), 1u);
  const Association& a = out.associations[0];
  EXPECT_EQ(a.kind, AssociationKind::ex_partner);
  EXPECT_EQ(a.party_dob, "04/11/1988");
  EXPECT_EQ(a.party_aliases, (std::vector<std::string>{"Jo Carver", "WHITFIELD, Joanne"}));
  EXPECT_EQ(a.party_ids, (std::vector<std::string>{"pnc:09/112233k", "niche:n-77"}));
  EXPECT_EQ(a.party_address, "14 Moor Road, Harwick");
}

TEST(AssociationRows, PartyNamedByAnotherIdOrByNameAndDateOfBirth) {
  ReferenceTables out;
  EXPECT_TRUE(
      problems_of(
          row({{"staff_id", "pc1"}, {"kind", "friend"}, {"party_ids", "PNC:09/112233K;PND:77"}}),
          out)
          .empty());
  EXPECT_TRUE(problems_of(row({{"staff_id", "pc1"},
                               {"kind", "family"},
                               {"party_name", "Ann Lee"},
                               {"party_dob", "1990-01-02"}}),
                          out)
                  .empty());
  ASSERT_EQ(out.associations.size(), 2u);
  EXPECT_EQ(out.associations[0].party_id, "pnc:09/112233k");
  EXPECT_EQ(out.associations[1].party_id, "name:ann lee/1990-01-02");

  EXPECT_EQ(
      problems_of(row({{"staff_id", "pc1"}, {"kind", "family"}, {"party_name", "Ann Lee"}}), out),
      (std::vector<std::string>{
          "party_id: party_id is required (or party_ids, or party_name with party_dob)"}));
  EXPECT_EQ(problems_of(row({{"staff_id", "pc1"},
                             {"party_id", "p1"},
                             {"kind", "family"},
                             {"party_aliases", "Ann Lee"}}),
                        out),
            (std::vector<std::string>{"party_aliases: party_aliases given without a party_name"}));
  EXPECT_EQ(
      problems_of(row({{"staff_id", "pc1"},
                       {"party_id", "p1"},
                       {"kind", "family"},
                       {"party_address", "1 High St\x01"}}),
                  out),
      (std::vector<std::string>{"party_address: party_address contains a control character"}));
}

TEST(AssociationCodec, ValuesFromBeforeIdentityStillDecode) {
  const auto entries = decode_associations(kOldValue);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].kind, AssociationKind::family);
  EXPECT_EQ((*entries)[0].party_name, "Pat Smith");
  EXPECT_EQ((*entries)[0].declared_on, event::parse_time("2026-01-10T00:00:00Z"));
  EXPECT_TRUE((*entries)[0].party_dob.empty());
  EXPECT_TRUE((*entries)[0].party_ids.empty());
  EXPECT_EQ((*entries)[1].kind, AssociationKind::media);
  // And rows without identity are written exactly as before.
  EXPECT_EQ(encode_associations(*entries), kOldValue);
}

TEST(AssociationCodec, IdentityRoundTrips) {
  const Association a = ex_partner();
  const std::vector<AssociationEntry> in{{a.kind, a.party_name, a.declared_on, a.party_dob,
                                          a.party_aliases, a.party_ids, a.party_address}};
  const auto out = decode_associations(encode_associations(in));
  ASSERT_TRUE(out);
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].kind, AssociationKind::ex_partner);
  EXPECT_EQ((*out)[0].party_dob, a.party_dob);
  EXPECT_EQ((*out)[0].party_aliases, a.party_aliases);
  EXPECT_EQ((*out)[0].party_ids, a.party_ids);
  EXPECT_EQ((*out)[0].party_address, a.party_address);
}

class AssociationStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::open({.dir = dir_.path() / "db"});
    ASSERT_RESULT_OK(s);
    store_ = std::move(*s);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(AssociationStore, StoreAndMemoryHandTheSameRowsToRules) {
  Association family{"pc1", "P10", "Pat Smith", AssociationKind::family, std::nullopt};
  Association other{"pc2", "P9", "Joanne Whitfield", AssociationKind::friend_, std::nullopt};
  const std::vector<Association> rows{ex_partner(), family, other};
  ASSERT_RESULT_OK(store_->put_associations(rows));
  MemoryReference memory(ReferenceTables{.associations = rows});

  for (const ReferenceData* ref : {static_cast<const ReferenceData*>(store_.get()),
                                   static_cast<const ReferenceData*>(&memory)}) {
    auto got = *ref->associations_of_staff("PC1");
    ASSERT_EQ(got.size(), 2u);
    std::sort(got.begin(), got.end(),
              [](const Association& x, const Association& y) { return x.party_id < y.party_id; });
    EXPECT_EQ(got[0].party_id, "p10");
    EXPECT_EQ(got[1].party_id, "p9");
    EXPECT_EQ(got[1].staff_id, "pc1");
    EXPECT_EQ(got[1].kind, AssociationKind::ex_partner);
    EXPECT_EQ(got[1].party_ids, (std::vector<std::string>{"pnc:09/112233k", "niche:n-77"}));
    EXPECT_EQ(got[1].party_aliases, ex_partner().party_aliases);
    EXPECT_EQ(got[1].party_dob, "1988-11-04");
    EXPECT_EQ(got[1].party_address, ex_partner().party_address);
    EXPECT_TRUE(ref->associations_of_staff("pc3")->empty());
    EXPECT_TRUE(ref->associated("pc1", "p9", AssociationKind::ex_partner));
    EXPECT_FALSE(ref->associated("pc1", "p9", AssociationKind::business));
  }
}

TEST_F(AssociationStore, AWriteReplacesCachedRows) {
  ASSERT_RESULT_OK(store_->put_associations({ex_partner()}));
  EXPECT_EQ(store_->associations_of_staff("pc1")->size(), 1u);  // now cached
  Association friend_row{"pc1", "p11", "Sam Roe", AssociationKind::friend_, std::nullopt};
  ASSERT_RESULT_OK(store_->put_associations({friend_row}));
  EXPECT_EQ(store_->associations_of_staff("pc1")->size(), 2u);
}

TEST_F(AssociationStore, ImportedColumnsAreShown) {
  const auto path = dir_.write(
      "assoc.csv",
      "staff_id,party_id,party_name,kind,declared_on,party_dob,party_aliases,party_ids,"
      "party_address\n"
      "PC1,,\"WHITFIELD, Joanne\",Ex Partner,2024-05-01,04/11/1988,\"CARVER, Jo\","
      "\"PNC:09/112233K;NicheRMS: NR0042\",\"Flat 2, 14 Moor Road, Harwick, NM2 4LB\"\n");
  const auto report = import_file(*store_, ImportKind::associations, path, {}, false);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->ok());
  const auto shown = store_->associations_of("pc1");
  ASSERT_EQ(shown.size(), 1u);
  const std::string json = to_json(shown[0]);
  EXPECT_NE(json.find("\"party_id\": \"pnc:09/112233k\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"kind\": \"ex_partner\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"party_dob\": \"04/11/1988\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"CARVER, Jo\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"nicherms: nr0042\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"party_address\": \"Flat 2, 14 Moor Road, Harwick, NM2 4LB\""),
            std::string::npos)
      << json;
}
