// RELP (rsyslog's Reliable Event Logging Protocol) framing: "TXNR SP COMMAND SP DATALEN
// [SP DATA] LF", split out of a byte stream, and the server's responses. A pure,
// incremental parser: feed it bytes, take frames; it never touches a socket.
// Not for the session's rules (open first, acknowledge after durable): relp_session.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace probity::ingest {

enum class RelpStatus : std::uint8_t {
  frame,      ///< a whole frame is in RelpFrame
  need_more,  ///< the buffer holds only part of a frame
  too_long,   ///< DATALEN over the limit: txnr and command are set; the data is skipped
  bad_frame,  ///< not RELP: it cannot resync, so the session must close
};

struct RelpFrame {
  RelpStatus status = RelpStatus::need_more;
  std::uint32_t txnr = 0;
  std::string_view command;  ///< valid until the next feed()/next()
  std::string_view data;     ///< likewise
  std::string_view problem;  ///< for bad_frame: what was wrong, for the log
  std::size_t length = 0;    ///< DATALEN (for too_long: the length claimed)
};

class RelpFrameDecoder {
 public:
  /// `max_data`: the largest DATALEN taken whole; a longer frame is skipped unbuffered.
  explicit RelpFrameDecoder(std::size_t max_data) : max_data_(max_data) {}

  void feed(std::string_view chunk);
  RelpFrame next();
  std::size_t buffered() const { return buf_.size() - pos_; }

 private:
  std::size_t max_data_;
  std::string buf_;
  std::size_t pos_ = 0;   ///< start of the unconsumed bytes
  std::size_t skip_ = 0;  ///< bytes of a too-long frame (data and LF) still to discard
};

/// "TXNR rsp LEN CODE TEXT[\nDATA]\n": the answer to a client's command.
std::string relp_response(std::uint32_t txnr, std::string_view code_and_text,
                          std::string_view data = {});
/// "0 serverclose 0\n": the server is going away; the client re-sends what was not answered.
inline constexpr std::string_view kRelpServerClose = "0 serverclose 0\n";

}  // namespace probity::ingest
