// IngestJournal: records under 'm' + big-endian sequence (so key order is arrival order),
// the evaluated position under 'p'. A record is: received time (8 bytes, microseconds,
// big-endian), flags (1 byte: bit 0 = acknowledged), peer length (1 byte), peer, message.
#include "app/ingest_journal.h"

#include <algorithm>
#include <array>

namespace probity::app {

namespace {

constexpr char kRecordPrefix = 'm';
constexpr std::string_view kPositionKey = "p";
constexpr std::size_t kMaxPeer = 255;

void put_u64(char* out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) *out++ = static_cast<char>((v >> shift) & 0xff);
}

void put_u64(std::string& out, std::uint64_t v) {
  out.resize(out.size() + 8);
  put_u64(out.data() + out.size() - 8, v);
}

std::uint64_t get_u64(std::string_view in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::array<char, 9> record_key_bytes(JournalSeq seq) {
  std::array<char, 9> key;
  key[0] = kRecordPrefix;
  put_u64(key.data() + 1, seq);
  return key;
}

std::string record_key(JournalSeq seq) {
  const auto key = record_key_bytes(seq);
  return std::string(key.data(), key.size());
}

Error unreadable(std::string_view what) {
  return Error{"state.read", "ingest journal: " + std::string(what), {}};
}

}  // namespace

state::RuntimeWrite EvaluatedPosition::write(JournalSeq seq) {
  std::string value;
  put_u64(value, seq);
  return {state::RuntimeTable::ingest_journal, std::string(kPositionKey), std::move(value)};
}

state::RuntimeWrite EvaluatedPosition::erase() {
  return {state::RuntimeTable::ingest_journal, std::string(kPositionKey), std::nullopt};
}

Result<JournalSeq> EvaluatedPosition::read(const state::Store& store) {
  auto value = store.get(state::RuntimeTable::ingest_journal, kPositionKey);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return JournalSeq{0};
  if ((*value)->size() != 8) return tl::unexpected(unreadable("position is not 8 bytes"));
  return get_u64(**value);
}

Result<IngestJournal> IngestJournal::open(state::Store& store, JournalSeq evaluated) {
  JournalSeq first = 0, last = 0;
  const std::string prefix(1, kRecordPrefix);
  auto scanned = store.scan(state::RuntimeTable::ingest_journal, prefix,
                            [&](std::string_view key, std::string_view) {
                              if (key.size() == 9) first = get_u64(key.substr(1));
                              return false;
                            });
  if (!scanned) return tl::unexpected(scanned.error());
  scanned =
      store.scan_backwards(state::RuntimeTable::ingest_journal, std::string(1, kRecordPrefix + 1),
                           [&](std::string_view key, std::string_view) {
                             if (key.size() == 9 && key[0] == kRecordPrefix)
                               last = get_u64(key.substr(1));
                             return false;
                           });
  if (!scanned) return tl::unexpected(scanned.error());
  // The position survives trims, so numbering goes on past it even with no record left.
  // Older versions kept it in this store.
  auto position = EvaluatedPosition::read(store);
  if (!position) return tl::unexpected(position.error());
  IngestJournal journal(store, std::max({last, *position, evaluated}) + 1);
  journal.trimmed_ = first == 0 ? journal.last() : first - 1;
  return journal;
}

JournalSeq IngestJournal::append(std::string_view message, std::string_view peer, bool acknowledged,
                                 std::chrono::sys_time<std::chrono::microseconds> received) {
  const JournalSeq seq = next_++;
  peer = peer.substr(0, kMaxPeer);
  // Packed straight into the batch's blocks: no string per record.
  std::array<char, 10> header;
  put_u64(header.data(), static_cast<std::uint64_t>(received.time_since_epoch().count()));
  header[8] = static_cast<char>(acknowledged ? 1 : 0);
  header[9] = static_cast<char>(peer.size());
  const auto key = record_key_bytes(seq);
  pending_.put(std::string_view(key.data(), key.size()),
               {std::string_view(header.data(), header.size()), peer, message});
  return seq;
}

Result<void> IngestJournal::commit() {
  if (pending_.empty()) return {};
  auto written = store_->write_packed(state::RuntimeTable::ingest_journal, pending_, {},
                                      /*sync=*/false);
  // On failure the batch is dropped, not retried: its messages are being evaluated now, and
  // RELP senders, told 500, send them again.
  pending_.clear();
  return written;
}

Result<void> IngestJournal::sync() {
  if (auto ok = commit(); !ok) return ok;
  return store_->sync_wal();
}

Result<void> IngestJournal::read_after(JournalSeq after,
                                       const std::function<void(const JournalRecord&)>& fn) const {
  Result<void> bad;
  const std::string from = record_key(after + 1);
  const std::string prefix(1, kRecordPrefix);
  auto scanned = store_->scan(
      state::RuntimeTable::ingest_journal, prefix, [&](std::string_view key, std::string_view v) {
        if (key < from) return true;
        if (key.size() != 9 || v.size() < 10 ||
            v.size() < std::size_t{10} + static_cast<unsigned char>(v[9])) {
          bad = tl::unexpected(
              unreadable("a record after " + std::to_string(after) + " is truncated"));
          return false;
        }
        JournalRecord r;
        r.seq = get_u64(key.substr(1));
        r.received = std::chrono::sys_time<std::chrono::microseconds>(
            std::chrono::microseconds(static_cast<std::int64_t>(get_u64(v))));
        r.acknowledged = (v[8] & 1) != 0;
        const std::size_t peer_size = static_cast<unsigned char>(v[9]);
        r.peer = v.substr(10, peer_size);
        r.message = v.substr(10 + peer_size);
        fn(r);
        return true;
      });
  if (!scanned) return scanned;
  return bad;
}

Result<void> IngestJournal::trim(JournalSeq evaluated, std::uint64_t keep) {
  const JournalSeq upto = std::min(evaluated, last() > keep ? last() - keep : 0);
  if (upto <= trimmed_) return {};
  auto erased = store_->erase_range(state::RuntimeTable::ingest_journal, record_key(trimmed_ + 1),
                                    record_key(upto + 1));
  if (erased) trimmed_ = upto;
  return erased;
}

}  // namespace probity::app
