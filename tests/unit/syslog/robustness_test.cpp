// A deterministic poor man's fuzzer: thousands of mutated vectors and random byte strings
// through every parser. It asserts no crash, views that stay inside the input, and error
// offsets that stay inside it too. Not a substitute for a libFuzzer run, just a floor.
#include <gtest/gtest.h>

#include <random>

#include "syslog/syslog.h"
#include "vectors.h"

namespace probity::syslog {
namespace {

void check_views(const std::string& input, const Result<SyslogMessage>& got) {
  if (!got) {
    EXPECT_LE(got.error().pos.offset, input.size());
    EXPECT_FALSE(got.error().code.empty());
    return;
  }
  const auto inside = [&](std::string_view v) {
    return v.empty() ||
           (v.data() >= input.data() && v.data() + v.size() <= input.data() + input.size());
  };
  for (const auto* field : {&got->timestamp, &got->hostname, &got->app_name, &got->proc_id,
                            &got->msg_id, &got->message}) {
    if (*field) {
      EXPECT_TRUE(inside(**field));
    }
  }
  for (const auto& element : got->structured_data) {
    EXPECT_TRUE(inside(element.id));
    for (const auto& param : element.params) {
      EXPECT_TRUE(inside(param.name));
      EXPECT_TRUE(inside(param.value));
      EXPECT_LE(unescape_param_value(param.value).size(), param.value.size());
    }
  }
}

std::string mutate(std::string s, std::mt19937& rng) {
  static constexpr char kInteresting[] = {'<', '>', '[',    ']',    '"',    '\\',   '=',
                                          ' ', '-', ':',    '\n',   '\0',   'T',    'Z',
                                          '0', '9', '\xEF', '\xBB', '\xBF', '\xC0', '\xFF'};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < edits; ++k) {
    const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    const char c =
        rng() % 2 ? kInteresting[rng() % sizeof(kInteresting)] : static_cast<char>(rng() & 0xFF);
    switch (rng() % 4) {
      case 0:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
        break;
      case 1:
        if (at < s.size()) s.erase(at, 1);
        break;
      case 2:
        if (at < s.size()) s[at] = c;
        break;
      default:
        s.resize(at);
        break;
    }
  }
  return s;
}

TEST(SyslogRobustness, SurvivesMutatedAndRandomInput) {
  std::vector<std::string> seeds;
  for (const char* file : {"rfc5424.jsonl", "rfc3164.jsonl", "lenient.jsonl"}) {
    for (const auto& r : test_vectors::load_jsonl(file))
      seeds.push_back(test_vectors::input_bytes(r.data));
  }
  ASSERT_FALSE(seeds.empty()) << "no conformance vectors to mutate";
  std::mt19937 rng(20261124);
  int accepted = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string input;
    if (round % 5 == 4) {
      input.resize(rng() % 300);
      for (char& c : input) c = static_cast<char>(rng() & 0xFF);
      if (rng() % 2 && !input.empty()) input[0] = '<';
    } else {
      input = mutate(seeds[rng() % seeds.size()], rng);
    }
    const auto any = parse_syslog(input);
    check_views(input, any);
    check_views(input, parse_rfc5424(input));
    check_views(input, parse_rfc3164(input));
    accepted += any.has_value();
  }
  // Sanity: the mutations are mild enough that some lines still parse.
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace probity::syslog
