// JournalingSink: append, then decode; re-send recognition by a keyed hash (SipHash, a key
// per process), so a sender cannot craft a message that passes for an earlier one.
#include "app/journaling_sink.h"

#include <sodium.h>

#include <spdlog/spdlog.h>

namespace probity::app {

namespace {

auto now_us() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace

JournalingSink::JournalingSink(IngestJournal& journal, DecodeStage& decode,
                               JournalCounters& counters)
    : journal_(journal), decode_(decode), counters_(counters) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
  static_assert(sizeof key_ == crypto_shorthash_KEYBYTES);
  crypto_shorthash_keygen(key_.data());
}

JournalingSink::Digest JournalingSink::digest(std::string_view message) const {
  std::array<unsigned char, crypto_shorthash_BYTES> out{};
  crypto_shorthash(out.data(), reinterpret_cast<const unsigned char*>(message.data()),
                   message.size(), key_.data());
  Digest d = 0;
  for (const auto b : out) d = (d << 8) | b;
  return d;
}

void JournalingSink::remember(Digest d) {
  ++recent_[d];
  recent_order_.push_back(d);
  if (recent_order_.size() <= kRecentAcknowledged) return;
  const auto oldest = recent_.find(recent_order_.front());
  if (--oldest->second == 0) recent_.erase(oldest);
  recent_order_.pop_front();
}

Result<void> JournalingSink::replay(JournalSeq evaluated) {
  std::uint64_t again = 0;
  auto read = journal_.read_after(0, [&](const JournalRecord& r) {
    if (r.acknowledged) remember(digest(r.message));
    if (r.seq <= evaluated) return;
    decode_.on_journaled(r.message, r.peer, r.seq, r.received);
    ++again;
  });
  decode_.flush();
  counters_.replayed.fetch_add(again, std::memory_order_relaxed);
  if (again > 0)
    spdlog::info("journal: {} message(s) received before the last stop are evaluated now", again);
  return read;
}

void JournalingSink::take(std::string_view message, std::string_view peer, bool acknowledged) {
  const auto received = now_us();
  const JournalSeq seq = journal_.append(message, peer, acknowledged, received);
  counters_.appended.fetch_add(1, std::memory_order_relaxed);
  decode_.on_journaled(message, peer, seq, received);
}

void JournalingSink::on_message(std::string_view message, std::string_view peer) {
  take(message, peer, false);
}

void JournalingSink::on_acknowledged_message(std::string_view message, std::string_view peer,
                                             bool may_be_resent) {
  const Digest d = digest(message);
  if (may_be_resent && recent_.contains(d)) {
    // Already journaled (and evaluated, or about to be): answering it again loses nothing.
    counters_.resent_skipped.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  remember(d);
  take(message, peer, true);
}

void JournalingSink::on_batch_end() {
  if (auto ok = journal_.commit(); !ok) {
    counters_.write_failures.fetch_add(1, std::memory_order_relaxed);
    if (const auto n = failure_log_.occurrence(std::chrono::steady_clock::now()))
      spdlog::error(
          "journal: received messages could not be written ({}); they are evaluated now but a "
          "restart will not find them ({} failure(s) since the last report)",
          ok.error().message, n);
  }
  decode_.flush();
}

bool JournalingSink::make_durable() {
  if (auto ok = journal_.sync(); !ok) {
    counters_.write_failures.fetch_add(1, std::memory_order_relaxed);
    if (const auto n = failure_log_.occurrence(std::chrono::steady_clock::now()))
      spdlog::error(
          "journal: sync failed ({}); RELP senders are told to send again ({} "
          "failure(s) since the last report)",
          ok.error().message, n);
    return false;
  }
  return true;
}

}  // namespace probity::app
