// The state directory's modes: created 0750 by Store::open whatever the umask, and under
// the daemon's umask (0027, set in main) nothing inside is group-writable or open to other
// accounts. Not for the refusal of an over-permissive directory (tests/unit/app).
#include <sys/stat.h>

#include "state/store.h"
#include "state_test_support.h"
#include "test_support.h"

using namespace probity;

using probity::testing::mode_of;
using probity::testing::ScopedUmask;

TEST(StoreFiles, CreatesTheStateDirectory0750UnderAPermissiveUmask) {
  TempDir tmp;
  const ScopedUmask shell_umask(0022);
  const auto dir = tmp.path() / "state";
  const auto store = state::Store::open({.dir = dir});
  ASSERT_RESULT_OK(store);
  EXPECT_EQ(mode_of(dir), 0750u);
}

TEST(StoreFiles, UnderTheDaemonUmaskNoFileIsGroupWritableOrOpenToOthers) {
  TempDir tmp;
  const ScopedUmask daemon_umask(0027);
  const auto dir = tmp.path() / "state";
  {
    auto store = state::Store::open({.dir = dir});
    ASSERT_RESULT_OK(store);
    ASSERT_RESULT_OK((*store)->put(state::RuntimeTable::alerts, "a1", "{}", /*sync=*/true));
    ASSERT_RESULT_OK((*store)->compact(state::RuntimeTable::alerts));  // an SST file too
  }
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    ++files;
    EXPECT_EQ(mode_of(entry.path()) & 0027, 0u)
        << entry.path() << " has mode " << std::oct << mode_of(entry.path());
  }
  EXPECT_GT(files, 3u);  // CURRENT, MANIFEST, WAL, SST, LOG: the walk saw the store
}
