// A gateway's own log files (Mimecast SIEM files, Exchange message-tracking CSV with its
// #Fields header, Proofpoint on Demand JSON lines): records with no syslog header, read with
// `--source NAME` by `probity parse`, `replay`, `rules calibrate` and `learn references`. Each
// line is a message; one that is not syslog is taken whole as the MSG of the forced source.
// Not for the daemon's sockets, where every message must be syslog.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "syslog/syslog.h"

namespace probity::app {

/// Whether `input` begins as RFC 6587 octet counting ("123 <..."). Anything else is read a
/// line at a time (LineSplitter), so rows beginning with a date ("2026-03-01T...") are not
/// taken for a count, as ingest's framing would take them.
bool octet_counted(std::string_view input);

/// `bytes` as syslog; with `bare` (a source was forced) a message that is not syslog is the
/// whole MSG of a record from the source's own file. Other syslog errors stay errors.
Result<syslog::SyslogMessage> parse_record(std::string_view bytes, bool bare);

/// A byte stream, fed in pieces, cut into lines (LF, with a CR before it dropped); empty lines
/// are skipped. A line longer than `max_size` is reported as too long (its length, no bytes) and
/// only `max_size` bytes of an unfinished line are ever held, whatever the input.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_size) : max_size_(max_size) {}

  struct Line {
    std::string_view bytes;  ///< valid during the callback only; empty when too_long
    bool too_long = false;
    std::size_t length = 0;  ///< bytes in the line (at least max_size + 1 when too_long)
  };
  using Each = std::function<void(const Line&)>;

  /// Calls `each` for every line that `bytes` completes.
  void feed(std::string_view bytes, const Each& each);
  /// At the end of the stream: the last line, when it has no LF.
  void finish(const Each& each);

 private:
  void hold(std::string_view part);
  void end_line(const Each& each);

  std::size_t max_size_;
  std::string carry_;         // the unfinished line, at most max_size_ + 1 bytes
  std::size_t overflow_ = 0;  // bytes of the unfinished line past that (dropped)
};

}  // namespace probity::app
