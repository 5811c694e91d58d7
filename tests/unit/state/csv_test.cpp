// RFC 4180 edge cases for the import CSV reader: quoting, line ends, and the line numbers
// errors are reported on.
#include "state/csv.h"

#include <gtest/gtest.h>

using probity::state::read_csv;

TEST(CsvReader, ReadsQuotedCommasAndDoubledQuotes) {
  const auto csv = read_csv("a,\"b,c\",\"say \"\"hi\"\"\"\n");
  ASSERT_TRUE(csv.errors.empty());
  ASSERT_EQ(csv.records.size(), 1u);
  EXPECT_EQ(csv.records[0].fields, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
}

TEST(CsvReader, QuotedLineBreakKeepsRecordStartLineAndCountsLines) {
  const auto csv = read_csv("h1,h2\r\n\"two\r\nlines\",x\r\nlast,y\r\n");
  ASSERT_TRUE(csv.errors.empty());
  ASSERT_EQ(csv.records.size(), 3u);
  EXPECT_EQ(csv.records[1].line, 2u);
  EXPECT_EQ(csv.records[1].fields[0], "two\r\nlines");
  EXPECT_EQ(csv.records[2].line, 4u);
  EXPECT_EQ(csv.records[2].fields, (std::vector<std::string>{"last", "y"}));
}

TEST(CsvReader, AcceptsLfCrlfAndMissingFinalNewline) {
  const auto csv = read_csv("a,b\nc,d\r\ne,f");
  ASSERT_TRUE(csv.errors.empty());
  ASSERT_EQ(csv.records.size(), 3u);
  EXPECT_EQ(csv.records[2].fields, (std::vector<std::string>{"e", "f"}));
  EXPECT_EQ(csv.records[2].line, 3u);
}

TEST(CsvReader, KeepsEmptyFieldsAndSkipsBlankLinesAndBom) {
  const auto csv = read_csv("\xEF\xBB\xBFid,x\n\n,\"\",\n");
  ASSERT_TRUE(csv.errors.empty());
  ASSERT_EQ(csv.records.size(), 2u);
  EXPECT_EQ(csv.records[0].fields[0], "id");
  EXPECT_EQ(csv.records[1].line, 3u);
  EXPECT_EQ(csv.records[1].fields, (std::vector<std::string>{"", "", ""}));
}

TEST(CsvReader, ReportsStrayQuotesAndContinuesOnNextLine) {
  const auto csv = read_csv("a,b\"c\n\"x\"y,z\nok,1\n");
  ASSERT_EQ(csv.errors.size(), 2u);
  EXPECT_EQ(csv.errors[0].line, 1u);
  EXPECT_NE(csv.errors[0].message.find("quote inside an unquoted field"), std::string::npos);
  EXPECT_EQ(csv.errors[1].line, 2u);
  EXPECT_NE(csv.errors[1].message.find("after a closing quote"), std::string::npos);
  ASSERT_EQ(csv.records.size(), 1u);
  EXPECT_EQ(csv.records[0].line, 3u);
}

TEST(CsvReader, ReportsUnterminatedQuoteAtTheLineItOpened) {
  const auto csv = read_csv("a,b\nc,\"open\nmore\nstill\n");
  ASSERT_EQ(csv.errors.size(), 1u);
  EXPECT_EQ(csv.errors[0].line, 2u);
  EXPECT_NE(csv.errors[0].message.find("unterminated"), std::string::npos);
  EXPECT_EQ(csv.records.size(), 1u);
}
