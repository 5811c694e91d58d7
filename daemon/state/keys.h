// How reference data is keyed: ASCII lower-casing and composite keys, shared by the RocksDB
// store and MemoryReference so both find a row by exactly the same key. Not an encoding of
// values (codec.h) and not a list of tables (tables.h).
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace probity::state {

/// Separator inside composite keys; identifiers may not contain it (import rejects them).
inline constexpr char kKeySep = '\0';

/// ASCII lower-case; other bytes pass through, so non-ASCII ids compare bytewise.
std::string lower(std::string_view s);
/// key_a \0 key_b, both lower-cased.
std::string composite_key(std::string_view a, std::string_view b);
/// The smallest string greater than every string with this prefix; empty when none exists.
std::string prefix_successor(std::string_view prefix);

/// A lower-cased key (or two joined by kKeySep) built without allocating when it fits: the
/// look-ups rules make on every event build one of these, not a std::string.
class LowerKey {
 public:
  explicit LowerKey(std::string_view a) { append(a); }
  LowerKey(std::string_view a, std::string_view b) {
    append(a);
    append(std::string_view(&kKeySep, 1));
    append(b);
  }
  std::string_view view() const {
    return heap_.empty() ? std::string_view(buf_.data(), size_) : std::string_view(heap_);
  }

 private:
  static char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
  void append(std::string_view s) {
    if (heap_.empty() && size_ + s.size() <= buf_.size()) {
      for (std::size_t i = 0; i < s.size(); ++i) buf_[size_ + i] = fold(s[i]);
      size_ += s.size();
      return;
    }
    if (heap_.empty()) heap_.assign(buf_.data(), size_);
    for (const char c : s) heap_ += fold(c);
  }
  std::array<char, 192> buf_;
  std::size_t size_ = 0;
  std::string heap_;
};

/// Transparent hash so unordered containers keyed by std::string take a string_view.
struct KeyHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace probity::state
