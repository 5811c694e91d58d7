// append_json_string must write what nlohmann::json::dump writes (ensure_ascii off, invalid
// UTF-8 replaced): alert logs and evidence are read back and compared by other tools.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

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

// is_plain_json lets evidence be copied into an alert unparsed: it must never say yes to
// text nlohmann refuses (the alert's JSON would be broken), and must say yes to what the
// event and evidence writers give (else nothing is saved).
TEST(PlainJson, SaysYesToWhatTheWritersGiveAndNeverToWhatNlohmannRefuses) {
  const std::vector<std::string> plain = {
      R"({"event.id":"3f49","result.count":1,"query.terms":["a","b \"c\""],"raw":{"x":"\u0001\t"}})",
      R"({"withheld_source_fields":12,"user.id":"PSN-c4d4bb52568c","n":-7})",
      "{\"name\":\"caf\xc3\xa9 \xf0\x9f\x98\x80 O'Brien\\\\ \\/\"}",
      R"([1, 2 ,	{"a" : null, "b":true,"c":false}, [], {}])",
      R"("text")",
      "0",
      "-123456789012345678",
      "  {}  "};
  for (const auto& text : plain) {
    EXPECT_TRUE(is_plain_json(text)) << text;
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;
  }
  // JSON, but outside the subset: parsed instead.
  for (const std::string& text : std::vector<std::string>{
           "{\n}", "[1.5]", "[1e5]", "[1234567890123456789]", R"(["\ud83d\ude00"])",
           std::string(65, '[') + std::string(65, ']')}) {
    EXPECT_FALSE(is_plain_json(text)) << text;
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;
  }
  // Not JSON at all.
  for (const std::string& text : std::vector<std::string>{
           "",        "{",           "}",        "[1,]",     "{\"a\"}",      "{\"a\":}",
           "{a:1}",   "\"open",      "01",       "-",        "tru",          "nul",
           "\"\\x\"", "\"\\u12G4\"", "\"\x01\"", "\"\xff\"", "\"\xc0\xaf\"", "{} {}",
           "[1 2]",   "{\"a\":1,}"}) {
    EXPECT_FALSE(is_plain_json(text)) << testing::PrintToString(text);
    EXPECT_FALSE(nlohmann::json::accept(text)) << testing::PrintToString(text);
  }
  // Every text one edit away from those above: each byte replaced by one of the bytes that
  // matter to the grammar, each byte removed, and each prefix.
  const std::string bytes = "{}[]\":,\\ \t\n0-9.eEtfnu\x01\x7f\x80\xc3\xed\xf0\xff";
  std::size_t said_yes = 0;
  for (const auto& text : plain) {
    std::vector<std::string> near;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      near.push_back(text.substr(0, i));
      if (i == text.size()) break;
      near.push_back(text.substr(0, i) + text.substr(i + 1));
      for (const char b : bytes) {
        std::string t = text;
        t[i] = b;
        near.push_back(t);
      }
    }
    for (const auto& t : near) {
      if (!is_plain_json(t)) continue;
      ++said_yes;
      ASSERT_TRUE(nlohmann::json::accept(t)) << testing::PrintToString(t);
    }
  }
  EXPECT_GT(said_yes, 100u);  // the edits reached the yes side too
}

}  // namespace
}  // namespace probity
