// RFC 6587 stream framing for syslog over TCP: octet counting ("LEN SP MSG") and
// non-transparent framing (LF, CRLF or NUL trailer), detected per frame. A pure,
// incremental state machine: feed it bytes, take frames; it never touches a socket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace probity::ingest {

enum class FrameStatus : std::uint8_t {
  frame,      ///< a whole message is available in Frame::bytes
  need_more,  ///< the buffer holds only part of a frame
  too_long,   ///< a frame exceeded the maximum size; its bytes were skipped
  bad_frame,  ///< an octet count that is not a number (the rest of the line was skipped),
              ///< or, from finish(), a stream that ended inside an octet-counted frame
};

struct Frame {
  FrameStatus status = FrameStatus::need_more;
  std::string_view bytes;          ///< valid until the next call to feed()/next()/finish()
  std::size_t claimed_length = 0;  ///< for too_long: the length that was claimed or seen
};

/// Splits a TCP byte stream into syslog frames.
/// Usage: feed(chunk); then call next() until it returns need_more; at EOF call finish().
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_message_size = 64 * 1024);

  void feed(std::string_view chunk);
  Frame next();
  /// At end of stream: a trailing non-transparent frame without its LF is still a frame.
  Frame finish();
  std::size_t buffered() const;

 private:
  /* owned by the implementation in framing.cpp */
  Frame take(bool at_end);
  Frame take_octet_counted(bool at_end);
  Frame take_non_transparent(bool at_end);

  std::size_t max_;
  std::string buf_;
  std::size_t pos_ = 0;      ///< start of the unconsumed bytes in buf_
  std::size_t scanned_ = 0;  ///< bytes after pos_ already searched for a trailer
  std::size_t skip_ = 0;     ///< bytes of an oversized frame still to discard
  bool skip_to_lf_ = false;  ///< discarding up to and including the next LF (or NUL)
};

}  // namespace probity::ingest
