// resolve_actor over plain inputs: the person from the login uid, else SUDO_USER, else the
// account; the effective account is always recorded beside it.
#include <sys/wait.h>
#include <unistd.h>

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
  for (const std::optional<std::uint32_t> unset :
       {std::optional<std::uint32_t>(kUnsetLoginUid), std::optional<std::uint32_t>()}) {
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

TEST(PeerActor, ReadsTheLoginUidAndSudoUserOfAnotherProcess) {
  // A child that has exec'ed with SUDO_USER set, and waits on a pipe until we are done.
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(ready[1], 1);
    ::dup2(done[0], 0);
    ::close(ready[0]);
    ::close(done[1]);
    char* const argv[] = {const_cast<char*>("sh"), const_cast<char*>("-c"),
                          const_cast<char*>("echo ready; read x"), nullptr};
    char* const envp[] = {const_cast<char*>("SUDO_USER=jdoe"), nullptr};
    ::execve("/bin/sh", argv, envp);
    ::_exit(127);
  }
  ::close(ready[1]);
  ::close(done[0]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1) << "the child did not start";
  const auto peer = peer_actor(::geteuid(), pid);
  ::close(done[1]);
  ::close(ready[0]);
  ::waitpid(pid, nullptr, 0);

  const auto self = current_actor();  // the child inherited our login uid
  EXPECT_EQ(peer.uid, static_cast<std::uint32_t>(::geteuid()));
  EXPECT_EQ(peer.account, self.account);
  if (self.source == "loginuid") {
    EXPECT_EQ(peer.source, "loginuid");
    EXPECT_EQ(peer.person, self.person);
  } else {
    EXPECT_EQ(peer.source, "sudo_user");
    EXPECT_EQ(peer.person, "jdoe");
  }
}

}  // namespace
}  // namespace probity::audit
