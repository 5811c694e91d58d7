// KeyMirror: an in-memory copy of a reference table's keys (lists, list names, declared
// associations), so the look-ups rules make on every event touch neither RocksDB nor the
// allocator. Private to state/: Store::Db loads it; store_reads.cpp asks it.
#pragma once

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace probity::state {

/// The value is a bit mask of association kinds (1 for plain membership). Loaded at open and
/// reloaded after every write to its table (writes are rare, administrator actions).
/// Flat rather than node-based: a million list entries are one block of key bytes and two
/// arrays (by arithmetic, about a third of an unordered_map's memory), loaded without a
/// malloc per key.
class KeyMirror {
 public:
  /// A table's rows as they are read, before they can be looked up.
  class Rows {
   public:
    void reserve(std::size_t rows);
    /// False (and nothing added) once the rows would not fit the mirror's 32-bit offsets.
    bool add(std::string_view key, std::uint16_t value);
    [[nodiscard]] std::size_t size() const { return values_.size(); }

   private:
    friend class KeyMirror;
    std::string keys_;                 // every key, end to end
    std::vector<std::uint32_t> ends_;  // key i is keys_[ends_[i-1], ends_[i])
    std::vector<std::uint16_t> values_;
  };

  /// nullopt when not mirrored (too large, or a read error while loading); 0 when absent.
  [[nodiscard]] std::optional<std::uint16_t> find(std::string_view key) const;

  /// Replaces the mirror; incomplete rows leave it unmirrored (look-ups go to RocksDB).
  /// A key given twice keeps its last value.
  void set(Rows rows, bool complete);

 private:
  // Open addressing, linear probing, at most half full. A slot is 0 (empty) or the
  // key's hash's high 32 bits above (row index + 1): most misses end without touching
  // the key bytes.
  struct Table {
    Rows rows;
    std::vector<std::uint64_t> slots;

    [[nodiscard]] std::string_view key(std::uint32_t i) const;
    /// The slot holding key (found) or the empty slot where it would go.
    [[nodiscard]] std::size_t probe(std::string_view key, std::uint64_t hash) const;
  };

  mutable std::shared_mutex mu_;
  Table table_;
  bool complete_ = false;
};

}  // namespace probity::state
