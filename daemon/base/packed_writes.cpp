// PackedWrites: entries are [op][u32 key length][key]; a put adds [u32 value length][value],
// a put with a shared or late tail [u32 head length][head][u32 index into tails_].
#include "base/packed_writes.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace probity {

char* PackedWrites::put_length(char* p, std::size_t n) {
  const auto n32 = static_cast<std::uint32_t>(n);
  std::memcpy(p, &n32, sizeof n32);
  return p + sizeof n32;
}

char* PackedWrites::reserve(std::size_t n) {
  while (current_ < blocks_.size() && blocks_[current_].capacity - blocks_[current_].used < n)
    ++current_;
  if (current_ == blocks_.size()) {
    Block b;
    b.capacity = std::max(kBlockBytes, n);
    // Not value-initialised: a block's pages are touched only as entries fill them.
    b.data = std::make_unique_for_overwrite<char[]>(b.capacity);
    blocks_.push_back(std::move(b));
  }
  Block& b = blocks_[current_];
  char* p = b.data.get() + b.used;
  b.used += n;
  return p;
}

void PackedWrites::put(std::string_view key, std::initializer_list<std::string_view> value_parts) {
  std::size_t value = 0;
  for (auto part : value_parts) value += part.size();
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (key.size() > kMax || value > kMax) throw std::length_error("PackedWrites: entry too long");
  char* p = reserve(1 + 2 * sizeof(std::uint32_t) + key.size() + value);
  *p++ = kPut;
  p = put_length(p, key.size());
  p = std::copy(key.begin(), key.end(), p);
  p = put_length(p, value);
  for (auto part : value_parts) p = std::copy(part.begin(), part.end(), p);
  ++count_;
  payload_ += key.size() + value;
}

void PackedWrites::put_head(std::string_view key, std::string_view head) {
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (key.size() > kMax || head.size() > kMax || tails_.size() >= kMax)
    throw std::length_error("PackedWrites: entry too long");
  char* p = reserve(1 + 3 * sizeof(std::uint32_t) + key.size() + head.size());
  *p++ = kPutShared;
  p = put_length(p, key.size());
  p = std::copy(key.begin(), key.end(), p);
  p = put_length(p, head.size());
  p = std::copy(head.begin(), head.end(), p);
  put_length(p, tails_.size());
  payload_ += key.size() + head.size();
  ++count_;
}

void PackedWrites::put(std::string_view key, std::string_view head,
                       std::shared_ptr<const std::string> tail) {
  put_head(key, head);
  if (!tail) tail = std::make_shared<const std::string>();
  payload_ += tail->size();
  tails_.push_back({std::move(tail), nullptr});
}

void PackedWrites::put(std::string_view key, std::string_view head,
                       std::shared_ptr<const LateTail> tail) {
  if (!tail) return put(key, head, std::shared_ptr<const std::string>());
  put_head(key, head);
  payload_ += tail->size_hint();
  tails_.push_back({nullptr, std::move(tail)});
}

void PackedWrites::erase(std::string_view key) {
  if (key.size() > std::numeric_limits<std::uint32_t>::max())
    throw std::length_error("PackedWrites: key too long");
  char* p = reserve(1 + sizeof(std::uint32_t) + key.size());
  *p++ = kErase;
  p = put_length(p, key.size());
  std::copy(key.begin(), key.end(), p);
  ++count_;
  payload_ += key.size();
}

void PackedWrites::append(const PackedWrites& other) {
  other.each([&](std::string_view key, std::optional<PackedValue> value) {
    if (value)
      put(key, {value->head, value->tail});
    else
      erase(key);
  });
}

void PackedWrites::clear() {
  std::size_t kept = 0, keep = 0;
  for (; keep < blocks_.size() && kept + blocks_[keep].capacity <= kKeptBytes; ++keep)
    kept += blocks_[keep].capacity;
  blocks_.resize(keep);
  for (auto& b : blocks_) b.used = 0;
  tails_.clear();
  current_ = 0;
  count_ = payload_ = 0;
}

void PackedWrites::swap(PackedWrites& other) noexcept {
  blocks_.swap(other.blocks_);
  tails_.swap(other.tails_);
  std::swap(current_, other.current_);
  std::swap(count_, other.count_);
  std::swap(payload_, other.payload_);
}

}  // namespace probity
