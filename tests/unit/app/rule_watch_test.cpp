// rule_files_fingerprint: a change is seen, a failed check is not taken for one.
#include "app/rule_watch.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "test_support.h"

namespace probity::app {
namespace {

using testing::TempDir;
using testing::write_file;

TEST(RuleFilesFingerprint, SeesAFileChangeAndAFileGoingAway) {
  TempDir dir;
  write_file(dir.path() / "rules/a.yaml", "rules: []\n");
  const auto before = rule_files_fingerprint({dir.path() / "rules", dir.path() / "site.yaml"});
  ASSERT_TRUE(before);
  write_file(dir.path() / "rules/a.yaml", "rules: [] # longer\n");
  const auto edited = rule_files_fingerprint({dir.path() / "rules", dir.path() / "site.yaml"});
  ASSERT_TRUE(edited);
  EXPECT_NE(*before, *edited);
  std::filesystem::remove(dir.path() / "rules/a.yaml");
  const auto removed = rule_files_fingerprint({dir.path() / "rules", dir.path() / "site.yaml"});
  ASSERT_TRUE(removed);
  EXPECT_NE(*edited, *removed);
}

// The daemon once raised a critical "rules reload failed" alert because, with every
// descriptor taken by connections, the directory listing failed and read as "no files".
TEST(RuleFilesFingerprint, ACheckThatFailsForWantOfDescriptorsIsNoAnswer) {
  TempDir dir;
  write_file(dir.path() / "rules/a.yaml", "rules: []\n");
  rlimit old{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit low{64, old.rlim_max};
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> held;
  for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) held.push_back(fd);
  const auto during = rule_files_fingerprint({dir.path() / "rules"});
  for (int fd : held) ::close(fd);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &old), 0);
  EXPECT_FALSE(during) << "a failed listing was reported as a fingerprint: " << *during;
}

}  // namespace
}  // namespace probity::app
