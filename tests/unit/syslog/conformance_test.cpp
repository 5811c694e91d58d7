// Runs every message vector in shared/conformance/syslog (rfc5424, rfc3164, lenient) through
// our parsers, one gtest per vector. Where our documented policy differs from the peer, the
// deviation table below says what we produce instead and why (also in README.md here).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "syslog/syslog.h"
#include "vectors.h"

namespace probity::syslog {
namespace {

using test_vectors::json;
using test_vectors::Record;

/// A vector whose peer expectation we deliberately do not follow. Either `reject_code` is
/// set (we reject the line with that code) or `patch` holds fields that replace the peer's
/// "expected" ones before comparing.
struct Deviation {
  std::string_view source;
  std::string_view reject_code;
  std::string_view patch;
  std::string_view reason;
};

constexpr Deviation kDeviations[] = {
    // rfc3164.jsonl
    {"FungusHumungus/syslog-loose:tests/tests.rs:parse_european_chars", "",
     R"({"appname": null, "message": "außerplanmäßig größenordnungsmäßig"})",
     "a TAG must end in ':' (go-syslog's rule), so a word without one stays in MSG"},
    {"FungusHumungus/syslog-loose:src/rfc3164.rs:tests::parse_3164_timestamp_host", "",
     R"({"hostname": null, "appname": "mymachine"})",
     "'word:' right after the TIMESTAMP is a TAG, as 'haproxy[1]:' is; a HOSTNAME ends in SP"},
    {"FungusHumungus/syslog-loose:src/rfc3164.rs:tests::parse_3164_3339_datetime_in_message", "",
     R"({"appname": null, "message": "apache_error [Tue Jun 08 11:54:08.929301 2021] )"
     R"([php7:emerg] [pid 1374899] [client 95.223.77.60:41888] rest of message"})",
     "a TAG must end in ':' (go-syslog's rule), so a word without one stays in MSG"},
    // lenient.jsonl
    {"FungusHumungus/syslog-loose:tests/tests.rs:parse_5424_multiple_structured_data",
     "syslog.bad_sd_param", "", "RFC 5424 is strict: SP after '=' breaks §6.3.3"},
    {"FungusHumungus/syslog-loose:tests/tests.rs:parse_invalid_message", "syslog.not_syslog", "",
     "no PRI and no TIMESTAMP: not syslog; the caller keeps the raw line with the error"},
    {"FungusHumungus/syslog-loose:tests/tests.rs:handles_incorrect_sd_element",
     "syslog.bad_sd_param", "", "RFC 5424 is strict: a malformed SD-ELEMENT is an error"},
    {"FungusHumungus/syslog-loose:tests/tests.rs:parse_missing_pri", "",
     R"({"pri": 13, "facility": 1, "severity": 5})",
     "SyslogMessage has no nil PRI; RFC 3164 §4.3.3 says to assume 13 (user.notice)"},
    {"FungusHumungus/syslog-loose:tests/tests.rs:parse_missing_pri_5424", "syslog.not_syslog", "",
     "a 5424 line without PRI is neither 5424 nor 3164 (it starts with neither '<' nor a date)"},
};

const Deviation* deviation_for(const json& record) {
  const std::string source = record.value("source", "");
  for (const Deviation& d : kDeviations) {
    if (d.source == source) return &d;
  }
  return nullptr;
}

std::string name_of(const ::testing::TestParamInfo<Record>& info) {
  const std::string source = info.param.data.value("source", "");
  const std::size_t colon = source.rfind(':');
  std::string index = std::to_string(info.param.index);
  index.insert(0, 3 - std::min<std::size_t>(3, index.size()), '0');
  return "n" + index + "_" + test_vectors::sanitize(source.substr(colon + 1));
}

/// Parses with `parse` and checks the outcome the vector (plus any deviation) asks for.
template <class Parse>
void check_record(const json& record, Parse parse) {
  const std::string input = test_vectors::input_bytes(record);
  const Result<SyslogMessage> got = parse(input);
  const Deviation* deviation = deviation_for(record);
  SCOPED_TRACE("input: " + test_vectors::dump(json(input)) +
               (deviation ? "\ndeviation: " + std::string(deviation->reason) : ""));

  bool want_valid = record.at("valid").get<bool>();
  if (deviation && !deviation->reject_code.empty()) want_valid = false;
  if (!want_valid) {
    ASSERT_FALSE(got.has_value()) << "accepted a line the vector rejects ("
                                  << record.value("error", "") << ")";
    EXPECT_EQ(got.error().code.rfind("syslog.", 0), 0u) << got.error().code;
    EXPECT_LE(got.error().pos.offset, input.size());
    EXPECT_FALSE(got.error().message.empty());
    if (deviation) {
      EXPECT_EQ(got.error().code, deviation->reject_code);
    }
    return;
  }
  ASSERT_TRUE(got.has_value()) << got.error().code << ": " << got.error().message;
  json expected = record.at("expected");
  if (deviation) {
    // Plain key replacement (not RFC 7386 merge-patch, where null would delete the key).
    const json patch = json::parse(deviation->patch);
    for (auto it = patch.begin(); it != patch.end(); ++it) expected[it.key()] = it.value();
  }
  EXPECT_EQ(test_vectors::compare_message(*got, expected), "");
}

class Rfc5424Vectors : public ::testing::TestWithParam<Record> {};
class Rfc3164Vectors : public ::testing::TestWithParam<Record> {};
class LenientVectors : public ::testing::TestWithParam<Record> {};

TEST_P(Rfc5424Vectors, MatchesPeer) {
  const json& record = GetParam().data;
  // Policy (rfc5424.cpp, README.md): go-syslog's nonCompliantMsgTestCases, a MSG that starts
  // with a BOM but is not UTF-8, are rejected as the vectors say, with their own code.
  const bool non_compliant_msg =
      record.value("note", "").find("invalid only when a MSG that starts with a UTF-8 BOM") !=
      std::string::npos;
  check_record(record, parse_rfc5424);
  if (non_compliant_msg) {
    const auto got = parse_rfc5424(test_vectors::input_bytes(record));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error().code, "syslog.bad_utf8");
  }
  // The dispatcher must send every valid 5424 line to the 5424 parser.
  if (record.at("valid").get<bool>()) {
    const auto dispatched = parse_syslog(test_vectors::input_bytes(record));
    ASSERT_TRUE(dispatched.has_value());
    EXPECT_EQ(dispatched->protocol, Protocol::rfc5424);
  }
}

TEST_P(Rfc3164Vectors, MatchesPeerOrDocumentedPolicy) {
  check_record(GetParam().data, parse_rfc3164);
  const auto dispatched = parse_syslog(test_vectors::input_bytes(GetParam().data));
  ASSERT_TRUE(dispatched.has_value());
  EXPECT_EQ(dispatched->protocol, Protocol::rfc3164);
}

TEST_P(LenientVectors, MatchesPeerOrDocumentedPolicy) {
  check_record(GetParam().data, parse_syslog);
}

INSTANTIATE_TEST_SUITE_P(Conformance, Rfc5424Vectors,
                         ::testing::ValuesIn(test_vectors::load_jsonl("rfc5424.jsonl")), name_of);
INSTANTIATE_TEST_SUITE_P(Conformance, Rfc3164Vectors,
                         ::testing::ValuesIn(test_vectors::load_jsonl("rfc3164.jsonl")), name_of);
INSTANTIATE_TEST_SUITE_P(Conformance, LenientVectors,
                         ::testing::ValuesIn(test_vectors::load_jsonl("lenient.jsonl")), name_of);

TEST(SyslogConformance, VectorFilesArePresentAndComplete) {
  // The vectors live beside the repository (../shared); a missing checkout must fail here
  // rather than leave the parameterised suites silently empty.
  EXPECT_EQ(test_vectors::load_jsonl("rfc5424.jsonl").size(), 220u)
      << test_vectors::conformance_path("rfc5424.jsonl");
  EXPECT_EQ(test_vectors::load_jsonl("rfc3164.jsonl").size(), 28u)
      << test_vectors::conformance_path("rfc3164.jsonl");
  EXPECT_EQ(test_vectors::load_jsonl("lenient.jsonl").size(), 7u)
      << test_vectors::conformance_path("lenient.jsonl");
}

TEST(SyslogConformance, EveryDeviationNamesAVector) {
  std::set<std::string> sources;
  for (const char* file : {"rfc3164.jsonl", "lenient.jsonl"}) {
    for (const Record& r : test_vectors::load_jsonl(file))
      sources.insert(r.data.value("source", ""));
  }
  for (const Deviation& d : kDeviations) {
    EXPECT_TRUE(sources.count(std::string(d.source))) << "stale deviation: " << d.source;
    EXPECT_NE(d.reject_code.empty(), d.patch.empty()) << d.source;
  }
}

}  // namespace
}  // namespace probity::syslog
