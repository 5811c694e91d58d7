// Gateway assembly is bounded by bytes, not only by message count: deliveries whose sender
// line never comes (a hostile or broken sender) cannot hold more than max_bytes, and what
// is pushed out is emitted and counted. Asserts the assembler's own accounting, not RSS.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "decode/assembler.h"
#include "gateway_harness.h"

namespace probity::decode::testing {
namespace {

std::string delivery_line(std::size_t i, std::size_t reply_bytes) {
  char qid[16];
  std::snprintf(qid, sizeof qid, "%010zX", i);
  return "Mar  1 11:00:02 mx1 postfix/smtp[1003]: " + std::string(qid) +
         ": to=<newsdesk@paper.example>, relay=mx.paper.example[203.0.113.5]:25, delay=1.2, "
         "delays=0.1/0.01/0.5/0.6, dsn=2.0.0, status=sent (250 " +
         std::string(reply_bytes, 'x') + ")";
}

// The smallest message OpenMessages can hold.
struct MessageBytes {
  std::string text;
  std::size_t bytes() const { return held_bytes(text); }
};

}  // namespace

TEST(AssemblyBudget, PostfixDeliveriesWithoutSendersStayUnderTheByteBudget) {
  SourceMapping source = default_source("postfix");
  ASSERT_EQ(source.assembly.max_bytes, std::size_t{64} << 20);  // the default
  DecodeCounters counters;
  auto assembler = make_postfix_assembler(source, &counters);
  std::vector<AssembledRecord> out;
  std::size_t fed = 0, lines = 0, peak = 0;
  // 200 MB of delivery lines, each a new queue id with an 8 KB reply and no qmgr line.
  while (fed < std::size_t{200} << 20) {
    const std::string text = delivery_line(lines++, 8000);
    const auto msg = syslog::parse_syslog(text);
    ASSERT_TRUE(msg);
    ASSERT_TRUE(assembler->feed(*msg, kReceived, out));
    fed += text.size();
    peak = std::max(peak, assembler->held_bytes());
    out.clear();
  }
  EXPECT_LE(peak, source.assembly.max_bytes + (std::size_t{16} << 10));  // + the one just fed
  EXPECT_GT(peak, source.assembly.max_bytes / 2);  // the budget, not max_open, was the bound
  EXPECT_LT(assembler->open_messages(), source.assembly.max_open);
  EXPECT_GT(counters.evicted_bytes.load(), lines / 3);
  EXPECT_EQ(counters.evicted_capacity.load(), 0u);
  EXPECT_EQ(counters.evicted_bytes.load() + assembler->open_messages(), lines);
}

TEST(AssemblyBudget, EvictedDeliveriesAreEmittedWithTheirReplyCut) {
  SourceMapping source = default_source("postfix");
  source.assembly.max_bytes = 64 << 10;
  DecodeCounters counters;
  auto assembler = make_postfix_assembler(source, &counters);
  std::vector<AssembledRecord> out;
  for (std::size_t i = 0; i < 100; ++i) {
    const std::string text = delivery_line(i, 100'000);
    const auto msg = syslog::parse_syslog(text);
    ASSERT_TRUE(msg);
    ASSERT_TRUE(assembler->feed(*msg, kReceived, out));
  }
  EXPECT_LE(assembler->held_bytes(), source.assembly.max_bytes + (std::size_t{16} << 10));
  ASSERT_FALSE(out.empty());  // pushed out early, as at the timeout: what is known is emitted
  EXPECT_EQ(out.size(), counters.evicted_bytes.load());
  const auto& payload = out.front().payload;
  const auto reply = std::find_if(payload.begin(), payload.end(),
                                  [](const PayloadField& f) { return f.name == "reply"; });
  ASSERT_NE(reply, payload.end());
  EXPECT_EQ(reply->value.size(), kMaxHeldValueBytes);
}

TEST(AssemblyBudget, AHugeMessageIdCostsNoMoreThanTheKeyCap) {
  OpenMessages<MessageBytes> open(AssemblyLimits{});
  const std::string huge(1 << 20, 'm');
  open.open(huge, kReceived, [](MessageBytes&&, Evicted) {});
  EXPECT_LT(open.bytes(), kMaxAssemblyKeyBytes + 512);
  EXPECT_NE(open.find(huge, kReceived), nullptr);  // the same id finds the same message
  std::string other = huge;
  other.back() = 'n';  // same first 239 bytes, different id
  EXPECT_EQ(open.find(other, kReceived), nullptr);
  EXPECT_TRUE(open.close(huge));
  EXPECT_EQ(open.bytes(), 0u);
}

}  // namespace probity::decode::testing
