// A small read-through cache in front of the reference tables, so rule look-ups that repeat
// (the same user, the same domain) skip RocksDB and decoding. Not an LRU: when full it is
// emptied, which is cheap and good enough for working sets below its capacity.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "state/keys.h"

namespace probity::state {

/// Thread-safe. A writer calls invalidate() after its RocksDB write; a reader passes back the
/// generation it saw before reading RocksDB, so a value read before a write can never be
/// inserted after that write's invalidation (it would be stale).
template <class V>
class ReadCache {
 public:
  explicit ReadCache(std::size_t capacity) : capacity_(capacity) {}

  /// The cached value, or nullopt with `generation` set for a later insert(). By view: a
  /// hit (most look-ups) needs no key of its own (LowerKey).
  std::optional<V> find(std::string_view key, std::uint64_t& generation) const {
    std::shared_lock lock(mu_);
    generation = generation_;
    const auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  void insert(std::string key, V value, std::uint64_t generation) {
    std::unique_lock lock(mu_);
    if (generation != generation_) return;
    if (map_.size() >= capacity_) map_.clear();
    map_.insert_or_assign(std::move(key), std::move(value));
  }

  void invalidate() {
    std::unique_lock lock(mu_);
    ++generation_;
    map_.clear();
  }

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, V, KeyHash, std::equal_to<>> map_;
  std::uint64_t generation_ = 0;
  std::size_t capacity_;
};

}  // namespace probity::state
