// check_private: a state directory that other accounts could read, or that its group could
// change, is refused with the path, its mode and the chmod that fixes it.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "app/private_files.h"
#include "test_support.h"

using namespace probity;
using probity::testing::TempDir;
using probity::testing::write_file;

namespace {

std::filesystem::path private_dir(const TempDir& tmp) {
  const auto dir = tmp / "state";
  std::filesystem::create_directory(dir);
  ::chmod(dir.c_str(), 0750);
  write_file(dir / "CURRENT", "MANIFEST-000001\n");
  ::chmod((dir / "CURRENT").c_str(), 0640);
  return dir;
}

}  // namespace

TEST(CheckPrivate, AcceptsA0750DirectoryOf0640Files) {
  TempDir tmp("probity-private");
  const auto dir = private_dir(tmp);
  const auto ok = app::check_private(dir);
  EXPECT_TRUE(ok) << ok.error().message;
}

TEST(CheckPrivate, AMissingDirectoryPassesBecauseProbityCreatesItPrivate) {
  TempDir tmp("probity-private");
  EXPECT_TRUE(app::check_private(tmp / "not-yet"));
}

TEST(CheckPrivate, RefusesAWorldReadableDirectoryNamingItAndTheChmod) {
  TempDir tmp("probity-private");
  const auto dir = private_dir(tmp);
  ::chmod(dir.c_str(), 0755);
  const auto ok = app::check_private(dir);
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().code, "files.not_private");
  EXPECT_EQ(ok.error().message,
            dir.string() +
                " is open to other local accounts (mode 0755); probity keeps the files beside "
                "its alerts and identities private. Fix it with: chmod -R g-w,o-rwx " +
                dir.string());
}

TEST(CheckPrivate, RefusesAGroupWritableFileInsideNamingTheFile) {
  TempDir tmp("probity-private");
  const auto dir = private_dir(tmp);
  write_file(dir / "000004.log", "wal");
  ::chmod((dir / "000004.log").c_str(), 0660);
  const auto ok = app::check_private(dir);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find((dir / "000004.log").string() +
                                    " is writable by its group (mode 0660)"),
            std::string::npos)
      << ok.error().message;
}

TEST(CheckPrivate, RefusesAWorldReadableFileGivenOnItsOwn) {
  TempDir tmp("probity-private");
  write_file(tmp / "alerts.jsonl", "{}\n");
  ::chmod((tmp / "alerts.jsonl").c_str(), 0644);
  const auto ok = app::check_private(tmp / "alerts.jsonl");
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("chmod g-w,o-rwx " + (tmp / "alerts.jsonl").string()),
            std::string::npos)
      << ok.error().message;
}

TEST(CheckPrivate, TheTrailMayBeGroupWritableButNeverOpenToOthers) {
  TempDir tmp("probity-private");
  const auto dir = private_dir(tmp);
  const auto trail = dir / "consultations.jsonl";
  write_file(trail, "");
  ::chmod(trail.c_str(), 0660);
  EXPECT_TRUE(app::check_private(dir, trail));
  EXPECT_FALSE(app::check_private(dir));  // any other file so: refused
  ::chmod(trail.c_str(), 0664);
  const auto ok = app::check_private(dir, trail);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("open to other local accounts"), std::string::npos);
}
