// The register descriptors (reference_tables.h) keep the on-disk format the per-register
// codecs wrote: values written by the release before them (bytes below, from the CBOR
// encoders of commit 41465be) still read, and the same rows are written byte for byte alike.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <map>
#include <string>

#include "raw_db.h"
#include "state/store.h"
#include "state_test_support.h"

using namespace probity;
using namespace probity::state;

namespace {

Timestamp format_at(std::string_view text) { return *event::parse_time(text); }

// Column family → (key, value) as the earlier release stored it.
const std::map<std::string, std::pair<std::string, std::string>>& old_rows() {
  using namespace std::string_literals;
  static const std::map<std::string, std::pair<std::string, std::string>> rows = {
      {"business_interests",
       {"pc1\0acme ltd"s,
        "\xa7\x68\x61\x70\x70\x72\x6f\x76\x65\x64\xf5\x68\x62\x75\x73\x69\x6e\x65\x73\x73\x68"
        "\x41\x63\x6d\x65\x20\x4c\x74\x64\x6b\x64\x65\x63\x6c\x61\x72\x65\x64\x5f\x6f\x6e\xf6"
        "\x66\x64\x6f\x6d\x61\x69\x6e\x6a\x61\x63\x6d\x65\x2e\x63\x6f\x2e\x75\x6b\x64\x72\x6f"
        "\x6c\x65\x68\x64\x69\x72\x65\x63\x74\x6f\x72\x68\x73\x74\x61\x66\x66\x5f\x69\x64\x63"
        "\x70\x63\x31\x61\x76\x01"s}},
      {"gifts",
       {"pc1\0acme ltd\0"s + "00001768003200000000",
        "\xa7\x68\x61\x63\x63\x65\x70\x74\x65\x64\xf5\x64\x64\x61\x74\x65\x1b\x00\x06\x47\xfd"
        "\x52\xb2\xa0\x00\x67\x6f\x66\x66\x65\x72\x6f\x72\x68\x41\x63\x6d\x65\x20\x4c\x74\x64"
        "\x6e\x6f\x66\x66\x65\x72\x6f\x72\x5f\x64\x6f\x6d\x61\x69\x6e\x6a\x61\x63\x6d\x65\x2e"
        "\x63\x6f\x2e\x75\x6b\x68\x73\x74\x61\x66\x66\x5f\x69\x64\x63\x70\x63\x31\x61\x76\x01"
        "\x6b\x76\x61\x6c\x75\x65\x5f\x70\x65\x6e\x63\x65\x19\x11\x94"s}},
      {"tenders",
       {"t-1\0beta plc"s,
        "\xa8\x66\x63\x6c\x6f\x73\x65\x73\xf6\x65\x6f\x70\x65\x6e\x73\xf6\x65\x70\x61\x6e\x65"
        "\x6c\x81\x63\x70\x63\x31\x66\x73\x74\x61\x74\x75\x73\x00\x68\x73\x75\x70\x70\x6c\x69"
        "\x65\x72\x68\x42\x65\x74\x61\x20\x70\x6c\x63\x6f\x73\x75\x70\x70\x6c\x69\x65\x72\x5f"
        "\x64\x6f\x6d\x61\x69\x6e\x6c\x62\x65\x74\x61\x2e\x65\x78\x61\x6d\x70\x6c\x65\x69\x74"
        "\x65\x6e\x64\x65\x72\x5f\x69\x64\x63\x74\x2d\x31\x61\x76\x01"s}},
  };
  return rows;
}

// The rows those bytes hold.
ReferenceTables same_rows() {
  return {
      .business_interests = {{"pc1", "Acme Ltd", "acme.co.uk", "director", true, {}}},
      .gifts = {{"pc1", "Acme Ltd", "acme.co.uk", 4500, format_at("2026-01-10T00:00:00Z"), true}},
      .tenders = {{"t-1", "Beta plc", "beta.example", TenderStatus::open, {"pc1"}, {}, {}}}};
}

void expect_same(const ReferenceTables& got, const ReferenceTables& want) {
  ASSERT_EQ(got.business_interests.size(), 1u);
  const auto& bi = got.business_interests[0];
  EXPECT_EQ(bi.staff_id, want.business_interests[0].staff_id);
  EXPECT_EQ(bi.business, want.business_interests[0].business);
  EXPECT_EQ(bi.domain, want.business_interests[0].domain);
  EXPECT_EQ(bi.role, want.business_interests[0].role);
  EXPECT_TRUE(bi.approved);
  EXPECT_FALSE(bi.declared_on);
  ASSERT_EQ(got.gifts.size(), 1u);
  EXPECT_EQ(got.gifts[0].offeror, "Acme Ltd");
  EXPECT_EQ(got.gifts[0].value_pence, 4500);
  EXPECT_EQ(got.gifts[0].date, want.gifts[0].date);
  EXPECT_TRUE(got.gifts[0].accepted);
  ASSERT_EQ(got.tenders.size(), 1u);
  EXPECT_EQ(got.tenders[0].supplier_domain, "beta.example");
  EXPECT_EQ(got.tenders[0].status, TenderStatus::open);
  EXPECT_EQ(got.tenders[0].panel, std::vector<std::string>{"pc1"});
}

}  // namespace

TEST(RegisterFormat, ReadsValuesTheEarlierReleaseWrote) {
  TempDir dir;
  const auto db_dir = dir.path() / "db";
  ASSERT_RESULT_OK(Store::open({.dir = db_dir}));  // creates every family, then closes
  with_raw_db(db_dir, [](rocksdb::DB& db, const RawFamilies& cf) {
    for (const auto& [name, row] : old_rows())
      ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf.at(name), row.first, row.second).ok());
  });
  auto store = Store::open({.dir = db_dir});
  ASSERT_RESULT_OK(store);
  expect_same((*store)->registers(), same_rows());
  EXPECT_EQ((*store)->unreadable_values(), 0u);
  EXPECT_TRUE((*store)->has_business_interest("pc1", "acme.co.uk"));
  EXPECT_TRUE((*store)->on_open_tender_panel_with("pc1", "beta.example"));
  EXPECT_TRUE((*store)->latest_gift("pc1", "acme.co.uk", format_at("2026-02-01T00:00:00Z")));
}

TEST(RegisterFormat, WritesTheSameBytesAsTheEarlierRelease) {
  TempDir dir;
  const auto db_dir = dir.path() / "db";
  {
    auto store = Store::open({.dir = db_dir});
    ASSERT_RESULT_OK(store);
    for_each_register(
        [&](const auto& reg) { ASSERT_RESULT_OK((*store)->put_register(reg.kind, same_rows())); });
  }
  with_raw_db(db_dir, [](rocksdb::DB& db, const RawFamilies& cf) {
    for (const auto& [name, row] : old_rows()) {
      std::string value;
      ASSERT_TRUE(db.Get(rocksdb::ReadOptions(), cf.at(name), row.first, &value).ok()) << name;
      EXPECT_EQ(value, row.second) << name;
    }
  });
}

TEST(RegisterFormat, PutRegisterRefusesATableThatIsNotARegister) {
  TempDir dir;
  auto store = Store::open({.dir = dir.path() / "db"});
  ASSERT_RESULT_OK(store);
  const auto r = (*store)->put_register(ImportKind::staff, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "state.bad_kind");
}
