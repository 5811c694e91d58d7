// The alert files are created 0640 by their own open(), not by the umask's grace: even
// under umask 0 (a careless launcher) neither the JSONL log nor the mailbox is readable
// by other accounts.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "alerts/alerts.h"
#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace std::chrono_literals;

using probity::testing::mode_of;
using probity::testing::ScopedUmask;

TEST(AlertFileModes, JsonlLogAndMailboxAreCreated0640EvenUnderUmaskZero) {
  probity::testing::TempDir tmp("probity-alert-modes");
  auto store = state::Store::open({.dir = tmp / "state"});
  ASSERT_TRUE(store) << store.error().message;
  const ScopedUmask open_umask(0);
  alerts::AlertConfig c;
  c.jsonl_path = tmp / "alerts.jsonl";
  c.email.to = "psd@force.example";
  c.email.from = "probity@localhost";
  c.email.mailbox_path = tmp / "mailbox";
  alerts::AlertCounters counters;
  alerts::AlertPipeline pipeline(**store, c, counters);
  ASSERT_TRUE(pipeline.start());
  alerts::Alert a;
  a.rule_id = "r";
  a.title = "t";
  a.severity = "high";
  a.event_time = *event::parse_time("2026-11-24T19:59:58Z");
  ASSERT_TRUE(pipeline.raise(a));
  ASSERT_TRUE(probity::testing::wait_until([&] { return counters.sent == 1; }, 5s));
  pipeline.stop();
  EXPECT_EQ(mode_of(c.jsonl_path), 0640u);
  EXPECT_EQ(mode_of(c.email.mailbox_path), 0640u);
}
