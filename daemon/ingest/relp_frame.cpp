// RelpFrameDecoder: header fields are read digit by digit with hard length caps, so a
// hostile peer can make it hold at most one frame of max_data bytes.
#include "ingest/relp_frame.h"
#include "base/ascii.h"

#include <algorithm>

#include <fmt/format.h>

namespace probity::ingest {

namespace {

constexpr std::size_t kMaxNumberDigits = 9;  // TXNR and DATALEN are 1*9DIGIT
constexpr std::size_t kMaxCommand = 32;      // COMMAND is 1*32ALPHA

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

RelpFrame bad(std::string_view why) {
  RelpFrame f;
  f.status = RelpStatus::bad_frame;
  f.problem = why;
  return f;
}

/// Reads 1..9 digits at `at` up to a space (or, for DATALEN, an LF).
enum class Field : std::uint8_t { ok, need_more, bad };

Field read_number(std::string_view s, std::size_t& at, std::uint32_t& out, bool lf_ends) {
  const std::size_t start = at;
  std::uint32_t value = 0;
  while (at < s.size() && ascii_is_digit(s[at])) {
    if (at - start == kMaxNumberDigits) return Field::bad;
    value = value * 10 + static_cast<std::uint32_t>(s[at] - '0');
    ++at;
  }
  if (at == s.size()) return Field::need_more;
  if (at == start) return Field::bad;
  if (s[at] != ' ' && !(lf_ends && s[at] == '\n')) return Field::bad;
  out = value;
  return Field::ok;
}

}  // namespace

void RelpFrameDecoder::feed(std::string_view chunk) {
  // Consumed bytes go before new ones arrive, so the buffer holds at most one frame.
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t skipped = std::min(skip_, chunk.size());
  skip_ -= skipped;
  buf_.append(chunk.substr(skipped));
}

RelpFrame RelpFrameDecoder::next() {
  const std::string_view s = std::string_view(buf_).substr(pos_);
  if (s.empty()) return {};
  std::size_t at = 0;
  RelpFrame f;
  switch (read_number(s, at, f.txnr, false)) {
    case Field::need_more:
      return {};
    case Field::bad:
      return bad("transaction number is not 1 to 9 digits");
    case Field::ok:
      break;
  }
  const std::size_t command_start = ++at;
  while (at < s.size() && is_alpha(s[at])) {
    if (at - command_start == kMaxCommand) return bad("command is over 32 letters");
    ++at;
  }
  if (at == s.size()) return {};
  if (at == command_start || s[at] != ' ') return bad("command is not 1 to 32 letters");
  f.command = s.substr(command_start, at - command_start);
  ++at;
  std::uint32_t length = 0;
  switch (read_number(s, at, length, true)) {
    case Field::need_more:
      return {};
    case Field::bad:
      return bad("data length is not 1 to 9 digits");
    case Field::ok:
      break;
  }
  f.length = length;
  if (length > max_data_) {
    // Skipped, not buffered: the SP, the data and the LF (not checked: it is discarded).
    const std::size_t frame_rest = std::size_t{1} + length + 1;
    const std::size_t held = std::min(frame_rest, s.size() - at);
    pos_ += at + held;
    skip_ = frame_rest - held;
    f.status = RelpStatus::too_long;
    return f;
  }
  if (length == 0) {
    // "TXNR CMD 0\n"; a space before the LF is tolerated.
    if (s[at] == ' ') ++at;
    if (at == s.size()) return {};
    if (s[at] != '\n') return bad("no LF after a frame without data");
    pos_ += at + 1;
    f.status = RelpStatus::frame;
    return f;
  }
  if (s[at] != ' ') return bad("no space before the data");
  ++at;
  if (s.size() - at < std::size_t{length} + 1) return {};
  f.data = s.substr(at, length);
  if (s[at + length] != '\n') return bad("frame does not end in LF after its data");
  pos_ += at + length + 1;
  f.status = RelpStatus::frame;
  return f;
}

std::string relp_response(std::uint32_t txnr, std::string_view code_and_text,
                          std::string_view data) {
  const std::size_t length = code_and_text.size() + (data.empty() ? 0 : 1 + data.size());
  if (data.empty()) return fmt::format("{} rsp {} {}\n", txnr, length, code_and_text);
  return fmt::format("{} rsp {} {}\n{}\n", txnr, length, code_and_text, data);
}

}  // namespace probity::ingest
