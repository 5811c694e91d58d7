// append_json_string must write what nlohmann::json::dump writes (ensure_ascii off, invalid
// UTF-8 replaced): alert logs and evidence are read back and compared by other tools.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>

#include "base/json_text.h"

namespace probity {
namespace {

std::string ours(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

std::string theirs(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonText, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(ours("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(ours(std::string("\n\r\t\b\f\x01\x1f\x7f", 8)), R"("\n\r\t\b\f\u0001\u001f)"
                                                            "\x7f\"");
  EXPECT_EQ(ours(std::string("nul\0here", 8)), R"("nul\u0000here")");
}

TEST(JsonText, KeepsValidUtf8AsItIs) {
  EXPECT_EQ(ours("Zoë Łukasz 東京 😀"), "\"Zoë Łukasz 東京 😀\"");
}

TEST(JsonText, MatchesNlohmannOnMalformedUtf8) {
  const std::string cases[] = {
      "\x80",
      "\xC0\xAF",
      "\xC2",
      "a\xE2\x82",
      "\xE2\x82"
      "A",
      "\xED\xA0\x80",
      "\xF4\x90\x80\x80",
      "\xF0\x9F\x98",
      "\xFF\xFE",
      "\xE0\x80\xAF",
      "ok\xF0\x9F\x98\x80\x80",
      "\xC3\x28",
      "\xE1\x80\xC0\xAF",
  };
  for (const auto& s : cases) EXPECT_EQ(ours(s), theirs(s)) << testing::PrintToString(s);
}

TEST(JsonText, MatchesNlohmannOnRandomBytes) {
  std::mt19937 rng(20261205);
  // Bytes drawn mostly from the ranges where UTF-8 goes wrong, to reach every branch.
  const std::string alphabet =
      "aZ\"\\\n\x01\x7f\x80\xBF\xC2\xDF\xE0\xED\xEF\xF0\xF4\xF5\xA0\x9F\x90\x8F\xC0\xFF";
  for (int n = 0; n < 20000; ++n) {
    std::string s(rng() % 12, ' ');
    for (auto& c : s) c = alphabet[rng() % alphabet.size()];
    ASSERT_EQ(ours(s), theirs(s)) << testing::PrintToString(s);
  }
}

// Plain bytes are skipped eight at a time: every byte value, at every place in and around
// such a word of a longer plain text, must still be seen.
TEST(JsonText, MatchesNlohmannForEveryByteAtEveryPlaceInALongText) {
  for (int b = 0; b < 256; ++b)
    for (std::size_t at = 0; at < 24; ++at) {
      std::string s = "plain text, twenty-four.";
      s[at] = static_cast<char>(b);
      ASSERT_EQ(ours(s), theirs(s)) << "byte " << b << " at " << at;
    }
}

}  // namespace
}  // namespace probity
