// A gateway's own files read with --source (app/bare_records.h): lines cut at LF with CR
// dropped, at most max_size bytes held whatever the input, and a line that is not syslog
// taken whole as the record.
#include "app/bare_records.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace probity;
using namespace probity::app;

namespace {

struct Seen {
  std::vector<std::string> lines;
  std::vector<std::size_t> too_long;
  LineSplitter::Each each() {
    return [this](const LineSplitter::Line& l) {
      if (l.too_long)
        too_long.push_back(l.length);
      else
        lines.emplace_back(l.bytes);
    };
  }
};

}  // namespace

TEST(LineSplitter, CutsAtLfDropsCrAndSkipsEmptyLinesAcrossPieces) {
  LineSplitter split(64);
  Seen seen;
  split.feed("#Fields: a,b\r\n2026-03-01T11:", seen.each());
  split.feed("00:00Z,x\r\n\r\n\n", seen.each());
  split.feed("last,without,lf", seen.each());
  EXPECT_EQ(seen.lines, (std::vector<std::string>{"#Fields: a,b", "2026-03-01T11:00:00Z,x"}));
  split.finish(seen.each());
  EXPECT_EQ(seen.lines.back(), "last,without,lf");
  EXPECT_TRUE(seen.too_long.empty());
}

TEST(LineSplitter, ReportsOverlongLinesWithTheirLengthAndHoldsAtMostMaxSize) {
  LineSplitter split(8);
  Seen seen;
  split.feed("12345678\r\n", seen.each());  // exactly the maximum, its CR not counted
  split.feed("123456789", seen.each());
  for (int i = 0; i < 1000; ++i) split.feed(std::string(1000, 'x'), seen.each());
  split.feed("\nok\n", seen.each());
  EXPECT_EQ(seen.lines, (std::vector<std::string>{"12345678", "ok"}));
  EXPECT_EQ(seen.too_long, std::vector<std::size_t>{9 + 1000 * 1000});
  split.feed("abcdefghij", seen.each());
  split.finish(seen.each());
  EXPECT_EQ(seen.too_long.back(), 10u);
}

TEST(BareRecords, OnlyAForcedSourceTakesALineThatIsNotSyslog) {
  const std::string csv = "2026-03-01T11:00:00.123Z,10.1.2.3,WS12";
  const auto refused = parse_record(csv, false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "syslog.not_syslog");
  const auto bare = parse_record(csv, true);
  ASSERT_TRUE(bare) << bare.error().message;
  EXPECT_EQ(bare->message.value_or(""), csv);
  EXPECT_FALSE(bare->app_name);
  // Syslog stays syslog, forced source or not.
  const auto syslog = parse_record("<13>1 2026-03-01T11:00:00Z host app - - - hello", true);
  ASSERT_TRUE(syslog);
  EXPECT_EQ(syslog->app_name.value_or(""), "app");
  EXPECT_EQ(syslog->message.value_or(""), "hello");
}

TEST(BareRecords, OctetCountingIsADigitRunThenSpaceAndAngle) {
  EXPECT_TRUE(octet_counted("57 <13>1 2026-..."));
  EXPECT_FALSE(octet_counted("2026-03-01T11:00:00Z,a,b"));
  EXPECT_FALSE(octet_counted("{\"guid\":\"g-1\"}"));
  EXPECT_FALSE(octet_counted(""));
}
