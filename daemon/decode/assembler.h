// Internal to decode/: the interface of a gateway format whose messages span log lines
// (Postfix, Mimecast, Exchange, ESA, Proofpoint), and the bounded table of open messages they
// share. Not for mapping onto canonical fields: an assembler emits flat records that decoder.cpp
// maps.
#pragma once

#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "decode/decode.h"
#include "decode/payload.h"

namespace probity::decode {

/// One assembled record (one message and recipient), with the header context of the
/// line that completed it, which the mapper uses for event.time and source.host.
struct AssembledRecord {
  Payload payload;
  std::optional<event::Timestamp> time;
  std::string host;
};

/// Turns a gateway's log lines into records. One instance per source, fed from one thread
/// (see Decoder). Memory is bounded by AssemblyLimits::max_open open messages, each with
/// at most kMaxRecipients recipients and kMaxPayloadFields fields.
class MessageAssembler {
 public:
  virtual ~MessageAssembler() = default;
  /// Takes one line. Records it completes (or pushes out) are appended to `out`. A line
  /// this format ignores (connect/disconnect chatter) is not an error. Errors:
  /// decode.bad_payload for a line that is not this format at all.
  virtual Result<void> feed(const syslog::SyslogMessage& msg, event::Timestamp now,
                            std::vector<AssembledRecord>& out) = 0;
  /// Flushes messages idle past the timeout (all of them when `all`).
  virtual void flush(event::Timestamp now, bool all, std::vector<AssembledRecord>& out) = 0;
  virtual std::size_t open_messages() const = 0;
};

std::unique_ptr<MessageAssembler> make_postfix_assembler(const SourceMapping& source,
                                                         DecodeCounters* counters);
std::unique_ptr<MessageAssembler> make_mimecast_assembler(const SourceMapping& source,
                                                          DecodeCounters* counters);
std::unique_ptr<MessageAssembler> make_exchange_assembler(const SourceMapping& source,
                                                          DecodeCounters* counters);
std::unique_ptr<MessageAssembler> make_esa_assembler(const SourceMapping& source,
                                                     DecodeCounters* counters);
std::unique_ptr<MessageAssembler> make_proofpoint_assembler(const SourceMapping& source,
                                                            DecodeCounters* counters);

/// Open messages by correlation id, least recently active first, within AssemblyLimits.
/// Not thread-safe (one assembler, one thread).
template <class T>
class OpenMessages {
 public:
  enum class Evicted { timeout, capacity };

  explicit OpenMessages(AssemblyLimits limits) : limits_(limits) {}

  /// The open message for `key`, marked active now; nullptr when none.
  T* find(std::string_view key, event::Timestamp now) {
    const auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    touch(it->second, now);
    return &it->second->value;
  }

  /// The open message for `key`, created if absent. When the table is full the least
  /// recently active message is first handed to on_evict(T&&, Evicted::capacity).
  template <class OnEvict>
  T& open(std::string_view key, event::Timestamp now, OnEvict&& on_evict) {
    if (T* found = find(key, now)) return *found;
    if (order_.size() >= limits_.max_open && !order_.empty()) {
      index_.erase(std::string_view(order_.front().key));
      T oldest = std::move(order_.front().value);
      order_.pop_front();
      on_evict(std::move(oldest), Evicted::capacity);
    }
    order_.push_back(Node{std::string(key), now, T{}});
    auto last = std::prev(order_.end());
    index_.emplace(std::string_view(last->key), last);
    return last->value;
  }

  /// Removes the message (it completed); its value is moved out.
  std::optional<T> close(std::string_view key) {
    const auto it = index_.find(key);
    if (it == index_.end()) return std::nullopt;
    auto node = it->second;
    index_.erase(it);
    std::optional<T> value(std::move(node->value));
    order_.erase(node);
    return value;
  }

  /// Hands every message idle longer than the timeout (every message when `all`) to
  /// on_evict(T&&, Evicted::timeout), oldest first.
  template <class OnEvict>
  void expire(event::Timestamp now, bool all, OnEvict&& on_evict) {
    while (!order_.empty() && (all || now - order_.front().last_seen >= limits_.timeout)) {
      index_.erase(std::string_view(order_.front().key));
      T value = std::move(order_.front().value);
      order_.pop_front();
      on_evict(std::move(value), Evicted::timeout);
    }
  }

  std::size_t size() const { return order_.size(); }

 private:
  struct Node {
    std::string key;
    event::Timestamp last_seen;
    T value;
  };
  using Iter = typename std::list<Node>::iterator;

  void touch(Iter node, event::Timestamp now) {
    node->last_seen = std::max(node->last_seen, now);
    order_.splice(order_.end(), order_, node);  // list splice keeps iterators valid
  }

  struct ViewHash {
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  AssemblyLimits limits_;
  std::list<Node> order_;                                       // least recently active first
  std::unordered_map<std::string_view, Iter, ViewHash> index_;  // views into Node::key
};

}  // namespace probity::decode
