// `probity parse`: syslog lines or RFC 6587 frames on stdin become canonical events on
// stdout, one JSON line each, through the daemon's own parse and decode; with --source, also
// a gateway's own log file (bare JSON, CSV or kv records, one per line, no syslog header).
// Not for rules (see replay_command) or for storing anything.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "app/bare_records.h"
#include "app/commands.h"
#include "app/setup.h"
#include "app/state_dir.h"
#include "ingest/framing.h"
#include "syslog/syslog.h"

namespace probity::app {
namespace {

std::string read_stdin() {
  std::ios::sync_with_stdio(false);
  return std::string(std::istreambuf_iterator<char>(std::cin), {});
}

}  // namespace

int parse_command(const CommonOptions& options, const ParseOptions& parse) {
  auto config = effective_config(options);
  if (!config) return 2;
  std::vector<decode::SourceMapping> sources = config->sources;
  if (!parse.source.empty()) {
    std::erase_if(sources, [&](const auto& s) { return s.name != parse.source; });
    if (sources.empty()) {
      std::fprintf(stderr,
                   "probity parse: no source named '%s' (configured:", parse.source.c_str());
      for (const auto& s : config->sources) std::fprintf(stderr, " %s", s.name.c_str());
      std::fprintf(stderr, ")\n");
      return 2;
    }
    // --source forces this mapping: whatever the message's app-name or host.
    sources[0].match = {};
  }
  // Reference data is optional here: with a state dir, email senders resolve to staff.
  std::unique_ptr<state::Store> store;
  if (options.state_dir) {
    auto opened = open_state_dir_if_present(*config);
    if (!opened) return std::fprintf(stderr, "probity: %s\n", describe(opened.error()).c_str()), 2;
    store = std::move(*opened);
  }
  decode::Decoder decoder(sources, store.get());

  const std::string input = read_stdin();
  const auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::size_t index = 0, bad = 0;
  std::vector<event::Event> events;
  auto report = [&](const std::string& what) {
    ++bad;
    std::fprintf(stderr, "probity parse: message %zu: %s\n", index, what.c_str());
    return parse.keep_going;
  };
  // One message: syslog, or with --source a bare record of that source's format.
  auto handle = [&](std::string_view bytes) {
    auto msg = parse_record(bytes, !parse.source.empty());
    if (!msg)
      return report(msg.error().message + " [" + msg.error().code + "] at byte " +
                    std::to_string(msg.error().pos.offset));
    events.clear();
    auto decoded = decoder.decode_into(*msg, now, events);
    if (!decoded) return report(decoded.error().message + " [" + decoded.error().code + "]");
    for (const auto& e : events) std::printf("%s\n", event::to_json(e).c_str());
    return true;
  };
  const std::size_t max_size =
      config->listeners.empty() ? 64 * 1024 : config->listeners[0].max_message_size;
  if (!parse.source.empty() && !octet_counted(input)) {
    bool ok = true;
    LineSplitter lines(max_size);
    auto each = [&](const LineSplitter::Line& line) {
      if (!ok) return;
      ++index;
      if (line.too_long)
        ok = report("line of " + std::to_string(line.length) + " bytes is over the maximum size");
      else
        ok = handle(line.bytes);
    };
    lines.feed(input, each);
    lines.finish(each);
    if (!ok) return 1;
  } else {
    ingest::FrameDecoder frames(max_size);
    frames.feed(input);
    for (bool at_end = false;;) {
      ingest::Frame frame = frames.next();
      if (frame.status == ingest::FrameStatus::need_more) {
        if (at_end) break;
        frame = frames.finish();
        at_end = true;
        if (frame.status == ingest::FrameStatus::need_more) break;
      }
      ++index;
      if (frame.status == ingest::FrameStatus::too_long) {
        if (!report("message of " + std::to_string(frame.claimed_length) +
                    " bytes is over the maximum size"))
          return 1;
        continue;
      }
      if (frame.status == ingest::FrameStatus::bad_frame) {
        if (!report("broken frame: octet count is not a number")) return 1;
        continue;
      }
      if (!handle(frame.bytes)) return 1;
    }
  }
  // Gateway messages still open at the end of the input (no "removed" line yet).
  events.clear();
  decoder.flush_all(events);
  for (const auto& e : events) std::printf("%s\n", event::to_json(e).c_str());
  if (index == 0) {
    std::fprintf(stderr, "probity parse: no messages on stdin\n");
    return 1;
  }
  return bad == 0 ? 0 : 1;
}

}  // namespace probity::app
