// FrameDecoder (RFC 6587) against go-syslog's framing streams, plus the behaviours a TCP
// listener relies on: arbitrary chunk boundaries, mixed framings, oversized and broken
// frames that are skipped without buffering, and linear cost on many small frames.
#include "ingest/framing.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "syslog/syslog.h"
#include "unit/syslog/vectors.h"

namespace probity::ingest {
namespace {

using test_vectors::json;

/// What the decoder produced, with the bytes copied (frame views die on the next call).
struct Outcome {
  FrameStatus status;
  std::string bytes;
  std::size_t claimed = 0;
  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& o, std::ostream* os) {
  static constexpr const char* kNames[] = {"frame", "need_more", "too_long", "bad_frame"};
  *os << kNames[static_cast<int>(o.status)] << "(" << test_vectors::dump(json(o.bytes)) << ", "
      << o.claimed << ")";
}

std::vector<Outcome> drain(FrameDecoder& d, bool at_end) {
  std::vector<Outcome> out;
  for (;;) {
    const Frame f = at_end ? d.finish() : d.next();
    if (f.status == FrameStatus::need_more) return out;
    out.push_back({f.status, std::string(f.bytes), f.claimed_length});
  }
}

/// Feeds `stream` in chunks of the sizes `chunk_size()` returns, then finishes.
template <class ChunkSize>
std::vector<Outcome> decode(std::string_view stream, std::size_t max, ChunkSize chunk_size) {
  FrameDecoder d(max);
  std::vector<Outcome> out;
  while (!stream.empty()) {
    const std::size_t n = std::min(stream.size(), chunk_size());
    d.feed(stream.substr(0, n));
    stream.remove_prefix(n);
    for (auto& o : drain(d, false)) out.push_back(std::move(o));
  }
  for (auto& o : drain(d, true)) out.push_back(std::move(o));
  return out;
}

std::vector<Outcome> decode_whole(std::string_view stream, std::size_t max = 8192) {
  return decode(stream, max, [&] { return stream.size(); });
}

std::vector<Outcome> decode_bytewise(std::string_view stream, std::size_t max = 8192) {
  return decode(stream, max, [] { return std::size_t{1}; });
}

Outcome frame(std::string bytes) { return {FrameStatus::frame, std::move(bytes), 0}; }

// ---- the peers' streams --------------------------------------------------------------------

/// How we answer each go-syslog framing result (README.md, "Framing"): the expected kind of
/// outcome, or `none` for the peer's "nothing at all" error on an empty stream.
enum class Want { message, parse_error, too_long, bad_frame, none };

Want want_for(const json& result) {
  const std::string error = result.at("error").is_null() ? "" : result["error"].get<std::string>();
  if (error.empty() || error == "unexpected EOF") return Want::message;
  if (error.find("message too long") != std::string::npos) return Want::too_long;
  if (error == "found EOF, expecting a MSGLEN") return Want::none;
  if (error.find("expecting a WS") != std::string::npos) return Want::bad_frame;
  if (error.find("expecting a SYSLOGMSG containing") != std::string::npos) return Want::bad_frame;
  // "found ILLEGAL(x)/found WS, expecting a MSGLEN": per-frame auto-detection reads a frame
  // that does not start with a digit as non-transparent, and the parser rejects it.
  return Want::parse_error;
}

class FramingVectors : public ::testing::TestWithParam<test_vectors::Record> {};

TEST_P(FramingVectors, MatchesPeer) {
  const json& r = GetParam().data;
  const std::string input = r.at("input").get<std::string>();
  const std::size_t max = r.value("max_message_length", std::size_t{8192});

  // go-syslog's strict parser stops at the first error; we carry on, as its best-effort mode
  // does, so past the strict list the best-effort results say what comes next.
  const json& strict = r.at("results");
  const json& best_effort = r.at("best_effort_results");
  std::vector<const json*> wanted;
  for (std::size_t k = 0; k < std::max(strict.size(), best_effort.size()); ++k) {
    const json& w = k < strict.size() ? strict[k] : best_effort[k];
    if (want_for(w) != Want::none) wanted.push_back(&w);
  }

  const auto got = decode_whole(input, max);
  ASSERT_EQ(got.size(), wanted.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    SCOPED_TRACE("result " + std::to_string(k));
    const json& w = *wanted[k];
    switch (want_for(w)) {
      case Want::message: {
        ASSERT_EQ(got[k].status, FrameStatus::frame);
        const auto m = syslog::parse_rfc5424(got[k].bytes);
        ASSERT_TRUE(m.has_value()) << m.error().message;
        EXPECT_EQ(test_vectors::compare_message(*m, w.at("message")), "");
        break;
      }
      case Want::parse_error:
        ASSERT_EQ(got[k].status, FrameStatus::frame);
        EXPECT_FALSE(syslog::parse_rfc5424(got[k].bytes).has_value()) << got[k].bytes;
        break;
      case Want::too_long:
        EXPECT_EQ(got[k].status, FrameStatus::too_long);
        break;
      case Want::bad_frame:
        EXPECT_EQ(got[k].status, FrameStatus::bad_frame);
        break;
      case Want::none:
        break;
    }
  }
  // The same stream fed a byte at a time, or in random chunks, decodes the same.
  EXPECT_EQ(decode_bytewise(input, max), got);
  std::mt19937 rng(GetParam().index);
  EXPECT_EQ(decode(input, max, [&] { return std::size_t{1} + rng() % 97; }), got);
}

std::string name_of(const ::testing::TestParamInfo<test_vectors::Record>& info) {
  const std::string source = info.param.data.value("source", "");
  const std::string framing = info.param.data.value("framing", "");
  return "n" + std::to_string(info.param.index) + "_" +
         test_vectors::sanitize(framing + "_" + source.substr(source.rfind("TestParse/") + 10));
}

INSTANTIATE_TEST_SUITE_P(Conformance, FramingVectors,
                         ::testing::ValuesIn(test_vectors::load_jsonl("framing.jsonl")), name_of);

TEST(FramingConformance, VectorFileIsPresentAndComplete) {
  EXPECT_EQ(test_vectors::load_jsonl("framing.jsonl").size(), 25u)
      << test_vectors::conformance_path("framing.jsonl");
}

// ---- behaviour -----------------------------------------------------------------------------

TEST(FrameDecoder, SplitsFramesFedOneByteAtATime) {
  const std::string stream = "16 <1>1 - - - - - -<2>1 - - - - - -\n18 <3>1 - - - - - - x";
  const std::vector<Outcome> want = {frame("<1>1 - - - - - -"), frame("<2>1 - - - - - -"),
                                     frame("<3>1 - - - - - - x")};
  EXPECT_EQ(decode_bytewise(stream), want);
  EXPECT_EQ(decode_whole(stream), want);
}

TEST(FrameDecoder, DetectsTheFramingOfEachFrame) {
  using namespace std::string_literals;
  const std::string stream =
      "<1>1 - - - - - - lf\n"
      "19 <2>1 - - - - - - oc"
      "<3>Oct 11 22:14:15 h t: bsd\r\n"
      "5 hello"
      "<4>nul\0"
      "6 world!"
      "\n"s;  // a stray LF after an octet-counted frame, as some senders add
  const std::string_view view(stream);
  const std::vector<Outcome> want = {frame("<1>1 - - - - - - lf"),
                                     frame("<2>1 - - - - - - oc"),
                                     frame("<3>Oct 11 22:14:15 h t: bsd"),
                                     frame("hello"),
                                     frame("<4>nul"),
                                     frame("world!")};
  EXPECT_EQ(decode_whole(view), want);
  EXPECT_EQ(decode_bytewise(view), want);
}

TEST(FrameDecoder, SkipsEmptyLinesSilently) {
  const std::vector<Outcome> want = {frame("a"), frame("b")};
  EXPECT_EQ(decode_whole(std::string_view("\n\r\n\0a\n\n\nb\r\n\r\n", 14)), want);
}

TEST(FrameDecoder, StripsOnlyTheCrOfCrLf) {
  EXPECT_EQ(decode_whole("a\rb\r\n"), std::vector<Outcome>{frame("a\rb")});
  EXPECT_EQ(decode_whole("x\r\r\n"), std::vector<Outcome>{frame("x\r")});
}

TEST(FrameDecoder, FinishYieldsAFinalUnterminatedFrame) {
  FrameDecoder d;
  d.feed("<1>1 - - - - - - first\n<2>1 - - - - - - last");
  EXPECT_EQ(d.next().bytes, "<1>1 - - - - - - first");
  EXPECT_EQ(d.next().status, FrameStatus::need_more);
  const Frame last = d.finish();
  EXPECT_EQ(last.status, FrameStatus::frame);
  EXPECT_EQ(last.bytes, "<2>1 - - - - - - last");
  EXPECT_EQ(d.finish().status, FrameStatus::need_more);
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(FrameDecoder, FinishReportsAStreamThatEndsInsideAnOctetCountedFrame) {
  FrameDecoder d;
  d.feed("16 <1>1");
  EXPECT_EQ(d.next().status, FrameStatus::need_more);
  const Frame cut = d.finish();
  EXPECT_EQ(cut.status, FrameStatus::bad_frame);
  EXPECT_EQ(cut.bytes, "<1>1");
  EXPECT_EQ(cut.claimed_length, 16u);
  EXPECT_EQ(decode_whole("12").at(0).status, FrameStatus::bad_frame);
}

TEST(FrameDecoder, SkipsAnOversizedOctetCountedFrameWithoutBufferingIt) {
  FrameDecoder d(100);
  d.feed("5000 ");
  const Frame f = d.next();
  EXPECT_EQ(f.status, FrameStatus::too_long);
  EXPECT_EQ(f.claimed_length, 5000u);
  const std::string junk(999, 'j');
  for (int k = 0; k < 5; ++k) {
    d.feed(junk);
    EXPECT_EQ(d.next().status, FrameStatus::need_more);
    EXPECT_EQ(d.buffered(), 0u);
  }
  d.feed("jjjjj4 next");  // the last 5 bytes of the big frame, then a good one
  EXPECT_EQ(d.next().bytes, "next");
}

TEST(FrameDecoder, SkipsAnOversizedLfFrameToTheNextLf) {
  FrameDecoder d(100);
  const std::string big(1000, 'x');
  for (std::size_t k = 0; k < big.size(); k += 70) {
    d.feed(std::string_view(big).substr(k, 70));
    for (Frame f = d.next(); f.status != FrameStatus::need_more; f = d.next()) {
      EXPECT_EQ(f.status, FrameStatus::too_long);
      EXPECT_EQ(f.claimed_length, 101u);
    }
    EXPECT_LE(d.buffered(), 102u + 70u);
  }
  d.feed("tail\n<1>ok\n");
  EXPECT_EQ(d.next().bytes, "<1>ok");
  // A frame exactly at the limit passes, with or without CR; one byte more does not.
  const std::string at_limit(100, 'a');
  EXPECT_EQ(decode_whole(at_limit + "\r\n", 100), std::vector<Outcome>{frame(at_limit)});
  EXPECT_EQ(decode_whole(at_limit + "b\n", 100).at(0).status, FrameStatus::too_long);
  EXPECT_EQ(decode_whole(at_limit + "b", 100).at(0).status, FrameStatus::too_long);
}

TEST(FrameDecoder, HandlesAHugeClaimedLength) {
  FrameDecoder d(64 * 1024);
  d.feed("999999999 <1>1 - - - - - -");
  const Frame f = d.next();
  EXPECT_EQ(f.status, FrameStatus::too_long);
  EXPECT_EQ(f.claimed_length, 999999999u);
  EXPECT_EQ(d.next().status, FrameStatus::need_more);
  EXPECT_EQ(d.buffered(), 0u);
  // More than 9 digits is not a length we would ever honour: a broken frame, resync at LF.
  const auto out = decode_whole("12345678901 <1>1 - - - - - -\n<2>1 - - - - - -\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].status, FrameStatus::bad_frame);
  EXPECT_EQ(out[1], frame("<2>1 - - - - - -"));
}

TEST(FrameDecoder, ReportsANonNumericCountAndSkipsToTheNextLf) {
  const std::vector<Outcome> want = {{FrameStatus::bad_frame, "12", 0}, frame("<2>1 ok")};
  EXPECT_EQ(decode_whole("12ab <1>1 lost\n<2>1 ok\n"), want);
  EXPECT_EQ(decode_bytewise("12ab <1>1 lost\n<2>1 ok\n"), want);
  EXPECT_EQ(decode_whole("0 x\n5 hello").at(0).status, FrameStatus::bad_frame);
  EXPECT_EQ(decode_whole("05 hello\n").at(0).status, FrameStatus::bad_frame);
}

TEST(FrameDecoder, StaysLinearOnManySmallFrames) {
  std::string stream;
  for (int k = 0; k < 300000; ++k) stream += k % 2 ? "3 abc" : "xyz\n";
  const auto start = std::chrono::steady_clock::now();
  FrameDecoder d;
  d.feed(stream);
  std::size_t frames = 0;
  while (d.next().status == FrameStatus::frame) ++frames;
  // A big frame arriving a byte at a time must not be rescanned from its start each time.
  const std::string big(60000, 'b');
  for (const char c : big) {
    d.feed(std::string_view(&c, 1));
    EXPECT_EQ(d.next().status, FrameStatus::need_more);
  }
  d.feed("\n");
  EXPECT_EQ(d.next().bytes.size(), big.size());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(frames, 300000u);
  // Linear work is a few milliseconds; quadratic work would take minutes.
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(FrameDecoder, SurvivesRandomStreamsTheSameWayInAnyChunking) {
  std::mt19937 rng(6587);
  static constexpr char kAlphabet[] = {'1', '2', '0', '9', ' ', '\n', '\r', '\0', '<', 'a', 'x'};
  for (int round = 0; round < 3000; ++round) {
    std::string stream(rng() % 200, '\0');
    for (char& c : stream) {
      c = rng() % 4 ? kAlphabet[rng() % sizeof(kAlphabet)] : static_cast<char>(rng() & 0xFF);
    }
    const std::size_t max = 1 + rng() % 40;
    const auto whole = decode_whole(stream, max);
    for (const Outcome& o : whole) {
      if (o.status == FrameStatus::frame) {
        EXPECT_LE(o.bytes.size(), max);
        EXPECT_FALSE(o.bytes.empty());
      }
    }
    EXPECT_EQ(decode_bytewise(stream, max), whole) << "round " << round;
  }
}

}  // namespace
}  // namespace probity::ingest
