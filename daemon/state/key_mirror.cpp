// KeyMirror's flat hash table.
#include "state/key_mirror.h"

#include <bit>
#include <functional>
#include <limits>
#include <mutex>

namespace probity::state {

namespace {

constexpr std::uint64_t kIndexMask = 0xffff'ffffULL;

std::uint64_t hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }
std::uint64_t fingerprint(std::uint64_t hash) { return hash & ~kIndexMask; }
/// The row a non-empty slot points at.
std::uint32_t row_of(std::uint64_t slot) {
  return static_cast<std::uint32_t>((slot & kIndexMask) - 1);
}

}  // namespace

void KeyMirror::Rows::reserve(std::size_t rows) {
  ends_.reserve(rows);
  values_.reserve(rows);
}

bool KeyMirror::Rows::add(std::string_view key, std::uint16_t value) {
  constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max() - 1;
  if (keys_.size() + key.size() > kMax || values_.size() >= kMax) return false;
  keys_.append(key);
  ends_.push_back(static_cast<std::uint32_t>(keys_.size()));
  values_.push_back(value);
  return true;
}

std::string_view KeyMirror::Table::key(std::uint32_t i) const {
  const std::uint32_t begin = i == 0 ? 0 : rows.ends_[i - 1];
  return std::string_view(rows.keys_).substr(begin, rows.ends_[i] - begin);
}

std::size_t KeyMirror::Table::probe(std::string_view key, std::uint64_t hash) const {
  const std::size_t mask = slots.size() - 1;
  for (std::size_t s = hash & mask;; s = (s + 1) & mask) {
    const std::uint64_t slot = slots[s];
    if (slot == 0) return s;
    if (fingerprint(slot) == fingerprint(hash) && this->key(row_of(slot)) == key) return s;
  }
}

std::optional<std::uint16_t> KeyMirror::find(std::string_view key) const {
  std::shared_lock lock(mu_);
  if (!complete_) return std::nullopt;
  if (table_.slots.empty()) return std::uint16_t{0};
  const std::uint64_t slot = table_.slots[table_.probe(key, hash_of(key))];
  return slot == 0 ? std::uint16_t{0} : table_.rows.values_[row_of(slot)];
}

void KeyMirror::set(Rows rows, bool complete) {
  // Built before the lock is taken: look-ups wait only for the swap.
  Table table;
  if (complete && rows.size() > 0) {
    table.rows = std::move(rows);
    table.slots.assign(std::bit_ceil(table.rows.size() * 2), 0);
    auto& values = table.rows.values_;
    for (std::uint32_t i = 0; i < values.size(); ++i) {
      const auto k = table.key(i);
      const std::uint64_t hash = hash_of(k);
      auto& slot = table.slots[table.probe(k, hash)];
      if (slot != 0) {
        values[row_of(slot)] = values[i];  // the same key again: the last counts
        continue;
      }
      slot = fingerprint(hash) | (i + 1);
    }
  }
  std::unique_lock lock(mu_);
  table_ = std::move(table);
  complete_ = complete;
}

}  // namespace probity::state
