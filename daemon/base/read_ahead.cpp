// read_ahead (read_ahead.h): a bounded queue of packed chunks between a reader thread and
// the caller.
#include "base/read_ahead.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/thread_role.h"

namespace probity {
namespace {

// Keys and values back to back in one buffer, with their lengths.
struct Chunk {
  std::string bytes;
  std::vector<std::pair<std::size_t, std::size_t>> sizes;
};

class ChunkQueue {
 public:
  explicit ChunkQueue(std::size_t capacity) : capacity_(capacity) {}

  /// False when the consumer has gone.
  bool push(Chunk&& chunk) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return full_.size() < capacity_ || abandoned_; });
    if (abandoned_) return false;
    full_.push_back(std::move(chunk));
    changed_.notify_all();
    return true;
  }
  void finish(Result<void> outcome) {
    std::lock_guard lock(mutex_);
    outcome_ = std::move(outcome);
    changed_.notify_all();
  }
  /// The next chunk, or none once the reader has finished and every chunk was taken.
  std::optional<Chunk> pop() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !full_.empty() || outcome_; });
    if (full_.empty()) return std::nullopt;
    Chunk chunk = std::move(full_.front());
    full_.pop_front();
    changed_.notify_all();
    return chunk;
  }
  void abandon() {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    changed_.notify_all();
  }
  Result<void> outcome() {
    std::lock_guard lock(mutex_);
    return outcome_ ? *outcome_ : Result<void>{};
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Chunk> full_;
  std::size_t capacity_;
  bool abandoned_ = false;
  std::optional<Result<void>> outcome_;
};

// Joins the reader on every way out of read_ahead, an exception from `each` included.
struct ReaderGuard {
  ChunkQueue& queue;
  std::thread& reader;
  ~ReaderGuard() {
    queue.abandon();
    if (reader.joinable()) reader.join();
  }
};

}  // namespace

Result<void> read_ahead(const EntryScan& scan,
                        const std::function<void(std::string_view, std::string_view)>& each,
                        std::size_t chunk_bytes, std::size_t chunks) {
  ChunkQueue queue(chunks);
  std::thread reader([&] {
    name_this_thread("probity-read");
    Chunk chunk;
    auto send = [&] { return queue.push(std::exchange(chunk, Chunk{})); };
    auto scanned = scan([&](std::string_view key, std::string_view value) {
      chunk.bytes.append(key).append(value);
      chunk.sizes.emplace_back(key.size(), value.size());
      return chunk.bytes.size() < chunk_bytes || send();
    });
    if (!chunk.sizes.empty()) send();
    queue.finish(std::move(scanned));
  });
  ReaderGuard guard{queue, reader};
  while (auto chunk = queue.pop()) {
    std::string_view rest = chunk->bytes;
    for (const auto& [key_size, value_size] : chunk->sizes) {
      each(rest.substr(0, key_size), rest.substr(key_size, value_size));
      rest.remove_prefix(key_size + value_size);
    }
  }
  return queue.outcome();
}

}  // namespace probity
