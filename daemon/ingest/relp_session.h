// The server side of one RELP session, without a socket: bytes in, responses out. The
// session must begin with "open" (offering the syslog command); each "syslog" frame goes to
// the MessageSink, and its "200 OK" is written only after MessageSink::make_durable()
// returned true for the read that carried it, so an acknowledged message is never lost.
// The listener (tcp_listener.cpp) owns the socket, the deadlines and TLS.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.h"
#include "ingest/relp_frame.h"

namespace probity::ingest {

class RelpSession {
 public:
  /// Messages among a session's first kResendWindow may be re-sends of ones a broken
  /// session left unanswered (rsyslog re-sends at most its window and one batch).
  static constexpr std::uint64_t kResendWindow = 4096;

  RelpSession(std::string listener, std::string peer, std::size_t max_message_size,
              MessageSink& sink, IngestCounters& counters);

  /// Takes one read's bytes; appends what must be sent back to `out`. Returns false when
  /// the session must close once `out` is sent (the client closed it, or broke the protocol).
  bool on_bytes(std::string_view bytes, std::string& out);

 private:
  /// One frame; false: stop reading (close).
  bool on_frame(const RelpFrame& frame);
  bool on_open(const RelpFrame& frame);

  std::string listener_;
  std::string peer_;
  std::size_t max_message_size_;
  MessageSink& sink_;
  IngestCounters& counters_;
  RelpFrameDecoder decoder_;
  bool open_ = false;
  std::uint64_t messages_ = 0;
  std::uint64_t too_long_ = 0;
  /// This read's answers in frame order; `durable` ones (syslog) wait for make_durable().
  struct Answer {
    std::uint32_t txnr;
    std::string_view code;  ///< "200 OK", "500 ..."
    std::string_view data;  ///< the offers, for "open"
    bool durable = false;
  };
  std::vector<Answer> answers_;
};

}  // namespace probity::ingest
