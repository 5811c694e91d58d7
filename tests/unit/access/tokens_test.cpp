// API tokens: issued once in clear, stored as digests in the account's record, found again
// by the token alone; labels are unique and bounded.
#include <gtest/gtest.h>

#include "access/access.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;

namespace {

access::Account account_named(std::string name) {
  access::Account a;
  a.name = std::move(name);
  a.roles = access::analyst;
  a.password_hash = "$argon2id$not-a-real-hash";
  return a;
}

}  // namespace

TEST(ApiTokens, AreIssuedOnceWithUniqueLabelsAndStoredAsDigests) {
  auto ana = account_named("ana");
  const auto token = access::issue_token(ana, "nightly", {});
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_TRUE(token->starts_with("probity_"));
  EXPECT_EQ(token->size(), 8u + 64u);
  ASSERT_EQ(ana.tokens.size(), 1u);
  EXPECT_EQ(ana.tokens[0].sha256.size(), 64u);
  EXPECT_EQ(ana.tokens[0].sha256.find(token->substr(8, 16)), std::string::npos);
  EXPECT_EQ(access::token_label(ana, *token), "nightly");
  EXPECT_FALSE(access::token_label(ana, *token + "0"));

  EXPECT_EQ(access::issue_token(ana, "nightly", {}).error().code, "access.token_label");
  EXPECT_EQ(access::issue_token(ana, "no spaces", {}).error().code, "access.token_label");
  ASSERT_TRUE(access::issue_token(ana, "", {}));
  EXPECT_EQ(ana.tokens.back().label, "token-1");
  while (ana.tokens.size() < access::kMaxTokensPerAccount)
    ASSERT_TRUE(access::issue_token(ana, "", {}));
  EXPECT_EQ(access::issue_token(ana, "", {}).error().code, "access.too_many_tokens");
}

TEST(ApiTokens, SurviveTheStoreAndFindTheirAccount) {
  probity::testing::TempDir dir;
  auto store = state::Store::open({.dir = dir.path() / "db"});
  ASSERT_TRUE(store) << store.error().message;
  access::Accounts accounts(**store);
  auto ana = account_named("ana");
  auto ian = account_named("ian");
  const auto ana_token = access::issue_token(ana, "nightly", {});
  const auto ian_token = access::issue_token(ian, "bot", {});
  ASSERT_TRUE(ana_token && ian_token);
  ASSERT_TRUE(accounts.put(ana));
  ASSERT_TRUE(accounts.put(ian));

  const auto found = accounts.find_by_token(*ian_token);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->name, "ian");
  EXPECT_EQ((*found)->tokens.at(0).label, "bot");
  EXPECT_FALSE(*accounts.find_by_token("probity_" + std::string(64, '0')));
  EXPECT_FALSE(*accounts.find_by_token(ian_token->substr(8)));  // the prefix is part of it

  // A record written before tokens existed reads as an account without any.
  auto old = account_named("old");
  ASSERT_TRUE(accounts.put(old));
  EXPECT_TRUE((*accounts.find("old"))->tokens.empty());
}
