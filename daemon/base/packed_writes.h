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
  std::shared_ptr<const std::string> made;  // a LateTail's text, when value_of() made it
  std::string joined() const { return std::string(head).append(tail); }
};

/// A put's tail written only when the batch is read (each(), value_of()): on the thread that
/// stores the batch, not on the one that fills it. A checkpoint's kept events are written as
/// JSON this way, on its writer's thread rather than the evaluation thread.
class LateTail {
 public:
  virtual ~LateTail() = default;
  /// About what text() will hold, for payload_bytes() before it is made.
  virtual std::size_t size_hint() const = 0;
  /// Made again at each call, from any thread: so made only from what never changes.
  virtual std::string text() const = 0;
};

class PackedWrites {
 public:
  /// Puts key = the parts concatenated, copied into the batch without being joined first.
  void put(std::string_view key, std::initializer_list<std::string_view> value_parts);
  void put(std::string_view key, std::string_view value) { put(key, {value}); }
  /// Puts key = head followed by `tail`, which is held, not copied: the store copies it into
  /// its own batch anyway, and evidence texts are most of a checkpoint's bytes.
  void put(std::string_view key, std::string_view head, std::shared_ptr<const std::string> tail);
  /// Puts key = head followed by the text `tail` makes when the entry is read.
  void put(std::string_view key, std::string_view head, std::shared_ptr<const LateTail> tail);
  void erase(std::string_view key);
  /// Adds a copy of every entry of `other`, in its order, after these.
  void append(const PackedWrites& other);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// Bytes of keys and values (what a store batch of them holds, before its own framing);
  /// late tails as their size_hint().
  std::size_t payload_bytes() const { return payload_; }
  /// Empties the batch; keeps up to kKeptBytes of its blocks to fill again.
  void clear();
  void swap(PackedWrites& other) noexcept;

  /// The value of the entry whose key `key` is, as each() or each_key() gave it (the view
  /// locates the entry); nullopt for an erase. For a reader that orders entries by their keys
  /// alone. A late tail is made again at each call.
  std::optional<PackedValue> value_of(std::string_view key) const {
    const char op = *(key.data() - sizeof(std::uint32_t) - 1);
    if (op == kErase) return std::nullopt;
    const char* p = key.data() + key.size();
    PackedValue value{field(p), {}, {}};
    if (op == kPutShared) {
      const Tail& tail = tails_[index(p)];
      if (tail.late) {
        value.made = std::make_shared<const std::string>(tail.late->text());
        value.tail = *value.made;
      } else {
        value.tail = *tail.text;
      }
    }
    return value;
  }

  /// Calls fn(key, value) for each entry in the order added; value is a
  /// std::optional<PackedValue>, nullopt for an erase. Late tails are made as their entries
  /// come, and live until fn returns.
  template <class Fn>
  void each(Fn&& fn) const {
    std::string made;
    walk([&](char op, std::string_view key, const char* p) {
      if (op == kErase) {
        fn(key, std::optional<PackedValue>());
        return;
      }
      PackedValue value{field(p), {}, {}};
      if (op == kPutShared) {
        const Tail& tail = tails_[index(p)];
        if (tail.late) {
          made = tail.late->text();
          value.tail = made;
        } else {
          value.tail = *tail.text;
        }
      }
      fn(key, std::optional<PackedValue>(value));
    });
  }

  /// Calls fn(key) for each entry in the order added, making no late tail.
  template <class Fn>
  void each_key(Fn&& fn) const {
    walk([&](char, std::string_view key, const char*) { fn(key); });
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
  /// A shared put's entry up to its tail's index (the next in tails_), counted.
  void put_head(std::string_view key, std::string_view head);
  /// Calls fn(op, key, p) for each entry, p at what follows its key.
  template <class Fn>
  void walk(Fn&& fn) const {
    for (const auto& b : blocks_) {
      const char* p = b.data.get();
      const char* const end = p + b.used;
      while (p < end) {
        const char op = *p++;
        const std::string_view key = field(p);
        const char* const rest = p;
        if (op != kErase) field(p);
        if (op == kPutShared) p += sizeof(std::uint32_t);
        fn(op, key, rest);
      }
    }
  }
  /// The index into tails_ that follows a shared put's head.
  static std::uint32_t index(const char* p) {
    std::uint32_t i;
    std::memcpy(&i, p, sizeof i);
    return i;
  }
  static std::string_view field(const char*& p) {
    std::uint32_t n;
    std::memcpy(&n, p, sizeof n);
    p += sizeof n;
    const std::string_view s(p, n);
    p += n;
    return s;
  }

  struct Tail {  // one or the other
    std::shared_ptr<const std::string> text;
    std::shared_ptr<const LateTail> late;
  };

  std::vector<Block> blocks_;  // those after current_ are empty, kept by clear()
  std::vector<Tail> tails_;    // of kPutShared entries, by index
  std::size_t current_ = 0;    // the block being filled
  std::size_t count_ = 0, payload_ = 0;
};

}  // namespace probity
