// The payload-format table (decode/formats.h): one row per format, names that round-trip,
// dispatch that fits the kind of format, and docs that name every format.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "decode/formats.h"

using namespace probity::decode;

TEST(PayloadFormats, EveryFormatHasOneRowAndItsNameRoundTrips) {
  std::set<PayloadFormat> formats;
  std::set<std::string_view> names;
  for (const auto& f : payload_formats()) {
    EXPECT_TRUE(formats.insert(f.format).second) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(to_string(f.format), f.name);
    auto parsed = payload_format_from_string(f.name);
    ASSERT_TRUE(parsed) << f.name;
    EXPECT_EQ(*parsed, f.format);
  }
  // The enum's last value is csv: every value up to it needs a row.
  EXPECT_EQ(formats.size(), static_cast<std::size_t>(PayloadFormat::csv) + 1);
}

TEST(PayloadFormats, GatewaysAssembleAndTheRestDecodeOneMessage) {
  for (const auto& f : payload_formats()) {
    SCOPED_TRACE(std::string(f.name));
    EXPECT_EQ(is_assembled(f.format), f.assembler != nullptr);
    EXPECT_FALSE(f.decoder && f.assembler);
    EXPECT_TRUE(f.decoder || f.assembler || f.format == PayloadFormat::csv);
  }
}

TEST(PayloadFormats, UnknownFormatListsEveryName) {
  auto r = payload_format_from_string("syslog");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "unknown payload format \"syslog\" (expected sd, kv, json, cef, leef, csv, postfix, "
            "mimecast, exchange, esa, proofpoint or pod)");
}

TEST(PayloadFormats, TheConfigDocsNameEveryFormat) {
  std::string docs;
  for (const char* file : {"/SOURCES.md", "/GATEWAYS.md"}) {
    std::ifstream in(std::string(PROBITY_CONFIG_DOCS_DIR) + file);
    ASSERT_TRUE(in) << file;
    std::stringstream text;
    text << in.rdbuf();
    docs += text.str();
  }
  for (const auto& f : payload_formats()) {
    const std::string name(f.name);
    EXPECT_TRUE(docs.find("`" + name + "`") != std::string::npos ||
                docs.find("**" + name + "**") != std::string::npos)
        << "config/SOURCES.md or GATEWAYS.md should describe format '" << name << "'";
  }
}
