// Hostile and random input: every payload format must answer with an event or a decode.*
// error, never crash or hang. A cheap, deterministic stand-in until the decoders get a
// real fuzz target (tests/fuzz is an open point).
#include <gtest/gtest.h>

#include <random>

#include "test_support.h"

namespace probity::decode {
namespace {

using namespace testing;

std::string random_text(std::mt19937& rng, std::string_view alphabet, std::size_t max_len) {
  std::uniform_int_distribution<std::size_t> len(0, max_len), pick(0, alphabet.size() - 1);
  std::string out(len(rng), ' ');
  for (char& c : out) c = alphabet[pick(rng)];
  return out;
}

void expect_clean_outcome(const Result<std::size_t>& r) {
  if (!r) {
    EXPECT_TRUE(r.error().code.starts_with("decode.")) << r.error().code;
  }
}

constexpr char kAlphabetChars[] =
    "ab.=\" \\{}[]:,;|@<>-_0123456789\t\n\0\xFF\xC3\xA9\xEF\xBB\xBFtruenull";
constexpr std::string_view kAlphabet{kAlphabetChars, sizeof kAlphabetChars - 1};

TEST(HostileInput, RandomKvAndJsonPayloadsNeverCrash) {
  std::mt19937 rng(20260301);
  SourceMapping kv = kv_source("kv");
  kv.match.app_name = "kv";
  kv.fields = {{event::FieldId::result_count, "b", ""},
               {event::FieldId::event_time, "a", "epoch_ms"}};
  SourceMapping kv_pipe = kv_source("kv-pipe");
  kv_pipe.match.app_name = "pipe";
  kv_pipe.kv_pair_separator = '|';
  SourceMapping json = json_source("json");
  json.match.app_name = "json";
  json.kind = std::nullopt;
  SourceMapping mail = kv_source("mail");
  mail.match.app_name = "mail";
  mail.kind = event::Kind::email;
  mail.fields = {{event::FieldId::email_from, "a", ""}, {event::FieldId::email_to, "b", ""}};
  Decoder decoder({kv, kv_pipe, json, mail}, nullptr);
  std::vector<event::Event> out;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(rng, kAlphabet, 80);
    for (const std::string_view app : {"kv", "pipe", "json", "mail"}) {
      out.clear();
      expect_clean_outcome(decoder.decode_into(text_message(text, app), kReceived, out));
    }
    const std::string object = "{\"user.id\":\"x\",\"event.kind\":\"access\"," + text + "}";
    out.clear();
    expect_clean_outcome(decoder.decode_into(text_message(object, "json"), kReceived, out));
  }
}

TEST(HostileInput, RandomSdParamsNeverCrash) {
  std::mt19937 rng(5424);
  Decoder decoder(default_sources(), nullptr);
  std::vector<event::Event> out;
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::string> texts;
    for (int k = 0; k < 8; ++k) texts.push_back(random_text(rng, kAlphabet, 24));
    auto msg = sd_message(i % 2 ? "access@32473" : "email@32473", {});
    static constexpr std::string_view kNames[] = {"user.id",      "email.from", "email.to",
                                                  "result.count", "event.time", "x"};
    for (int k = 0; k < 8; ++k)
      msg.structured_data[0].params.push_back({kNames[(i + k) % 6], texts[k], k % 2 == 0});
    out.clear();
    expect_clean_outcome(decoder.decode_into(msg, kReceived, out));
  }
}

}  // namespace
}  // namespace probity::decode
