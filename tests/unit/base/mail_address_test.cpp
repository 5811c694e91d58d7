// base/mail_address.h: the address inside the shapes gateways and alerts log.
#include "base/mail_address.h"

#include <gtest/gtest.h>

namespace probity {
namespace {

TEST(BareAddress, TakesTheAddressOutOfItsWrapping) {
  EXPECT_EQ(bare_address("Jane Doe <Jane.Doe@Force.uk>"), "Jane.Doe@Force.uk");
  EXPECT_EQ(bare_address("  <a@b> "), "a@b");
  EXPECT_EQ(bare_address("a@b (Jane Doe)"), "a@b");
  EXPECT_EQ(bare_address("\"a@b\""), "a@b");
  EXPECT_EQ(bare_address("a@b"), "a@b");
  EXPECT_EQ(bare_address("Jane <a@b"), "a@b");  // cut before '>'
  EXPECT_EQ(bare_address(""), "");
}

TEST(StripAngles, RemovesOnlyAMatchingPair) {
  EXPECT_EQ(strip_angles("<a@b>"), "a@b");
  EXPECT_EQ(strip_angles("<>"), "");
  EXPECT_EQ(strip_angles("<a@b"), "<a@b");
  EXPECT_EQ(strip_angles(" <a@b>"), " <a@b>");  // no trimming
}

}  // namespace
}  // namespace probity
