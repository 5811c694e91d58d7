// The listeners' MessageSink in the daemon: each message is appended to the ingest journal,
// then parsed and decoded (DecodeStage) with its sequence number, so evaluation can save
// how far it got. RELP messages a sender re-sends after a broken session or a crash are
// recognised against the last acknowledged ones and skipped (their first copy is already
// journaled), so no alert is raised twice and no correlation counts one event twice.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "app/ingest_journal.h"
#include "app/pipeline.h"
#include "base/throttle.h"
#include "ingest/ingest.h"

namespace probity::app {

struct JournalCounters {
  std::atomic<std::uint64_t> appended{0};
  std::atomic<std::uint64_t> write_failures{0};  ///< batches the store refused
  std::atomic<std::uint64_t> replayed{0};        ///< evaluated again at start-up
  std::atomic<std::uint64_t> resent_skipped{0};  ///< RELP re-sends recognised and skipped
  std::atomic<std::uint64_t> pending{0};         ///< gauge: journaled, evaluation not saved
};

class JournalingSink final : public ingest::MessageSink {
 public:
  /// How many acknowledged messages a re-send is compared with (the journal keeps as many).
  static constexpr std::size_t kRecentAcknowledged = 65536;

  JournalingSink(IngestJournal& journal, DecodeStage& decode, JournalCounters& counters);

  /// At start-up, before listeners run: records after `evaluated` are decoded and evaluated
  /// again; every kept acknowledged record is remembered for re-send checks.
  Result<void> replay(JournalSeq evaluated);

  void on_message(std::string_view message, std::string_view peer) override;
  void on_acknowledged_message(std::string_view message, std::string_view peer,
                               bool may_be_resent) override;
  void on_batch_end() override;
  bool make_durable() override;

 private:
  using Digest = std::uint64_t;
  Digest digest(std::string_view message) const;
  void remember(Digest d);
  void take(std::string_view message, std::string_view peer, bool acknowledged);

  IngestJournal& journal_;
  DecodeStage& decode_;
  JournalCounters& counters_;
  std::array<unsigned char, 16> key_{};  // SipHash key, random per process
  std::deque<Digest> recent_order_;      // the last kRecentAcknowledged, oldest first
  std::unordered_map<Digest, std::uint32_t> recent_;
  LogThrottle failure_log_{std::chrono::seconds(60)};
};

}  // namespace probity::app
