// RFC 6587 frame decoder (see framing.h). Each frame picks its own framing from its first
// byte, as rsyslog does: a digit starts octet counting ("MSG-LEN SP SYSLOG-MSG", §3.4.1), any
// other byte a non-transparent frame ended by LF or NUL (§3.4.2). Not a parser: frames are
// handed out as raw bytes.
//
// Rules worth knowing before changing this file:
// - Empty non-transparent frames (blank lines, "\r\n", a stray NUL, the LF some senders put
//   after an octet-counted frame) are skipped silently; they carry no message.
// - A frame over the limit is reported once as too_long and its bytes are discarded as they
//   arrive; they are never buffered. Octet counting skips exactly the claimed length;
//   non-transparent framing skips to the next trailer. claimed_length is the claimed length,
//   or for a non-transparent frame max + 1 ("more than the limit"; its end is not known
//   yet), which keeps the result the same however the stream was chunked.
// - A MSG-LEN that is not a number (or 0, a leading zero, or more than 9 digits) is a
//   bad_frame and the decoder skips to the next LF, where the next frame can start.
// - The buffer is compacted in feed(), and a partial non-transparent frame is never searched
//   twice, so many small frames or a byte-at-a-time sender cost linear time.
#include "ingest/framing.h"
#include "base/ascii.h"

#include <algorithm>
#include <cstring>

namespace probity::ingest {
namespace {

constexpr std::size_t kMaxLengthDigits = 9;

/// Offset of the first LF or NUL in [from, to) of `text`, or `to`.
/// Two memchr passes (LF, then NUL before it) beat one byte-by-byte scan for either.
std::size_t find_trailer(std::string_view text, std::size_t from, std::size_t to) {
  const char* begin = text.data() + from;
  const auto* lf = static_cast<const char*>(std::memchr(begin, '\n', to - from));
  const std::size_t limit = lf ? static_cast<std::size_t>(lf - begin) : to - from;
  const auto* nul = static_cast<const char*>(std::memchr(begin, '\0', limit));
  return from + (nul ? static_cast<std::size_t>(nul - begin) : limit);
}

}  // namespace

FrameDecoder::FrameDecoder(std::size_t max_message_size) : max_(max_message_size) {}

std::size_t FrameDecoder::buffered() const { return buf_.size() - pos_; }

void FrameDecoder::feed(std::string_view chunk) {
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
    // Nothing is pending, so an oversized frame being skipped can be dropped straight from
    // the chunk without ever entering the buffer.
    if (skip_ > 0) {
      const std::size_t n = std::min(skip_, chunk.size());
      chunk.remove_prefix(n);
      skip_ -= n;
    }
    if (skip_to_lf_) {
      const std::size_t t = find_trailer(chunk, 0, chunk.size());
      if (t == chunk.size()) return;
      chunk.remove_prefix(t + 1);
      skip_to_lf_ = false;
    }
  } else if (pos_ > 0) {
    buf_.erase(0, pos_);  // views handed out earlier are invalid from here on (framing.h)
    pos_ = 0;
  }
  buf_.append(chunk);
}

Frame FrameDecoder::next() { return take(false); }

Frame FrameDecoder::finish() { return take(true); }

Frame FrameDecoder::take(bool at_end) {
  for (;;) {
    if (skip_ > 0) {
      const std::size_t n = std::min(skip_, buffered());
      pos_ += n;
      skip_ -= n;
      if (skip_ > 0) return {};
    }
    if (skip_to_lf_) {
      const std::size_t t = find_trailer(buf_, pos_, buf_.size());
      if (t == buf_.size()) {
        pos_ = buf_.size();
        return {};
      }
      pos_ = t + 1;
      skip_to_lf_ = false;
    }
    if (pos_ == buf_.size()) return {};
    Frame frame =
        ascii_is_digit(buf_[pos_]) ? take_octet_counted(at_end) : take_non_transparent(at_end);
    // An empty non-transparent frame comes back as a frame with no bytes: skip it.
    if (frame.status == FrameStatus::frame && frame.bytes.empty()) continue;
    return frame;
  }
}

Frame FrameDecoder::take_octet_counted(bool at_end) {
  const std::string_view buf(buf_);
  const std::size_t start = pos_;
  std::size_t i = start;
  std::size_t length = 0;
  while (i < buf.size() && ascii_is_digit(buf[i]) && i - start <= kMaxLengthDigits) {
    length = length * 10 + static_cast<std::size_t>(buf[i] - '0');
    ++i;
  }
  const bool too_many_digits = i - start > kMaxLengthDigits;
  if (i == buf.size() && !too_many_digits) {
    if (!at_end) return {};
    pos_ = i;  // the stream ended inside MSG-LEN
    return {FrameStatus::bad_frame, buf.substr(start, i - start), 0};
  }
  // RFC 6587 §3.4.1: MSG-LEN = NONZERO-DIGIT *DIGIT, then one SP.
  if (too_many_digits || buf[start] == '0' || buf[i] != ' ') {
    pos_ = i;
    skip_to_lf_ = true;
    return {FrameStatus::bad_frame, buf.substr(start, i - start), 0};
  }
  ++i;
  if (length > max_) {
    pos_ = i;
    skip_ = length;
    return {FrameStatus::too_long, {}, length};
  }
  if (buf.size() - i < length) {
    if (!at_end) return {};
    pos_ = buf.size();  // the stream ended inside the message
    return {FrameStatus::bad_frame, buf.substr(i), length};
  }
  pos_ = i + length;
  return {FrameStatus::frame, buf.substr(i, length), 0};
}

Frame FrameDecoder::take_non_transparent(bool at_end) {
  const std::string_view buf(buf_);
  const std::size_t start = pos_;
  // max_ bytes of message, maybe a CR, then the trailer: nothing further needs a look.
  const std::size_t limit = std::min(buf.size(), start + max_ + 2);
  const std::size_t t = find_trailer(buf, start + scanned_, limit);
  std::size_t end = t;
  if (t == limit) {
    if (limit - start == max_ + 2) {
      scanned_ = 0;
      pos_ = limit;  // no trailer up to here; the rest may hold it
      skip_to_lf_ = true;
      return {FrameStatus::too_long, {}, max_ + 1};
    }
    scanned_ = t - start;
    if (!at_end) return {};
    end = buf.size();  // a last frame without its trailer is still a frame
  }
  scanned_ = 0;
  pos_ = end == buf.size() ? end : end + 1;
  if (end > start && buf[end - 1] == '\r') --end;  // CRLF
  const std::size_t length = end - start;
  if (length > max_) return {FrameStatus::too_long, {}, length};
  return {FrameStatus::frame, buf.substr(start, length), 0};
}

}  // namespace probity::ingest
