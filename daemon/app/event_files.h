// Log files as one stream of canonical events in event-time order, for replay and
// calibration. Each file is decoded on its own (gateway messages assemble within their
// file, as within one connection), then the files are merged by event time, so an access
// log and a mail log covering the same day correlate as if they had arrived together. Not
// for the daemon's sockets (ingest/ and DecodeStage).
#pragma once

#include <cstddef>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <utility>
#include <vector>

#include "app/bare_records.h"
#include "app/pipeline.h"
#include "decode/decode.h"
#include "event/event.h"
#include "ingest/framing.h"

namespace probity::app {

/// One log file's events in file order: raw syslog (octet-counted or one message per line)
/// through its own Decoder and DecodeStage, or canonical events as JSON lines (what `probity
/// parse` prints), told apart by the first non-blank byte. With `bare` (a source forced with
/// --source) the file is that source's log: syslog, or its own bare records one per line (a
/// PoD JSON line is a record then, not a canonical event; app/bare_records.h). Reads 64 KiB
/// at a time, so it holds at most the events of one read (plus open gateway messages).
class EventFile final : private EventSink {
 public:
  /// `counters` and `decode_counters` are shared by every file of a replay and must
  /// outlive this; `reference` (may be null) resolves email senders to staff.
  EventFile(std::filesystem::path file, const std::vector<decode::SourceMapping>& sources,
            const state::ReferenceData* reference, std::size_t max_message_size,
            PipelineCounters& counters, decode::DecodeCounters& decode_counters, bool bare = false);
  ~EventFile() override;

  /// The next event, left in place (valid until pop()), or nullptr once the file is
  /// exhausted (gateway messages still open at its end are emitted first). Events are read
  /// where they were decoded, not moved out: each is a few dozen values.
  const event::Event* peek();
  /// Drops the event peek() gave.
  void pop() { ready_.pop_front(); }
  /// Lines or frames that gave nothing to decode (the first is logged): JSON lines that were
  /// not canonical events, messages over the maximum size, broken octet counts.
  std::size_t bad_lines() const { return bad_lines_; }

 private:
  void on_events(std::vector<event::Event>& events, JournalSeq position) override;
  void read_syslog();
  void read_bare_lines();
  void read_json_line();
  void bad_line(const std::string& what);

  std::filesystem::path path_;
  std::ifstream in_;
  bool json_lines_ = false;
  bool at_end_ = false;
  std::size_t line_no_ = 0, bad_lines_ = 0;
  std::unique_ptr<decode::Decoder> decoder_;  // raw syslog only
  std::unique_ptr<DecodeStage> pipeline_;
  std::unique_ptr<ingest::FrameDecoder> frames_;
  std::unique_ptr<LineSplitter> lines_;  // bare records: one per line, never octet counts
  std::vector<char> chunk_;
  std::deque<event::Event> ready_;
};

/// Several log files merged by event time: a k-way merge holding one event per file, each
/// file assumed roughly in time order (disorder within a file passes through as it is, for
/// the correlation lateness bound to absorb). Equal times keep the files' order; an event
/// without a time goes out at its file's last time.
class MergedEventFiles {
 public:
  MergedEventFiles(const std::vector<std::filesystem::path>& files,
                   const std::vector<decode::SourceMapping>& sources,
                   const state::ReferenceData* reference, std::size_t max_message_size,
                   PipelineCounters& counters, decode::DecodeCounters& decode_counters,
                   bool bare = false);

  /// The earliest of the files' next events, valid until the next call; nullptr when every
  /// file is exhausted.
  const event::Event* next();
  std::size_t bad_lines() const;

 private:
  /// Puts the file's next event, if any, in the merge order.
  void enqueue(std::size_t file);

  std::vector<std::unique_ptr<EventFile>> files_;
  std::optional<std::size_t> given_;                       // the file whose event next() last gave
  std::vector<event::Timestamp> last_time_;                // per file: for events without a time
  using Entry = std::pair<event::Timestamp, std::size_t>;  // (time, file): ties by file
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> order_;
};

}  // namespace probity::app
