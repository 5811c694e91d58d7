// The ingest journal in real files: records survive a reopen in order, a torn or damaged
// tail is skipped, trimming keeps the tail re-sends are checked against, records an older
// version kept in the state store move in once; the evaluated position is saved in the
// correlation checkpoint's batch (a real RocksDB store), and the daemon's sink evaluates
// after a restart exactly what was not evaluated and skips RELP re-sends.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <fstream>

#include "app/correlation_db.h"
#include "app/correlation_state.h"
#include "app/ingest_journal.h"
#include "app/journaling_sink.h"
#include "app/pipeline.h"
#include "app/store_journal.h"
#include "base/big_endian.h"
#include "decode/decode.h"
#include "state/store.h"
#include "test_support.h"

namespace probity::app {
namespace {

using probity::testing::TempDir;
using Micros = std::chrono::sys_time<std::chrono::microseconds>;

std::unique_ptr<state::Store> open_store(const TempDir& dir) {
  auto store = state::Store::open({.dir = dir.path() / "state"});
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

std::filesystem::path journal_dir(const TempDir& dir) { return dir.path() / "journal"; }

std::vector<std::filesystem::path> segment_files(const TempDir& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& entry : std::filesystem::directory_iterator(journal_dir(dir)))
    out.push_back(entry.path());
  std::ranges::sort(out);
  return out;
}

std::vector<std::pair<JournalSeq, std::string>> records(const IngestJournal& journal,
                                                        JournalSeq after) {
  std::vector<std::pair<JournalSeq, std::string>> out;
  auto ok = journal.read_after(
      after, [&](const JournalRecord& r) { out.emplace_back(r.seq, std::string(r.message)); });
  EXPECT_TRUE(ok) << ok.error().message;
  return out;
}

TEST(IngestJournal, RecordsSurviveAReopenInArrivalOrder) {
  TempDir dir("probity-journal");
  {
    auto journal = IngestJournal::open(journal_dir(dir));
    ASSERT_TRUE(journal) << journal.error().message;
    EXPECT_EQ(journal->last(), 0u);
    EXPECT_EQ(journal->append("one", "10.0.0.1:514", true, Micros(std::chrono::seconds(5))), 1u);
    EXPECT_EQ(journal->append("two", "10.0.0.1:514", false, Micros{}), 2u);
    ASSERT_TRUE(journal->sync());
  }
  auto journal = IngestJournal::open(journal_dir(dir));
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->last(), 2u);
  std::vector<JournalRecord> seen;
  std::vector<std::string> peers;
  ASSERT_TRUE(journal->read_after(0, [&](const JournalRecord& r) {
    seen.push_back(r);
    peers.emplace_back(r.peer);
  }));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].acknowledged);
  EXPECT_FALSE(seen[1].acknowledged);
  EXPECT_EQ(seen[0].received, Micros(std::chrono::seconds(5)));
  EXPECT_EQ(peers[0], "10.0.0.1:514");
  EXPECT_EQ(records(*journal, 1), (std::vector<std::pair<JournalSeq, std::string>>{{2, "two"}}));
  // Numbering goes on after the last record.
  EXPECT_EQ(journal->append("three", "p", false, Micros{}), 3u);
}

// CRC-32 as zlib (and Ethernet, and gzip) compute it, one bit at a time: the journal's
// checksums must stay these, or a journal written before an upgrade would read as damaged.
std::uint32_t reference_crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (const char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
  }
  return ~crc;
}

// The bytes of `v`, big-endian, as the record format has its integers.
template <class T>
std::string big_endian(T v) {
  std::string out(sizeof(T), '\0');
  put_big_endian(out.data(), v);
  return out;
}

TEST(IngestJournal, ASegmentInTheDocumentedFormatReadsBack) {
  ASSERT_EQ(reference_crc32("123456789"), 0xCBF43926u);  // the standard check value
  TempDir dir("probity-journal");
  std::filesystem::create_directories(journal_dir(dir));
  std::string segment;
  for (std::uint64_t seq : {1, 2}) {
    const std::string message = seq == 1 ? "first message" : std::string(3000, 'x');
    const std::string body =
        big_endian(seq) + big_endian(std::uint64_t{5'000'000}) + '\x01' + '\x03' + "a:1" + message;
    segment += big_endian(static_cast<std::uint32_t>(body.size())) +
               big_endian(reference_crc32(body)) + body;
  }
  std::ofstream(journal_dir(dir) / "00000000000000000001.journal", std::ios::binary) << segment;
  auto journal = IngestJournal::open(journal_dir(dir));
  ASSERT_TRUE(journal) << journal.error().message;
  EXPECT_EQ(journal->last(), 2u);
  const auto read = records(*journal, 0);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].second, "first message");
  EXPECT_EQ(read[1].second, std::string(3000, 'x'));
}

// Segments of one byte: every batch closes its segment, so each record has a file.
// Appends m1..mN, each committed on its own: a journal opened with one-byte segments then
// holds one record per segment.
void append_committed(IngestJournal& journal, int n) {
  for (int i = 1; i <= n; ++i) {
    journal.append("m" + std::to_string(i), "p", false, Micros{});
    ASSERT_TRUE(journal.commit());
  }
}

TEST(IngestJournal, TrimDeletesWholeSegmentsAndKeepsTheTail) {
  TempDir dir("probity-journal");
  {
    auto journal = IngestJournal::open(journal_dir(dir), 0, /*segment_bytes=*/1);
    ASSERT_TRUE(journal);
    ASSERT_NO_FATAL_FAILURE(append_committed(*journal, 10));
    EXPECT_EQ(segment_files(dir).size(), 10u);
    EXPECT_EQ(records(*journal, 7).size(), 3u);
    // Evaluated up to 8, keep the last 4: records 1..6 go.
    ASSERT_TRUE(journal->trim(8, 4));
    const auto left = records(*journal, 0);
    ASSERT_EQ(left.size(), 4u);
    EXPECT_EQ(left.front().first, 7u);
    EXPECT_EQ(segment_files(dir).size(), 4u);
    EXPECT_EQ(segment_files(dir).front().filename(), "00000000000000000007.journal");
    // Not evaluated past 3: nothing more may go, whatever the tail.
    ASSERT_TRUE(journal->trim(3, 0));
    EXPECT_EQ(records(*journal, 0).size(), 4u);
    // The newest segment stays, whatever was evaluated.
    ASSERT_TRUE(journal->trim(10, 0));
    EXPECT_EQ(records(*journal, 0), (std::vector<std::pair<JournalSeq, std::string>>{{10, "m10"}}));
  }
  auto journal = IngestJournal::open(journal_dir(dir));
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->append("eleven", "p", false, Micros{}), 11u);
}

// The daemon deletes evaluated segments off the I/O thread: detached, they are out of the
// journal at once but on disk until deleted; a file already gone is no failure, one that
// cannot be deleted is, and the rest are still deleted.
TEST(IngestJournal, DetachedSegmentsLeaveTheJournalAtOnceAndTheDiskWhenDeleted) {
  TempDir dir("probity-journal");
  auto journal = IngestJournal::open(journal_dir(dir), 0, /*segment_bytes=*/1);
  ASSERT_TRUE(journal);
  ASSERT_NO_FATAL_FAILURE(append_committed(*journal, 6));
  const auto detached = journal->detach_trimmable(4, 0);
  ASSERT_EQ(detached.size(), 4u);
  EXPECT_EQ(journal->segments(), 2u);
  EXPECT_EQ(records(*journal, 0).size(), 2u);
  EXPECT_EQ(segment_files(dir).size(), 6u);
  EXPECT_TRUE(journal->detach_trimmable(4, 0).empty());  // detached once only

  std::filesystem::remove(detached[0]);  // gone already: not a failure
  auto paths = detached;
  paths.insert(paths.begin() + 1, dir.path() / "not-a-directory" / "segment.journal");
  std::ofstream(dir.path() / "not-a-directory") << "x";
  const auto deleted = IngestJournal::delete_segments(paths);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, "journal.trim");
  EXPECT_EQ(segment_files(dir).size(), 2u);  // the segments after the failure went too
  EXPECT_TRUE(IngestJournal::delete_segments(detached));
}

TEST(IngestJournal, NumberingGoesOnPastTheSavedPositionWithNoRecordLeft) {
  TempDir dir("probity-journal");
  auto journal = IngestJournal::open(journal_dir(dir), /*evaluated=*/41);
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->append("next", "p", false, Micros{}), 42u);
  ASSERT_TRUE(journal->commit());
  EXPECT_EQ(segment_files(dir).front().filename(), "00000000000000000042.journal");
}

TEST(IngestJournal, SegmentsCloseAtTheirSizeAndReadingSkipsTheEvaluatedOnes) {
  TempDir dir("probity-journal");
  auto journal = IngestJournal::open(journal_dir(dir), 0, /*segment_bytes=*/200);
  ASSERT_TRUE(journal);
  for (int i = 1; i <= 30; ++i) {
    journal->append(std::string(40, 'a' + i % 26), "peer", i % 2 == 0, Micros{});
    if (i % 3 == 0) {
      ASSERT_TRUE(journal->commit());
    }
  }
  ASSERT_TRUE(journal->sync());
  EXPECT_GT(segment_files(dir).size(), 3u);
  EXPECT_EQ(journal->segments(), segment_files(dir).size());
  for (const JournalSeq after : {0u, 5u, 17u, 29u, 30u}) {
    const auto read = records(*journal, after);
    ASSERT_EQ(read.size(), 30 - after) << "after " << after;
    for (std::size_t i = 0; i < read.size(); ++i) EXPECT_EQ(read[i].first, after + 1 + i);
  }
}

TEST(IngestJournal, FilesArePrivate) {
  TempDir dir("probity-journal");
  auto journal = IngestJournal::open(journal_dir(dir));
  ASSERT_TRUE(journal);
  journal->append("a message naming someone", "p", false, Micros{});
  ASSERT_TRUE(journal->commit());
  struct stat st {};
  ASSERT_EQ(::stat(journal_dir(dir).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(segment_files(dir).front().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u);
}

// What a crash while writing leaves (half a record, or bytes that are not the record
// written) ends that segment: the records before it are read, numbering goes on after the
// last whole one, and new records go to a new segment that reads back.
TEST(IngestJournal, ATornOrDamagedTailIsSkippedAndWritingGoesOnInANewSegment) {
  for (const bool damaged : {false, true}) {
    TempDir dir("probity-journal");
    {
      auto journal = IngestJournal::open(journal_dir(dir));
      ASSERT_TRUE(journal);
      for (const auto* m : {"one", "two", "three"}) journal->append(m, "p", false, Micros{});
      ASSERT_TRUE(journal->sync());
    }
    const auto segment = segment_files(dir).front();
    const auto size = std::filesystem::file_size(segment);
    if (damaged) {
      std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
      file.seekp(static_cast<std::streamoff>(size - 2));
      file.put('X');  // in "three": its checksum no longer holds
    } else {
      std::filesystem::resize_file(segment, size - 3);
    }
    auto journal = IngestJournal::open(journal_dir(dir));
    ASSERT_TRUE(journal) << journal.error().message;
    EXPECT_EQ(records(*journal, 0),
              (std::vector<std::pair<JournalSeq, std::string>>{{1, "one"}, {2, "two"}}));
    EXPECT_EQ(journal->append("again", "p", false, Micros{}), 3u);
    ASSERT_TRUE(journal->commit());
    EXPECT_EQ(segment_files(dir).size(), 2u);
    EXPECT_EQ(records(*journal, 0), (std::vector<std::pair<JournalSeq, std::string>>{
                                        {1, "one"}, {2, "two"}, {3, "again"}}));
  }
}

std::string store_record_key(JournalSeq seq) {
  std::string key(1, 'm');
  for (int shift = 56; shift >= 0; shift -= 8) key += static_cast<char>((seq >> shift) & 0xff);
  return key;
}

std::string store_record_value(bool acknowledged, std::string_view peer, std::string_view message) {
  std::string value(8, '\0');
  value[7] = 9;  // received: 9 microseconds after the epoch
  value += static_cast<char>(acknowledged ? 1 : 0);
  value += static_cast<char>(peer.size());
  return value + std::string(peer) + std::string(message);
}

// Before the journal had files it kept records in the state store. They move once, with
// their numbers (gaps included: a batch the store refused left one), and only once.
TEST(IngestJournal, RecordsAnOlderVersionKeptInTheStoreMoveIntoTheFilesOnce) {
  TempDir dir("probity-journal");
  auto store = open_store(dir);
  ASSERT_TRUE(store->write_batch({{state::RuntimeTable::ingest_journal, store_record_key(5),
                                   store_record_value(true, "p1", "five")},
                                  {state::RuntimeTable::ingest_journal, store_record_key(6),
                                   store_record_value(false, "p2", "six")},
                                  {state::RuntimeTable::ingest_journal, store_record_key(9),
                                   store_record_value(true, "p1", "nine")},
                                  EvaluatedPosition::write(6)},
                                 false));
  {
    auto journal = IngestJournal::open(journal_dir(dir), /*evaluated=*/6);
    ASSERT_TRUE(journal);
    auto moved = adopt_store_journal(*store, *journal);
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_EQ(*moved, 3u);
    EXPECT_EQ(journal->last(), 9u);
    std::vector<JournalRecord> seen;
    std::vector<std::string> peers;
    ASSERT_TRUE(journal->read_after(0, [&](const JournalRecord& r) {
      seen.push_back(r);
      peers.emplace_back(r.peer);
    }));
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[2].seq, 9u);
    EXPECT_TRUE(seen[0].acknowledged);
    EXPECT_FALSE(seen[1].acknowledged);
    EXPECT_EQ(seen[0].received, Micros(std::chrono::microseconds(9)));
    EXPECT_EQ(peers, (std::vector<std::string>{"p1", "p2", "p1"}));
    EXPECT_EQ(records(*journal, 6), (std::vector<std::pair<JournalSeq, std::string>>{{9, "nine"}}));
    EXPECT_EQ(journal->append("ten", "p", false, Micros{}), 10u);
  }
  // The store keeps no record; the position is not the journal's to erase.
  EXPECT_FALSE(*store->get(state::RuntimeTable::ingest_journal, store_record_key(5)));
  EXPECT_EQ(*EvaluatedPosition::read(*store), 6u);

  // A crash after the move but before the erase leaves them in both: not added twice.
  ASSERT_TRUE(store->write_batch({{state::RuntimeTable::ingest_journal, store_record_key(9),
                                   store_record_value(true, "p1", "nine")}},
                                 false));
  auto journal = IngestJournal::open(journal_dir(dir), 6);
  ASSERT_TRUE(journal);
  auto moved = adopt_store_journal(*store, *journal);
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, 0u);
  EXPECT_EQ(records(*journal, 0).size(), 3u);
  EXPECT_FALSE(*store->get(state::RuntimeTable::ingest_journal, store_record_key(9)));
}

TEST(IngestJournal, ThePositionIsSavedInTheCorrelationCheckpointsBatch) {
  TempDir dir("probity-journal");
  auto store = open_store(dir);
  EvaluatedPosition position;
  StoreCorrelationState state(*store, &position);
  state.set_resume_point(42);
  rules::StateWrites writes;
  writes.put("e", std::string(16, '\0'));
  ASSERT_TRUE(state.save(writes));
  EXPECT_TRUE(writes.empty());
  EXPECT_EQ(position.saved(), 42u);
  auto read = EvaluatedPosition::read(*store);
  ASSERT_TRUE(read);
  EXPECT_EQ(*read, 42u);
  // A position alone (no state changed) is still saved.
  state.set_resume_point(43);
  ASSERT_TRUE(state.save(writes));
  EXPECT_EQ(*EvaluatedPosition::read(*store), 43u);
}

// The daemon writes checkpoints on a thread of their own: save() returns with the batch in
// flight; the position is published only once written, and nothing in flight is lost at
// shutdown.
TEST(IngestJournal, ABackgroundCheckpointPublishesItsPositionOnceWritten) {
  TempDir dir("probity-journal");
  auto store = open_store(dir);
  EvaluatedPosition position;
  {
    StoreCorrelationState state(*store, &position, /*background=*/true);
    for (std::uint64_t point = 1; point <= 50; ++point) {
      state.set_resume_point(point);
      rules::StateWrites writes;
      for (int k = 0; k < 200; ++k) writes.put("c-" + std::to_string(k), std::to_string(point));
      ASSERT_TRUE(state.save(writes));
      EXPECT_TRUE(writes.empty());         // handed back empty: an earlier batch's recycled blocks
      EXPECT_LE(position.saved(), point);  // never ahead of what is written
    }
  }  // the destructor writes what is in flight
  EXPECT_EQ(position.saved(), 50u);
  EXPECT_EQ(*EvaluatedPosition::read(*store), 50u);
  auto value = store->get(state::RuntimeTable::rule_state, "c-199");
  ASSERT_TRUE(value && *value);
  EXPECT_EQ(**value, "50");
}

// A large checkpoint is ingested as files (here every one is): the position lands with it,
// later batches overwrite earlier ones, and erases reach what an earlier batch wrote.
TEST(IngestJournal, ACheckpointIngestedAsFilesSavesItsStateAndPosition) {
  TempDir dir("probity-journal");
  auto store = open_store(dir);
  EvaluatedPosition position;
  {
    StoreCorrelationState state(*store, &position, /*background=*/true, /*ingest_from=*/0);
    for (std::uint64_t point = 1; point <= 10; ++point) {
      state.set_resume_point(point);
      rules::StateWrites writes;
      for (int k = 0; k < 200; ++k) writes.put("c-" + std::to_string(k), std::to_string(point));
      if (point == 10) writes.erase("c-7");
      ASSERT_TRUE(state.save(writes));
    }
  }
  EXPECT_EQ(position.saved(), 10u);
  EXPECT_EQ(*EvaluatedPosition::read(*store), 10u);
  EXPECT_EQ(**store->get(state::RuntimeTable::rule_state, "c-199"), "10");
  EXPECT_FALSE(*store->get(state::RuntimeTable::rule_state, "c-7"));
}

/// Counts what reaches evaluation.
struct Collected final : EventSink {
  std::vector<std::string> users;
  JournalSeq last = 0;
  void on_events(std::vector<event::Event>& events, JournalSeq position) override {
    for (const auto& e : events) users.emplace_back(e.str(event::FieldId::user_id));
    events.clear();
    last = position;
  }
};

std::string access_line(const std::string& user) {
  return "<86>1 2026-12-05T10:00:00.000001Z host audit - - [access@32473 user.id=\"" + user +
         "\" source.system=\"PNC\" action=\"query\" subject.type=\"person\" subject.id=\"P1\"] "
         "record consulted";
}

TEST(JournalingSink, ARestartEvaluatesOnlyWhatWasNotEvaluatedAndSkipsReSends) {
  TempDir dir("probity-journal");
  auto store = open_store(dir);
  PipelineCounters pipeline_counters;
  decode::Decoder decoder(decode::default_sources(), nullptr, nullptr);
  JournalCounters counters;
  {
    auto journal = IngestJournal::open(journal_dir(dir));
    ASSERT_TRUE(journal);
    Collected evaluated;
    DecodeStage decode(decoder, evaluated, pipeline_counters);
    JournalingSink sink(*journal, decode, counters);
    for (const auto* user : {"u1", "u2", "u3"})
      sink.on_acknowledged_message(access_line(user), "p", true);
    sink.on_batch_end();
    ASSERT_TRUE(sink.make_durable());
    EXPECT_EQ(evaluated.users, (std::vector<std::string>{"u1", "u2", "u3"}));
    EXPECT_EQ(evaluated.last, 3u);
    // The same message early in a new session is a re-send; later in a session it is not.
    sink.on_acknowledged_message(access_line("u2"), "p", true);
    EXPECT_EQ(counters.resent_skipped, 1u);
    sink.on_acknowledged_message(access_line("u2"), "p", false);
    sink.on_batch_end();
    EXPECT_EQ(evaluated.users.size(), 4u);
  }
  // Evaluation had saved up to 2 when the process died.
  ASSERT_TRUE(store->write_batch({EvaluatedPosition::write(2)}, false));
  auto journal = IngestJournal::open(journal_dir(dir), 2);
  ASSERT_TRUE(journal);
  Collected evaluated;
  DecodeStage decode(decoder, evaluated, pipeline_counters);
  JournalingSink sink(*journal, decode, counters);
  ASSERT_TRUE(sink.replay(2));
  EXPECT_EQ(evaluated.users, (std::vector<std::string>{"u3", "u2"}));
  EXPECT_EQ(evaluated.last, 4u);
  EXPECT_EQ(counters.replayed, 2u);
  // What a sender re-sends after the restart was journaled before it: skipped.
  sink.on_acknowledged_message(access_line("u1"), "p", true);
  EXPECT_EQ(counters.resent_skipped, 2u);
}

}  // namespace
}  // namespace probity::app

namespace probity::app {
namespace {

// State from a version that kept correlation state in the main database moves into the
// correlation database once, position included, and the journal numbers on past it.
TEST(CorrelationDatabase, StateFromTheMainStoreMovesIntoItsOwnDatabaseOnce) {
  TempDir dir("probity-journal");
  auto main = open_store(dir);
  auto opened = state::Store::open({.dir = dir.path() / "correlation"});
  ASSERT_TRUE(opened) << opened.error().message;
  auto& correlation = **opened;
  ASSERT_TRUE(main->write_batch({{state::RuntimeTable::rule_state, "c-1", "one"},
                                 {state::RuntimeTable::rule_state, "c-2", "two"},
                                 EvaluatedPosition::write(7)},
                                false));
  ASSERT_TRUE(adopt_legacy_correlation_state(*main, correlation));
  EXPECT_EQ(*EvaluatedPosition::read(correlation), 7u);
  auto moved = correlation.get(state::RuntimeTable::rule_state, "c-2");
  ASSERT_TRUE(moved && *moved);
  EXPECT_EQ(**moved, "two");
  EXPECT_EQ(*EvaluatedPosition::read(*main), 0u);
  EXPECT_FALSE(*main->get(state::RuntimeTable::rule_state, "c-1"));
  auto journal = IngestJournal::open(journal_dir(dir), *EvaluatedPosition::read(correlation));
  ASSERT_TRUE(journal);
  EXPECT_EQ(journal->append("next", "p", false, Micros{}), 8u);

  // Left over in the main store after a crash mid-way: erased, the newer state kept.
  ASSERT_TRUE(correlation.write_batch({{state::RuntimeTable::rule_state, "c-2", "newer"}}, false));
  ASSERT_TRUE(main->write_batch({{state::RuntimeTable::rule_state, "c-2", "two"}}, false));
  ASSERT_TRUE(adopt_legacy_correlation_state(*main, correlation));
  EXPECT_EQ(**correlation.get(state::RuntimeTable::rule_state, "c-2"), "newer");
  EXPECT_FALSE(*main->get(state::RuntimeTable::rule_state, "c-2"));
}

}  // namespace
}  // namespace probity::app
