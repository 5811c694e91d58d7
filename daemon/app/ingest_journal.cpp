// IngestJournal: segment files named by the first sequence number they may hold (20 digits,
// so name order is number order) + ".journal". A record is: body length (4 bytes), CRC-32
// of the body (4 bytes, zlib's polynomial), then the body: sequence (8), received time (8,
// microseconds), flags (1: bit 0 = acknowledged), peer length (1), peer, message. Integers
// big-endian. The evaluated position lives in the correlation store under 'p'.
#include "app/ingest_journal.h"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

#include <spdlog/spdlog.h>

#include "base/big_endian.h"

namespace probity::app {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPositionKey = "p";
constexpr std::string_view kSuffix = ".journal";
constexpr std::size_t kDigits = 20;
constexpr std::size_t kMaxPeer = 255;
constexpr std::size_t kHeader = 8;      // length, CRC
constexpr std::size_t kFixedBody = 18;  // sequence, time, flags, peer length
// Far above any message a listener accepts: a length beyond it is damage, not a record.
constexpr std::uint32_t kMaxBody = std::uint32_t{1} << 30;

void put_u64(char* out, std::uint64_t v) { put_big_endian(out, v); }
void put_u32(char* out, std::uint32_t v) { put_big_endian(out, v); }
std::uint64_t get_u64(const char* in) { return get_big_endian<std::uint64_t>(in); }
std::uint32_t get_u32(const char* in) { return get_big_endian<std::uint32_t>(in); }

std::uint32_t checksum(std::string_view bytes) {
  return ::libdeflate_crc32(0, bytes.data(), bytes.size());
}

Error failure(std::string_view code, std::string_view what, const fs::path& path, int err) {
  return Error{
      std::string(code),
      "ingest journal: " + std::string(what) + " " + path.string() + ": " + std::strerror(err),
      {}};
}

std::string segment_name(JournalSeq first) {
  std::string name(kDigits, '0');
  const std::string digits = std::to_string(first);
  name.replace(kDigits - digits.size(), digits.size(), digits);
  return name + std::string(kSuffix);
}

/// The first sequence number a file name says, or nothing for a file that is not a segment.
std::optional<JournalSeq> segment_first(const std::string& name) {
  if (name.size() != kDigits + kSuffix.size() || !name.ends_with(kSuffix)) return std::nullopt;
  JournalSeq first = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + kDigits, first);
  if (ec != std::errc{} || end != name.data() + kDigits) return std::nullopt;
  return first;
}

Result<std::string> read_whole(const fs::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return tl::unexpected(failure("journal.read", "cannot open", path, errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return tl::unexpected(failure("journal.read", "cannot stat", path, errno));
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(failure("journal.read", "cannot read", path, errno));
    if (n == 0) break;  // shorter than fstat said: it was being cut
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

struct SegmentEnd {
  JournalSeq last = 0;         ///< its last whole record (0: none)
  std::size_t torn_bytes = 0;  ///< bytes after it that are not a whole record
};

/// Calls fn for each whole record of a segment, in order. A record that is cut short,
/// fails its checksum or does not number above the one before ends the segment: after a
/// crash while writing, that is its tail; nothing is ever appended after it.
SegmentEnd each_record(std::string_view bytes,
                       const std::function<void(const JournalRecord&)>& fn) {
  SegmentEnd end;
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (bytes.size() - at < kHeader) break;
    const std::uint32_t length = get_u32(bytes.data() + at);
    if (length < kFixedBody || length > kMaxBody || bytes.size() - at - kHeader < length) break;
    const std::string_view body = bytes.substr(at + kHeader, length);
    if (checksum(body) != get_u32(bytes.data() + at + 4)) break;
    JournalRecord r;
    r.seq = get_u64(body.data());
    if (r.seq <= end.last) break;
    const std::size_t peer_size = static_cast<unsigned char>(body[17]);
    if (kFixedBody + peer_size > body.size()) break;
    r.received = std::chrono::sys_time<std::chrono::microseconds>(
        std::chrono::microseconds(static_cast<std::int64_t>(get_u64(body.data() + 8))));
    r.acknowledged = (body[16] & 1) != 0;
    r.peer = body.substr(kFixedBody, peer_size);
    r.message = body.substr(kFixedBody + peer_size);
    fn(r);
    end.last = r.seq;
    at += kHeader + length;
  }
  end.torn_bytes = bytes.size() - at;
  return end;
}

}  // namespace

state::RuntimeWrite EvaluatedPosition::write(JournalSeq seq) {
  std::string value(8, '\0');
  put_u64(value.data(), seq);
  return {state::RuntimeTable::ingest_journal, std::string(kPositionKey), std::move(value)};
}

state::RuntimeWrite EvaluatedPosition::erase() {
  return {state::RuntimeTable::ingest_journal, std::string(kPositionKey), std::nullopt};
}

Result<JournalSeq> EvaluatedPosition::read(const state::Store& store) {
  auto value = store.get(state::RuntimeTable::ingest_journal, kPositionKey);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return JournalSeq{0};
  if ((*value)->size() != 8)
    return fail("state.read", "ingest journal: evaluated position is not 8 bytes");
  return get_u64((*value)->data());
}

Result<IngestJournal> IngestJournal::open(const fs::path& dir, JournalSeq evaluated,
                                          std::uint64_t segment_bytes) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return tl::unexpected(failure("journal.open", "cannot create", dir, errno));
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd) return tl::unexpected(failure("journal.open", "cannot open", dir, errno));
  IngestJournal journal(dir, std::move(dir_fd), segment_bytes);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (const auto first = segment_first(entry.path().filename().string()))
      journal.segments_.push_back({*first, entry.path()});
  if (ec) return tl::unexpected(failure("journal.open", "cannot list", dir, ec.value()));
  std::ranges::sort(journal.segments_, {}, &Segment::first);
  // The last record is in the newest segment that holds one (a crash can leave the newest
  // with none).
  for (auto s = journal.segments_.rbegin(); s != journal.segments_.rend(); ++s) {
    auto bytes = read_whole(s->path);
    if (!bytes) return tl::unexpected(Error{"journal.open", bytes.error().message, {}});
    journal.written_last_ = each_record(*bytes, [](const JournalRecord&) {}).last;
    if (journal.written_last_ != 0) break;
  }
  journal.next_ = std::max(journal.written_last_, evaluated) + 1;
  return journal;
}

void IngestJournal::add_record(JournalSeq seq,
                               std::chrono::sys_time<std::chrono::microseconds> received,
                               bool acknowledged, std::string_view peer, std::string_view message,
                               bool sync_owed) {
  if (pending_.empty()) pending_first_ = seq;
  sync_owed_ = sync_owed_ || sync_owed;
  peer = peer.substr(0, kMaxPeer);
  const std::size_t start = pending_.size();
  const std::size_t length = kFixedBody + peer.size() + message.size();
  pending_.resize(start + kHeader + kFixedBody);
  char* at = pending_.data() + start;
  put_u32(at, static_cast<std::uint32_t>(length));
  put_u64(at + kHeader, seq);
  put_u64(at + kHeader + 8, static_cast<std::uint64_t>(received.time_since_epoch().count()));
  at[kHeader + 16] = static_cast<char>(acknowledged ? 1 : 0);
  at[kHeader + 17] = static_cast<char>(peer.size());
  pending_.append(peer);
  pending_.append(message);
  put_u32(pending_.data() + start + 4,
          checksum(std::string_view(pending_).substr(start + kHeader, length)));
  written_last_ = seq;
}

JournalSeq IngestJournal::append(std::string_view message, std::string_view peer, bool acknowledged,
                                 std::chrono::sys_time<std::chrono::microseconds> received) {
  const JournalSeq seq = next_++;
  add_record(seq, received, acknowledged, peer, message, /*sync_owed=*/acknowledged);
  return seq;
}

bool IngestJournal::append_numbered(const JournalRecord& r) {
  if (r.seq <= written_last_) return false;
  // Moved records are erased from where they were durable once synced here.
  add_record(r.seq, r.received, r.acknowledged, r.peer, r.message, /*sync_owed=*/true);
  next_ = std::max(next_, r.seq + 1);
  return true;
}

Result<void> IngestJournal::begin_segment() {
  auto path = dir_ / segment_name(pending_first_);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600));
  // A file of this name holds no record (each of its records would be numbered at least
  // this, and numbering is past them all): a crash left it empty or torn.
  if (!fd && errno == EEXIST)
    fd.reset(::open(path.c_str(), O_WRONLY | O_TRUNC | O_APPEND | O_CLOEXEC));
  if (!fd) return tl::unexpected(failure("journal.write", "cannot create", path, errno));
  if (segments_.empty() || segments_.back().first != pending_first_)
    segments_.push_back({pending_first_, std::move(path)});
  open_ = std::move(fd);
  open_bytes_ = 0;
  dir_unsynced_ = true;
  return {};
}

void IngestJournal::close_segment() {
  open_bytes_ = 0;
  // Only records a sender was or will be promised need a sync: a segment of plain TCP and
  // UDP messages just closes (syncing it here would stall the I/O thread).
  if (!sync_owed_) {
    open_.reset();
    return;
  }
  // At most one closed segment waits for sync(): syncing an older one here is rare (two
  // segments filled between two RELP syncs) and its data has long been under writeback.
  if (unsynced_) (void)::fdatasync(unsynced_.get());
  unsynced_ = std::move(open_);
}

Result<void> IngestJournal::write_pending() {
  if (!open_)
    if (auto ok = begin_segment(); !ok) return ok;
  std::size_t done = 0;
  while (done < pending_.size()) {
    const ssize_t n = ::write(open_.get(), pending_.data() + done, pending_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      // Cut what was written of the batch; should that fail too, the torn bytes end this
      // segment when it is read, and the next batch goes to a new one either way.
      (void)::ftruncate(open_.get(), static_cast<off_t>(open_bytes_));
      const fs::path path = segments_.back().path;
      close_segment();
      return tl::unexpected(failure("journal.write", "cannot write", path, err));
    }
    done += static_cast<std::size_t>(n);
  }
  open_bytes_ += pending_.size();
  if (open_bytes_ >= segment_bytes_) close_segment();
  return {};
}

Result<void> IngestJournal::commit() {
  if (pending_.empty()) return {};
  auto written = write_pending();
  pending_.clear();
  if (pending_.capacity() > 4 * segment_bytes_) pending_.shrink_to_fit();
  return written;
}

Result<void> IngestJournal::sync() {
  if (auto ok = commit(); !ok) return ok;
  const auto synced = [&](const UniqueFd& fd) -> Result<void> {
    if (fd && ::fdatasync(fd.get()) != 0)
      return tl::unexpected(failure("journal.write", "cannot sync", dir_, errno));
    return {};
  };
  if (auto ok = synced(unsynced_); !ok) return ok;
  unsynced_.reset();
  if (auto ok = synced(open_); !ok) return ok;
  if (dir_unsynced_) {
    if (auto ok = synced(dir_fd_); !ok) return ok;
    dir_unsynced_ = false;
  }
  sync_owed_ = false;
  return {};
}

Result<void> IngestJournal::read_after(JournalSeq after,
                                       const std::function<void(const JournalRecord&)>& fn) const {
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    // Every record of a segment is below the next segment's first.
    if (i + 1 < segments_.size() && segments_[i + 1].first <= after + 1) continue;
    auto bytes = read_whole(segments_[i].path);
    if (!bytes) return tl::unexpected(bytes.error());
    const auto end = each_record(*bytes, [&](const JournalRecord& r) {
      if (r.seq > after) fn(r);
    });
    if (end.torn_bytes != 0)
      spdlog::warn(
          "ingest journal: the last {} byte(s) of {} are not whole records (the process or "
          "machine stopped while they were written); they are skipped",
          end.torn_bytes, segments_[i].path.string());
  }
  return {};
}

Result<void> IngestJournal::trim(JournalSeq evaluated, std::uint64_t keep) {
  return delete_segments(detach_trimmable(evaluated, keep));
}

std::vector<std::filesystem::path> IngestJournal::detach_trimmable(JournalSeq evaluated,
                                                                   std::uint64_t keep) {
  const JournalSeq upto = std::min(evaluated, last() > keep ? last() - keep : 0);
  std::size_t gone = 0;
  // A segment goes when the next one begins at or below upto + 1: all of it is up to upto.
  while (gone + 1 < segments_.size() && segments_[gone + 1].first <= upto + 1) ++gone;
  std::vector<std::filesystem::path> paths;
  paths.reserve(gone);
  for (std::size_t i = 0; i < gone; ++i) paths.push_back(std::move(segments_[i].path));
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(gone));
  return paths;
}

Result<void> IngestJournal::delete_segments(const std::vector<std::filesystem::path>& paths) {
  Result<void> outcome;
  for (const auto& path : paths)
    if (::unlink(path.c_str()) != 0 && errno != ENOENT && outcome)
      outcome = tl::unexpected(failure("journal.trim", "cannot delete", path, errno));
  return outcome;
}

}  // namespace probity::app
