// Internal to decode/: the interface of a gateway format whose messages span log lines
// (Postfix, Mimecast, Exchange, ESA, Proofpoint), and the bounded table of open messages they
// share. Not for mapping onto canonical fields: an assembler emits flat records that decoder.cpp
// maps.
#pragma once

#include <algorithm>
#include <cstdio>
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
/// (see Decoder). Memory is bounded by AssemblyLimits::max_open open messages and
/// AssemblyLimits::max_bytes of ids and held text, each message with at most
/// kMaxRecipients recipients and kMaxPayloadFields fields.
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
  /// What the open messages hold by OpenMessages' accounting (ids, held text, per-message
  /// overhead): at most AssemblyLimits::max_bytes plus the one message last fed.
  virtual std::size_t held_bytes() = 0;
};

/// Why an open message was flushed before it completed.
enum class Evicted { timeout, capacity, bytes };

/// The counters for an unfinished message pushed out early to make room (max_open or
/// max_bytes): its reason, and the gateway's messages flushed incomplete.
inline void count_early_eviction(DecodeCounters* c, Evicted why, PayloadFormat format) {
  if (!c) return;
  (why == Evicted::bytes ? c->evicted_bytes : c->evicted_capacity)
      .fetch_add(1, std::memory_order_relaxed);
  c->count_flushed_incomplete(format);
}

/// Adds a field to an assembled record unless its value is empty: gateway records carry
/// only what the log said, so an absent value stays absent rather than "".
inline void add_field(Payload& p, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  PayloadField& f = p.emplace_back();
  f.name = name;
  f.value = value;
}

/// Counts one gateway line taken into assembly.
inline void count_assembled_line(DecodeCounters* c) {
  if (c) c->assembled_lines.fetch_add(1, std::memory_order_relaxed);
}

/// A value as an open message holds it: at most kMaxHeldValueBytes, so one long reply or
/// subject cannot make a message huge. The emitted record carries the same cut value.
inline std::string held(std::string_view v) {
  return std::string(v.substr(0, std::min(v.size(), kMaxHeldValueBytes)));
}

/// Bytes a held string costs beyond its owner: its characters when they do not fit in the
/// string itself (libstdc++'s short-string buffer holds 15).
inline std::size_t held_bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() : 0; }
template <class... S>
std::size_t held_bytes(const std::string& first, const S&... rest) {
  return held_bytes(first) + held_bytes(rest...);
}
inline std::size_t held_bytes(const std::vector<std::string>& v) {
  std::size_t n = v.capacity() * sizeof(std::string);
  for (const auto& s : v) n += held_bytes(s);
  return n;
}

/// What a record waiting in an open message holds beyond sizeof(AssembledRecord).
inline std::size_t held_bytes(const AssembledRecord& r) {
  std::size_t n = r.payload.capacity() * sizeof(PayloadField) + held_bytes(r.host);
  for (const auto& f : r.payload) n += held_bytes(f.name, f.value) + held_bytes(f.items);
  return n;
}
inline std::size_t held_bytes(const std::vector<AssembledRecord>& v) {
  std::size_t n = v.capacity() * sizeof(AssembledRecord);
  for (const auto& r : v) n += held_bytes(r);
  return n;
}

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
/// T has `std::size_t bytes() const`: what it holds beyond sizeof(T). Callers change only
/// the message find() or open() last returned, so that is the one re-measured at the next
/// call: the accounting needs no help from them. Not thread-safe (one assembler, one thread).
template <class T>
class OpenMessages {
 public:
  explicit OpenMessages(AssemblyLimits limits) : limits_(limits) {}

  /// The open message for `key`, marked active now; nullptr when none.
  T* find(std::string_view key, event::Timestamp now) {
    settle();
    const auto it = index_.find(bounded(key));
    if (it == index_.end()) return nullptr;
    touch(it->second, now);
    return &it->second->value;
  }

  /// The open message for `key`, created if absent. While the table is full (max_open) or
  /// holds max_bytes, the least recently active message is first handed to
  /// on_evict(T&&, Evicted::capacity or Evicted::bytes).
  template <class OnEvict>
  T& open(std::string_view key, event::Timestamp now, OnEvict&& on_evict) {
    if (T* found = find(key, now)) return *found;
    const std::string_view k = bounded(key);
    const std::size_t cost = sizeof(Node) + (k.size() > 15 ? k.size() : 0);
    for (;;) {
      const bool full = order_.size() >= limits_.max_open;
      if (order_.empty() || (!full && bytes_ + cost <= limits_.max_bytes)) break;
      Node& oldest = order_.front();
      index_.erase(std::string_view(oldest.key));
      bytes_ -= oldest.bytes;
      T value = std::move(oldest.value);
      order_.pop_front();
      on_evict(std::move(value), full ? Evicted::capacity : Evicted::bytes);
    }
    order_.push_back(Node{std::string(k), now, T{}, cost});
    bytes_ += cost;
    last_ = std::prev(order_.end());
    index_.emplace(std::string_view(last_->key), last_);
    return last_->value;
  }

  /// Removes the message (it completed); its value is moved out.
  std::optional<T> close(std::string_view key) {
    settle();
    const auto it = index_.find(bounded(key));
    if (it == index_.end()) return std::nullopt;
    auto node = it->second;
    index_.erase(it);
    std::optional<T> value(std::move(node->value));
    bytes_ -= node->bytes;
    order_.erase(node);
    return value;
  }

  /// Hands every message idle longer than the timeout (every message when `all`) to
  /// on_evict(T&&, Evicted::timeout), oldest first.
  template <class OnEvict>
  void expire(event::Timestamp now, bool all, OnEvict&& on_evict) {
    settle();
    while (!order_.empty() && (all || now - order_.front().last_seen >= limits_.timeout)) {
      index_.erase(std::string_view(order_.front().key));
      bytes_ -= order_.front().bytes;
      T value = std::move(order_.front().value);
      order_.pop_front();
      on_evict(std::move(value), Evicted::timeout);
    }
  }

  std::size_t size() const { return order_.size(); }
  /// Ids, held text and per-message overhead of every open message.
  std::size_t bytes() {
    settle();
    return bytes_;
  }

 private:
  struct Node {
    std::string key;
    event::Timestamp last_seen;
    T value;
    std::size_t bytes = 0;  // as last measured
  };
  using Iter = typename std::list<Node>::iterator;

  void touch(Iter node, event::Timestamp now) {
    settle();
    node->last_seen = std::max(node->last_seen, now);
    order_.splice(order_.end(), order_, node);  // list splice keeps iterators valid
    last_ = node;
  }

  // Re-measures the message handed out last (the only one a caller may have changed).
  void settle() {
    if (last_ == order_.end()) return;
    const std::size_t now = sizeof(Node) + held_bytes(last_->key) + last_->value.bytes();
    bytes_ = bytes_ - last_->bytes + now;
    last_->bytes = now;
    last_ = order_.end();
  }

  // Ids are sender-controlled text: one longer than kMaxAssemblyKeyBytes is kept as its
  // start and a hash of the whole, so a huge id costs no more than a normal one.
  std::string_view bounded(std::string_view key) {
    if (key.size() <= kMaxAssemblyKeyBytes) return key;
    constexpr std::size_t kKept = kMaxAssemblyKeyBytes - 17;
    scratch_.assign(key.substr(0, kKept));
    char hash[18];
    std::snprintf(hash, sizeof hash, "#%016zx", std::hash<std::string_view>{}(key));
    scratch_.append(hash, 17);
    return scratch_;
  }

  struct ViewHash {
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  AssemblyLimits limits_;
  std::list<Node> order_;                                       // least recently active first
  std::unordered_map<std::string_view, Iter, ViewHash> index_;  // views into Node::key
  std::size_t bytes_ = 0;
  Iter last_ = order_.end();  // handed out since the last settle(); end() when none
  std::string scratch_;       // a bounded long key
};

/// Flushes idle open messages (all when `all`): each goes to release(T&), which returns
/// whether it left unfinished; those count as flushed incomplete for `format`, and as
/// timeouts except in the flush of all at stop.
template <class T, class Release>
void flush_open(OpenMessages<T>& open, event::Timestamp now, bool all, DecodeCounters* counters,
                PayloadFormat format, Release&& release) {
  open.expire(now, all, [&](T&& m, auto) {
    if (!release(m) || !counters) return;
    counters->count_flushed_incomplete(format);
    if (!all) counters->evicted_timeout.fetch_add(1, std::memory_order_relaxed);
  });
}

/// The usual shape of an assembler: one table of open messages, flushed when idle. A format
/// implements feed() and flushed(); the table, its accounting and the counters are here.
template <class Message>
class OneTableAssembler : public MessageAssembler {
 public:
  void flush(event::Timestamp now, bool all, std::vector<AssembledRecord>& out) final {
    flush_open(open_, now, all, counters_, format_, [&](Message& m) { return flushed(m, out); });
  }
  std::size_t open_messages() const final { return open_.size(); }
  std::size_t held_bytes() final { return open_.bytes(); }

 protected:
  OneTableAssembler(const SourceMapping& source, DecodeCounters* counters)
      : open_(source.assembly), counters_(counters), format_(source.format) {}

  /// Hands on what an unfinished message holds as it leaves the table (idle past the
  /// timeout, or everything at shutdown). True when that counts as a timeout eviction.
  virtual bool flushed(Message& m, std::vector<AssembledRecord>& out) = 0;

  void count_line() { count_assembled_line(counters_); }
  void count_evicted(Evicted why) { count_early_eviction(counters_, why, format_); }

  OpenMessages<Message> open_;
  DecodeCounters* counters_;
  PayloadFormat format_;
};

}  // namespace probity::decode
