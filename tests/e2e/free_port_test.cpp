// pick_free_port: ports a running test holds are not handed to another, even while the
// daemon on them is stopped for a restart.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "test_support.h"

using namespace probity::testing;

TEST(FreePort, APickedPortIsClaimedForTheTestProcessAndNeverPickedTwice) {
  std::set<std::uint16_t> picked;
  for (int i = 0; i < 200; ++i) {
    const std::uint16_t port = pick_free_port();
    EXPECT_TRUE(picked.insert(port).second) << port << " picked twice";
    std::ifstream claim(std::filesystem::temp_directory_path() / "probity-test-ports" /
                        std::to_string(port));
    std::string holder;
    std::getline(claim, holder);
    EXPECT_EQ(holder, std::to_string(::getpid())) << port;
  }
}
