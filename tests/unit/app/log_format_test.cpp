#include "app/log_format.h"

#include <gtest/gtest.h>

using probity::app::log_safe;

TEST(LogSafe, AForgedRecordCannotStartAtColumnZero) {
  EXPECT_EQ(log_safe("P1\n2026-12-03T10:00:00.000 info  forged"),
            "P1\n    2026-12-03T10:00:00.000 info  forged");
  EXPECT_EQ(log_safe("a\r\nb"), "a\\x0d\n    b");
}

TEST(LogSafe, TerminalControlIsEscapedTextIsKept) {
  EXPECT_EQ(log_safe("\x1b[2J\x1b]0;title\x07"), "\\x1b[2J\\x1b]0;title\\x07");
  EXPECT_EQ(log_safe("csi \xc2\x9b"
                     "31m"),
            "csi \\xc2\\x9b31m");
  EXPECT_EQ(log_safe("Zo\xc3\xab caf\xc3\xa9 \xc2\xa3"
                     "5\tok"),
            "Zo\xc3\xab caf\xc3\xa9 \xc2\xa3"
            "5\tok");
  EXPECT_EQ(log_safe(std::string_view("nul\0x", 5)), "nul\\x00x");
  EXPECT_EQ(log_safe("del\x7f"), "del\\x7f");
}
