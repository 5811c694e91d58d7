// The decode fuzz targets' driver (see decode_driver.h).
#include "decode_driver.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

#include "syslog/syslog.h"

namespace probity::fuzz {
namespace {

std::vector<std::string_view> split_lines(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

/// Small assembly limits, so capacity eviction is reached within a short input.
void shrink_limits(std::vector<decode::SourceMapping>& sources) {
  for (auto& s : sources) s.assembly.max_open = 4;
}

/// Feeds the messages one second apart, then flushes as the idle timer and shutdown do.
template <class Messages>
void run(std::vector<decode::SourceMapping> sources, const Messages& messages) {
  shrink_limits(sources);
  decode::DecodeCounters counters;
  decode::Decoder decoder(std::move(sources), nullptr, &counters);
  auto now = *event::parse_time("2026-03-01T12:00:00Z");
  std::vector<event::Event> events;
  for (const auto& msg : messages) {
    (void)decoder.decode_into(msg, now, events);
    now += std::chrono::seconds(1);
  }
  (void)decoder.flush_expired(now + std::chrono::hours(1), events);
  (void)decoder.flush_all(events);
}

}  // namespace

decode::SourceMapping default_source(std::string_view name) {
  for (auto& s : decode::default_sources())
    if (s.name == name) return s;
  std::abort();
}

decode::SourceMapping generic_source(decode::PayloadFormat format) {
  decode::SourceMapping s;
  s.name = "fuzz";
  s.kind = event::Kind::access;
  s.format = format;
  if (format == decode::PayloadFormat::csv) s.csv_header_first_row = true;
  return s;
}

void decode_syslog_lines(std::vector<decode::SourceMapping> sources, const std::uint8_t* data,
                         std::size_t size) {
  // The messages are views into the input, which outlives them.
  std::vector<syslog::SyslogMessage> messages;
  for (auto line : split_lines(data, size))
    if (auto msg = syslog::parse_syslog(line)) messages.push_back(std::move(*msg));
  run(std::move(sources), messages);
}

void decode_payload_lines(decode::SourceMapping source, const std::uint8_t* data,
                          std::size_t size) {
  source.match = {};  // catch-all: every line reaches this source's decoder
  std::vector<syslog::SyslogMessage> messages;
  for (auto line : split_lines(data, size)) {
    syslog::SyslogMessage m;
    m.version = 1;
    m.timestamp = "2026-03-01T11:59:58.5Z";
    m.hostname = "host1";
    m.app_name = "app";
    m.message = line;
    messages.push_back(std::move(m));
  }
  run({std::move(source)}, messages);
}

}  // namespace probity::fuzz
