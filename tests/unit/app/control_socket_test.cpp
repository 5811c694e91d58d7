// The control socket on a real Unix socket: requests answered in order on one connection,
// malformed and over-long requests refused without harming the server, the person taken
// from the kernel, and a process of another account refused even when the file would let
// it connect.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "app/control_socket.h"
#include "test_support.h"

using namespace probity;
using Json = nlohmann::json;

class ControlSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.open());
    boost::asio::co_spawn(io, server.run(), [](std::exception_ptr) {});
    thread = std::thread([this] { io.run(); });
  }
  void TearDown() override {
    boost::asio::post(io, [this] { server.stop(); });
    thread.join();
    EXPECT_FALSE(std::filesystem::exists(path));
  }

  probity::testing::TempDir dir;
  std::filesystem::path path = dir.path() / "control.sock";
  boost::asio::io_context io;
  std::string last_person;
  app::ControlServer server{io.get_executor(), path,
                            [this](const Json& request, const audit::Actor& actor) -> Result<Json> {
                              last_person = actor.person;
                              if (request["op"] == "echo") return Json{{"said", request["text"]}};
                              return fail("control.bad_request", "unknown op");
                            }};
  std::thread thread;
};

TEST_F(ControlSocketTest, AnswersRequestsAndNamesThePersonFromTheKernel) {
  const auto said = app::call_daemon(path, {{"op", "echo"}, {"text", "hello"}});
  ASSERT_TRUE(said) << said.error().message;
  EXPECT_EQ((*said)["said"], "hello");
  EXPECT_EQ(last_person, audit::current_actor().person);
  const auto unknown = app::call_daemon(path, {{"op", "other"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "control.bad_request");
  const auto no_op = app::call_daemon(path, {{"text", "hello"}});
  ASSERT_FALSE(no_op);
  EXPECT_EQ(no_op.error().code, "control.bad_request");
}

TEST_F(ControlSocketTest, AnOverLongRequestEndsItsConnectionOnly) {
  const auto big = app::call_daemon(path, {{"op", "echo"}, {"text", std::string(300'000, 'x')}});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, "control.io") << big.error().message;
  EXPECT_TRUE(app::call_daemon(path, {{"op", "echo"}, {"text", "still here"}}));
}

TEST_F(ControlSocketTest, TheSocketIsTheOwnersOnlyAndAnotherAccountIsRefused) {
  const auto mode = std::filesystem::status(path).permissions() & std::filesystem::perms::all;
  EXPECT_EQ(mode, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to act as another account";
  // Opened up on purpose: the peer check must hold on its own.
  std::filesystem::permissions(dir.path(), std::filesystem::perms::all);
  std::filesystem::permissions(path, std::filesystem::perms::all);
  const pid_t child = ::fork();
  if (child == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(3);
    const auto r = app::call_daemon(path, {{"op", "echo"}, {"text", "let me in"}});
    ::_exit(!r && r.error().code == "control.refused" ? 0 : r ? 1 : 2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: answered, 2: failed otherwise, 3: could not switch";
  EXPECT_TRUE(last_person.empty());
}
