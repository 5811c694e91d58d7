// Test harness for gateway and generic-format sources: a Decoder over one default (or
// adjusted) source, fed whole syslog lines that the harness keeps alive.
#pragma once

#include <gtest/gtest.h>
#include <deque>

#include "decode/decode.h"
#include "syslog/syslog.h"
#include "test_support.h"

namespace probity::decode::testing {

inline SourceMapping default_source(std::string_view name) {
  for (auto& s : default_sources())
    if (s.name == name) return s;
  ADD_FAILURE() << "no default source " << name;
  return {};
}

class GatewayHarness {
 public:
  explicit GatewayHarness(SourceMapping source, const state::ReferenceData* reference = nullptr)
      : decoder_({std::move(source)}, reference, &counters) {}

  /// Decodes one syslog line (RFC 3164 or 5424); events accumulate in `events`.
  Result<std::size_t> line(std::string text, event::Timestamp now = kReceived) {
    lines_.push_back(std::move(text));
    auto msg = syslog::parse_syslog(lines_.back());
    EXPECT_TRUE(msg) << lines_.back();
    if (!msg) return tl::unexpected(msg.error());
    return decoder_.decode_into(*msg, now, events);
  }
  /// Feeds several lines, expecting each to decode without error.
  void lines(std::initializer_list<std::string_view> texts, event::Timestamp now = kReceived) {
    for (auto t : texts) {
      auto r = line(std::string(t), now);
      EXPECT_TRUE(r) << t << ": " << (r ? "" : r.error().message);
    }
  }
  std::size_t flush_expired(event::Timestamp now) { return decoder_.flush_expired(now, events); }
  std::size_t flush_all() { return decoder_.flush_all(events); }
  std::size_t open_messages() const { return decoder_.open_messages(); }
  Decoder& decoder() { return decoder_; }

  DecodeCounters counters;
  std::vector<event::Event> events;

 private:
  Decoder decoder_;
  std::deque<std::string> lines_;
};

inline std::string str(const event::Event& e, event::FieldId id) { return std::string(e.str(id)); }

inline std::int64_t integer(const event::Event& e, event::FieldId id) {
  const auto* v = std::get_if<std::int64_t>(&e.get(id));
  return v ? *v : -1;
}

inline std::string raw_or_empty(const event::Event& e, std::string_view name) {
  const std::string* v = e.raw_field(name);
  return v ? *v : std::string();
}

}  // namespace probity::decode::testing
