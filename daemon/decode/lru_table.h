// Internal to decode/: a map of bounded size that forgets its least recently used entry,
// for per-stream state a hostile sender could otherwise grow or churn (CSV header rows,
// Exchange #Fields layouts, ESA connection ids). Not for open gateway messages, which also
// time out and are emitted when evicted (assembler.h's OpenMessages).
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace probity::decode {

/// Not thread-safe (one decoder, one thread). find() and put() are O(1).
template <class V>
class LruTable {
 public:
  explicit LruTable(std::size_t max_entries) : max_(max_entries) {}
  LruTable(const LruTable&) = delete;  // index_ holds views into order_'s keys
  LruTable& operator=(const LruTable&) = delete;

  /// The value for `key`, marked used (so a stream sending data keeps its entry); nullptr
  /// when absent.
  V* find(std::string_view key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.end(), order_, it->second);  // splice keeps iterators valid
    return &it->second->second;
  }

  /// Sets `key` to `value`, marked used. Returns true when the least recently used entry
  /// was forgotten to make room (the caller counts it).
  bool put(std::string_view key, V value) {
    if (V* found = find(key)) {
      *found = std::move(value);
      return false;
    }
    bool evicted = false;
    if (order_.size() >= max_ && !order_.empty()) {
      index_.erase(std::string_view(order_.front().first));
      order_.pop_front();
      evicted = true;
    }
    order_.emplace_back(std::string(key), std::move(value));
    index_.emplace(std::string_view(order_.back().first), std::prev(order_.end()));
    return evicted;
  }

  void erase(std::string_view key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return;
    const auto node = it->second;
    index_.erase(it);
    order_.erase(node);
  }

  std::size_t size() const { return order_.size(); }

 private:
  struct ViewHash {
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Node = std::pair<std::string, V>;

  std::size_t max_;
  std::list<Node> order_;  // front: least recently used
  std::unordered_map<std::string_view, typename std::list<Node>::iterator, ViewHash> index_;
};

}  // namespace probity::decode
