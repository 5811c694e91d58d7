// append_hex64: fixed-width lower-case hex, as correlation state's evidence keys were written
// by fmt's {:016x} before it (stored keys must come out the same).
#include "base/hex.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

using namespace probity;

TEST(Hex, A64BitNumberIsSixteenDigitsAsFmtWritesThem) {
  for (const std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0xabcdef},
                                std::uint64_t{0x0123456789abcdef}, ~std::uint64_t{0}}) {
    std::string out = "v";
    append_hex64(out, v);
    EXPECT_EQ(out, fmt::format("v{:016x}", v));
  }
}
