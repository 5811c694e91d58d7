// read_ahead: every entry, in order, byte for byte; the scan's error after what preceded it;
// the reader held to its few chunks ahead; and stopped and joined when the caller throws.
#include "base/read_ahead.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace probity {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

// A scan over `entries`, counting in `produced` what it handed out.
EntryScan scan_of(const Entries& entries, std::atomic<std::size_t>& produced) {
  return [&entries, &produced](const auto& entry) -> Result<void> {
    for (const auto& [k, v] : entries) {
      ++produced;
      if (!entry(k, v)) break;
    }
    return {};
  };
}

TEST(ReadAhead, HandsOverEveryEntryInOrderAcrossChunks) {
  Entries entries{{"", ""}, {"a", ""}, {"", "b"}, {std::string(5000, 'k'), std::string(9000, 'v')}};
  for (int i = 0; i < 1000; ++i)
    entries.emplace_back("key" + std::to_string(i),
                         std::string(static_cast<std::size_t>(i % 37), 'x'));
  entries.emplace_back(std::string("nul\0key", 7), std::string("\0", 1));
  std::atomic<std::size_t> produced = 0;
  Entries seen;
  auto read = read_ahead(
      scan_of(entries, produced),
      [&](std::string_view k, std::string_view v) { seen.emplace_back(k, v); },
      /*chunk_bytes=*/256, /*chunks=*/2);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(seen, entries);
}

TEST(ReadAhead, ReturnsTheScansErrorAfterTheEntriesBeforeIt) {
  const EntryScan failing = [](const auto& entry) -> Result<void> {
    entry("one", "1");
    entry("two", "2");
    return fail("state.read", "the disk went away");
  };
  Entries seen;
  auto read =
      read_ahead(failing, [&](std::string_view k, std::string_view v) { seen.emplace_back(k, v); });
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, "state.read");
  EXPECT_EQ(seen, (Entries{{"one", "1"}, {"two", "2"}}));
}

TEST(ReadAhead, TheReaderStaysAFewChunksAheadOfTheCaller) {
  // One entry fills a chunk: the reader may hold `chunks` queued, one being filled and the
  // one the caller works through, never more.
  const Entries entries(500, {"key", "value"});
  std::atomic<std::size_t> produced = 0;
  std::size_t consumed = 0, most_ahead = 0;
  auto read = read_ahead(
      scan_of(entries, produced),
      [&](std::string_view, std::string_view) {
        ++consumed;
        most_ahead = std::max(most_ahead, produced.load() - consumed);
        std::this_thread::yield();
      },
      /*chunk_bytes=*/1, /*chunks=*/3);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(consumed, entries.size());
  EXPECT_LE(most_ahead, 3u + 1u);
}

TEST(ReadAhead, ACallerThatThrowsStopsTheReader) {
  const Entries entries(100000, {"key", "value"});
  std::atomic<std::size_t> produced = 0;
  EXPECT_THROW(read_ahead(
                   scan_of(entries, produced),
                   [](std::string_view, std::string_view) {
                     throw std::runtime_error("cannot take this entry");
                   },
                   /*chunk_bytes=*/64, /*chunks=*/2),
               std::runtime_error);
  // The reader has been joined: nothing moves any more, and it stopped well short.
  const std::size_t after = produced.load();
  EXPECT_LT(after, entries.size());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(produced.load(), after);
}

}  // namespace
}  // namespace probity
