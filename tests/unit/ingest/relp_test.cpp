// RELP framing and the server session: frames split however the stream is chunked, hostile
// headers refused, oversized messages skipped yet answered, and "200 OK" only after the
// sink made the read's messages durable.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ingest/relp_frame.h"
#include "ingest/relp_session.h"

namespace probity::ingest {
namespace {

constexpr std::string_view kOpen =
    "1 open 86 relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\n"
    "commands=syslog\n";

std::vector<RelpFrame> all(RelpFrameDecoder& d) {
  std::vector<RelpFrame> out;
  for (RelpFrame f = d.next(); f.status != RelpStatus::need_more; f = d.next()) {
    out.push_back(f);
    if (f.status == RelpStatus::bad_frame) break;
  }
  return out;
}

TEST(RelpFrame, ReadsOpenSyslogAndCloseEvenByteByByte) {
  const std::string stream = std::string(kOpen) + "2 syslog 5 hello\n3 close 0\n";
  for (const std::size_t chunk : {stream.size(), std::size_t{1}, std::size_t{7}}) {
    RelpFrameDecoder d(1024);
    std::vector<std::tuple<std::uint32_t, std::string, std::string>> seen;
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
      d.feed(std::string_view(stream).substr(at, chunk));
      for (const auto& f : all(d)) {
        ASSERT_EQ(f.status, RelpStatus::frame);
        seen.emplace_back(f.txnr, std::string(f.command), std::string(f.data));
      }
    }
    ASSERT_EQ(seen.size(), 3u) << "chunk " << chunk;
    EXPECT_EQ(std::get<1>(seen[0]), "open");
    EXPECT_EQ(std::get<2>(seen[1]), "hello");
    EXPECT_EQ(std::get<0>(seen[2]), 3u);
    EXPECT_EQ(std::get<1>(seen[2]), "close");
    EXPECT_EQ(d.buffered(), 0u);
  }
}

TEST(RelpFrame, RefusesHeadersThatAreNotRelp) {
  for (const std::string& bad : std::vector<std::string>{
           "x syslog 1 a\n", "1234567890 syslog 1 a\n", "1 sys-log 1 a\n", "1 syslog 1x a\n",
           "1 syslog 3 abcd\n", "1 syslog 0 x\n", "1 " + std::string(33, 'a') + " 1 a\n"}) {
    RelpFrameDecoder d(1024);
    d.feed(bad);
    const auto frames = all(d);
    ASSERT_EQ(frames.size(), 1u) << bad;
    EXPECT_EQ(frames[0].status, RelpStatus::bad_frame) << bad;
    EXPECT_FALSE(frames[0].problem.empty());
  }
}

TEST(RelpFrame, SkipsAnOversizedFrameWithoutHoldingIt) {
  RelpFrameDecoder d(16);
  const std::string big(100'000, 'x');
  d.feed("7 syslog 100000 " + big.substr(0, 10));
  auto frames = all(d);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].status, RelpStatus::too_long);
  EXPECT_EQ(frames[0].txnr, 7u);
  EXPECT_EQ(frames[0].length, 100'000u);
  d.feed(big.substr(10));
  EXPECT_EQ(d.buffered(), 0u);
  d.feed("\n8 syslog 2 ok\n");
  frames = all(d);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].txnr, 8u);
  EXPECT_EQ(frames[0].data, "ok");
}

TEST(RelpFrame, ResponsesCountTheirDataLength) {
  EXPECT_EQ(relp_response(5, "200 OK"), "5 rsp 6 200 OK\n");
  EXPECT_EQ(relp_response(1, "200 OK", "commands=syslog"), "1 rsp 22 200 OK\ncommands=syslog\n");
}

/// A sink that records what it was given and whether it was asked to make it durable.
struct RecordingSink final : MessageSink {
  std::vector<std::string> messages;
  std::vector<bool> may_be_resent;
  int durable_calls = 0;
  bool durable = true;
  void on_message(std::string_view m, std::string_view) override { messages.emplace_back(m); }
  void on_acknowledged_message(std::string_view m, std::string_view, bool resent) override {
    messages.emplace_back(m);
    may_be_resent.push_back(resent);
  }
  bool make_durable() override {
    ++durable_calls;
    return durable;
  }
};

TEST(RelpSession, AnswersOpenThenAcknowledgesMessagesAfterMakingThemDurable) {
  RecordingSink sink;
  IngestCounters counters;
  RelpSession session("relp", "127.0.0.1:1", 1024, sink, counters);
  std::string out;
  ASSERT_TRUE(session.on_bytes(kOpen, out));
  EXPECT_TRUE(out.starts_with("1 rsp ")) << out;
  EXPECT_NE(out.find("200 OK\n"), std::string::npos) << out;
  EXPECT_NE(out.find("commands=syslog"), std::string::npos) << out;
  EXPECT_EQ(sink.durable_calls, 0);  // nothing to make durable yet
  out.clear();
  ASSERT_TRUE(session.on_bytes("2 syslog 3 one\n3 syslog 3 two\n", out));
  EXPECT_EQ(out, "2 rsp 6 200 OK\n3 rsp 6 200 OK\n");
  EXPECT_EQ(sink.durable_calls, 1);  // one sync per read, not per message
  EXPECT_EQ(sink.messages, (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(sink.may_be_resent[0]);  // early in a session
  EXPECT_EQ(counters.relp_acknowledged, 2u);
  out.clear();
  EXPECT_FALSE(session.on_bytes("4 close 0\n", out));
  EXPECT_EQ(out, "4 rsp 6 200 OK\n");
}

TEST(RelpSession, MessagesNotMadeDurableAreRefusedSoTheSenderResends) {
  RecordingSink sink;
  sink.durable = false;
  IngestCounters counters;
  RelpSession session("relp", "peer", 1024, sink, counters);
  std::string out;
  ASSERT_TRUE(session.on_bytes(kOpen, out));
  out.clear();
  EXPECT_FALSE(session.on_bytes("2 syslog 3 one\n", out));
  EXPECT_TRUE(out.starts_with("2 rsp ")) << out;
  EXPECT_NE(out.find(" 500 "), std::string::npos) << out;
  EXPECT_EQ(counters.relp_refused, 1u);
  EXPECT_EQ(counters.relp_acknowledged, 0u);
}

TEST(RelpSession, RefusesMessagesBeforeOpenAndSessionsWithoutSyslog) {
  RecordingSink sink;
  IngestCounters counters;
  std::string out;
  RelpSession early("relp", "peer", 1024, sink, counters);
  EXPECT_FALSE(early.on_bytes("1 syslog 3 one\n", out));
  EXPECT_NE(out.find("500"), std::string::npos);
  EXPECT_TRUE(sink.messages.empty());
  out.clear();
  RelpSession no_syslog("relp", "peer", 1024, sink, counters);
  EXPECT_FALSE(no_syslog.on_bytes("1 open 24 relp_version=0\ncommands=\n", out));
  EXPECT_NE(out.find("500"), std::string::npos) << out;
  out.clear();
  RelpSession broken("relp", "peer", 1024, sink, counters);
  ASSERT_TRUE(broken.on_bytes(kOpen, out));
  EXPECT_FALSE(broken.on_bytes("2 syslog x\n", out));
  EXPECT_GE(counters.relp_protocol_errors, 2u);
}

TEST(RelpSession, AnOversizedMessageIsSkippedButAnsweredSoTheSenderMovesOn) {
  RecordingSink sink;
  IngestCounters counters;
  RelpSession session("relp", "peer", 8, sink, counters);
  std::string out;
  ASSERT_TRUE(session.on_bytes(kOpen, out));
  out.clear();
  ASSERT_TRUE(session.on_bytes("2 syslog 12 twelve bytes\n3 syslog 2 ok\n", out));
  EXPECT_EQ(out, "2 rsp 6 200 OK\n3 rsp 6 200 OK\n");
  EXPECT_EQ(sink.messages, (std::vector<std::string>{"ok"}));
  EXPECT_EQ(counters.rejected_too_long, 1u);
}

TEST(RelpSession, UnknownCommandsGet500AndTheSessionGoesOn) {
  RecordingSink sink;
  IngestCounters counters;
  RelpSession session("relp", "peer", 1024, sink, counters);
  std::string out;
  ASSERT_TRUE(session.on_bytes(kOpen, out));
  out.clear();
  EXPECT_TRUE(session.on_bytes("2 starttls 0\n", out));
  EXPECT_TRUE(out.starts_with("2 rsp ")) << out;
  EXPECT_NE(out.find("500"), std::string::npos);
}

}  // namespace
}  // namespace probity::ingest
