// PackedWrites: a batch of key-value puts and erases packed, as they are added, into blocks of
// 256 KiB that clear() keeps for the next batch. A busy correlation checkpoint is a hundred
// thousand entries: as separate strings, building them cost the evaluation thread an
// allocation each and freeing them on the writer thread contended for its heap; and fresh
// blocks for each checkpoint cost it glibc's consolidation of small free chunks at each one.
// Recycled, a steady stream of checkpoints allocates nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probity {

/// A put's value as PackedWrites::each gives it: `head` followed by `tail` (a shared text,
/// empty for other puts), to be joined by whoever stores it.
struct PackedValue {
  std::string_view head, tail;
  std::string joined() const { return std::string(head).append(tail); }
};

class PackedWrites {
 public:
  /// Puts key = the parts concatenated, copied into the batch without being joined first.
  void put(std::string_view key, std::initializer_list<std::string_view> value_parts);
  void put(std::string_view key, std::string_view value) { put(key, {value}); }
  /// Puts key = head followed by `tail`, which is held, not copied: the store copies it into
  /// its own batch anyway, and evidence texts are most of a checkpoint's bytes.
  void put(std::string_view key, std::string_view head, std::shared_ptr<const std::string> tail);
  void erase(std::string_view key);
  /// Adds a copy of every entry of `other`, in its order, after these.
  void append(const PackedWrites& other);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// Bytes of keys and values (what a store batch of them holds, before its own framing).
  std::size_t payload_bytes() const { return payload_; }
  /// Empties the batch; keeps up to kKeptBytes of its blocks to fill again.
  void clear();
  void swap(PackedWrites& other) noexcept;

  /// The value of the entry whose key `key` is, as each() gave it (the view locates the
  /// entry); nullopt for an erase. For a reader that orders entries by their keys alone.
  std::optional<PackedValue> value_of(std::string_view key) const {
    const char op = *(key.data() - sizeof(std::uint32_t) - 1);
    if (op == kErase) return std::nullopt;
    const char* p = key.data() + key.size();
    PackedValue value{field(p), {}};
    if (op == kPutShared) {
      std::uint32_t i;
      std::memcpy(&i, p, sizeof i);
      value.tail = *tails_[i];
    }
    return value;
  }

  /// Calls fn(key, value) for each entry in the order added; value is a
  /// std::optional<PackedValue>, nullopt for an erase.
  template <class Fn>
  void each(Fn&& fn) const {
    for (const auto& b : blocks_) {
      const char* p = b.data.get();
      const char* const end = p + b.used;
      while (p < end) {
        const char op = *p++;
        const std::string_view key = field(p);
        if (op == kErase) {
          fn(key, std::optional<PackedValue>());
          continue;
        }
        PackedValue value{field(p), {}};
        if (op == kPutShared) {
          std::uint32_t i;
          std::memcpy(&i, p, sizeof i);
          p += sizeof i;
          value.tail = *tails_[i];
        }
        fn(key, std::optional<PackedValue>(value));
      }
    }
  }

 private:
  static constexpr char kPut = 'p', kPutShared = 's', kErase = 'e';
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 18;
  static constexpr std::size_t kKeptBytes = std::size_t{64} << 20;
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t used = 0, capacity = 0;
  };
  /// Room for `n` more bytes: in the block being filled, else the next kept block that is
  /// large enough, else a new one.
  char* reserve(std::size_t n);
  static char* put_length(char* p, std::size_t n);
  static std::string_view field(const char*& p) {
    std::uint32_t n;
    std::memcpy(&n, p, sizeof n);
    p += sizeof n;
    const std::string_view s(p, n);
    p += n;
    return s;
  }

  std::vector<Block> blocks_;  // those after current_ are empty, kept by clear()
  std::vector<std::shared_ptr<const std::string>> tails_;  // of kPutShared entries, by index
  std::size_t current_ = 0;                                // the block being filled
  std::size_t count_ = 0, payload_ = 0;
};

}  // namespace probity
