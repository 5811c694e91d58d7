// JsonlBacklog: a line per stored alert, once, whether append() or catch_up() writes it; and
// the marks read back one by one only when a catch-up may have taken some.
#include "alerts/jsonl_backlog.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "state/store.h"
#include "test_support.h"

using namespace probity;
using namespace probity::alerts;
using probity::testing::TempDir;

namespace {

struct Backlog {
  explicit Backlog(const TempDir& tmp)
      : store(std::move(state::Store::open({.dir = tmp / "state"}).value())),
        path(tmp / "alerts.jsonl"),
        sink(path),
        backlog(*store, sink, [](const Alert& a, const std::string&) { return "line " + a.id; }) {}

  /// Stores an alert with its mark, as the pipeline's batch does.
  void store_alert(const std::string& id) {
    Alert a;
    a.id = id;
    a.rule_id = "r";
    ASSERT_TRUE(store->write_batch(
        {{state::RuntimeTable::alerts, id, to_json(a)}, JsonlBacklog::mark_write(id)},
        /*sync=*/false));
  }
  std::size_t lines_of(const std::string& id) const {
    const std::string log = probity::testing::read_file(path);
    std::size_t n = 0;
    for (std::size_t at = log.find("line " + id + "\n"); at != std::string::npos;
         at = log.find("line " + id + "\n", at + 1))
      ++n;
    return n;
  }
  std::size_t marks() const {
    std::size_t n = 0;
    EXPECT_TRUE(store->scan(state::RuntimeTable::outbox, "jsonl:", [&](auto, auto) {
      ++n;
      return true;
    }));
    return n;
  }

  std::unique_ptr<state::Store> store;
  std::filesystem::path path;
  JsonlSink sink;
  JsonlBacklog backlog;
};

TEST(JsonlBacklog, ALineTakenByACatchUpBetweenStoreAndAppendIsNotWrittenTwice) {
  TempDir tmp("probity-jsonl");
  Backlog b(tmp);
  const auto before = b.backlog.catch_ups();
  b.store_alert("a1");
  ASSERT_TRUE(b.backlog.catch_up());  // the one-minute catch-up runs in between
  ASSERT_TRUE(b.backlog.append({{"a1", "line a1"}}, before));
  EXPECT_EQ(b.lines_of("a1"), 1u);
  EXPECT_EQ(b.marks(), 0u);
}

TEST(JsonlBacklog, WithNoCatchUpSinceTheMarksWereWrittenAppendWritesEachLineAndErasesItsMark) {
  TempDir tmp("probity-jsonl");
  Backlog b(tmp);
  ASSERT_TRUE(b.backlog.catch_up());  // an earlier catch-up, before these marks
  const auto before = b.backlog.catch_ups();
  b.store_alert("b1");
  b.store_alert("b2");
  ASSERT_TRUE(b.backlog.append({{"b1", "line b1"}, {"b2", "line b2"}}, before));
  EXPECT_EQ(b.lines_of("b1"), 1u);
  EXPECT_EQ(b.lines_of("b2"), 1u);
  EXPECT_EQ(b.marks(), 0u);
  // A later catch-up finds nothing left to write.
  EXPECT_EQ(b.backlog.catch_up().value(), 0u);
  EXPECT_EQ(b.lines_of("b1"), 1u);
}

}  // namespace
