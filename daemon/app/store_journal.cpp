// adopt_store_journal: a store record's value is received time (8 bytes, microseconds,
// big-endian), flags (1 byte: bit 0 = acknowledged), peer length (1 byte), peer, message.
#include "app/store_journal.h"

#include <spdlog/spdlog.h>

#include "base/big_endian.h"

namespace probity::app {

namespace {

constexpr std::string_view kRecordPrefix = "m";
constexpr std::size_t kKeySize = 9;
constexpr std::size_t kFixedValue = 10;
constexpr std::size_t kRecordsPerWrite = 4096;  // bounds the batch a large journal builds

std::uint64_t get_u64(std::string_view in) { return get_big_endian<std::uint64_t>(in.data()); }

}  // namespace

Result<std::size_t> adopt_store_journal(state::Store& store, IngestJournal& journal) {
  std::size_t seen = 0, moved = 0;
  Result<void> outcome;
  auto scanned =
      store.scan(state::RuntimeTable::ingest_journal, kRecordPrefix,
                 [&](std::string_view key, std::string_view v) {
                   if (key.size() != kKeySize || v.size() < kFixedValue ||
                       v.size() < kFixedValue + static_cast<unsigned char>(v[9])) {
                     outcome = fail("state.read", "ingest journal in the state store: record " +
                                                      std::to_string(seen + 1) + " is truncated");
                     return false;
                   }
                   ++seen;
                   JournalRecord r;
                   r.seq = get_u64(key.substr(1));
                   r.received = std::chrono::sys_time<std::chrono::microseconds>(
                       std::chrono::microseconds(static_cast<std::int64_t>(get_u64(v))));
                   r.acknowledged = (v[8] & 1) != 0;
                   r.peer = v.substr(kFixedValue, static_cast<unsigned char>(v[9]));
                   r.message = v.substr(kFixedValue + r.peer.size());
                   if (journal.append_numbered(r) && ++moved % kRecordsPerWrite == 0)
                     if (auto ok = journal.commit(); !ok) return outcome = ok, false;
                   return true;
                 });
  if (!scanned) return tl::unexpected(scanned.error());
  if (!outcome) return tl::unexpected(outcome.error());
  if (seen == 0) return std::size_t{0};
  if (auto ok = journal.sync(); !ok) return tl::unexpected(ok.error());
  // Every record key is 'm' + 8 bytes, below "n".
  if (auto ok = store.erase_range(state::RuntimeTable::ingest_journal, "m", "n"); !ok)
    return tl::unexpected(ok.error());
  if (moved > 0)
    spdlog::info("ingest journal: {} record(s) moved from the state store into its own files",
                 moved);
  return moved;
}

}  // namespace probity::app
