// resolve_actor over plain inputs: the person from the login uid, else SUDO_USER, else the
// account; the effective account is always recorded beside it.
#include <gtest/gtest.h>

#include "audit/audit.h"

namespace probity::audit {
namespace {

std::optional<std::string> names(std::uint32_t uid) {
  switch (uid) {
    case 0:
      return "root";
    case 998:
      return "probity";
    case 1001:
      return "jhartley";
    default:
      return std::nullopt;
  }
}

TEST(ResolveActor, TakesThePersonFromTheLoginUidUnderSudo) {
  const auto a = resolve_actor({.loginuid = 1001, .sudo_user = "someone", .uid = 998}, names);
  EXPECT_EQ(a.person, "jhartley");
  EXPECT_EQ(a.source, "loginuid");
  EXPECT_EQ(a.uid, 998u);
  EXPECT_EQ(a.account, "probity");
}

TEST(ResolveActor, FallsBackToSudoUserWhenTheLoginUidIsUnset) {
  for (const std::optional<std::uint32_t> unset : {std::optional<std::uint32_t>(kUnsetLoginUid),
                                                   std::optional<std::uint32_t>()}) {
    const auto a = resolve_actor({.loginuid = unset, .sudo_user = "jhartley", .uid = 0}, names);
    EXPECT_EQ(a.person, "jhartley");
    EXPECT_EQ(a.source, "sudo_user");
    EXPECT_EQ(a.account, "root");
  }
}

TEST(ResolveActor, FallsBackToTheAccountWithNeitherLoginUidNorSudoUser) {
  const auto a = resolve_actor({.loginuid = kUnsetLoginUid, .sudo_user = "", .uid = 998}, names);
  EXPECT_EQ(a.person, "probity");
  EXPECT_EQ(a.source, "uid");
  EXPECT_EQ(a.account, "probity");
}

TEST(ResolveActor, WritesUidsWithoutANameInDecimal) {
  const auto a = resolve_actor({.loginuid = 4242, .sudo_user = "", .uid = 5151}, names);
  EXPECT_EQ(a.person, "4242");
  EXPECT_EQ(a.account, "5151");
}

TEST(CurrentActor, NamesThisProcessAccount) {
  const auto a = current_actor();
  EXPECT_EQ(a.uid, static_cast<std::uint32_t>(::geteuid()));
  EXPECT_EQ(a.account, account_name(a.uid).value_or(std::to_string(a.uid)));
  EXPECT_FALSE(a.person.empty());
}

}  // namespace
}  // namespace probity::audit
