// libFuzzer target: RFC 6587 framing (ingest/framing.h). Besides crashes it checks the
// decoder's promise that the frames do not depend on how the stream was chunked.
// Not a test of frame contents; tests/unit/ingest has those.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/framing.h"

namespace {

using probity::ingest::Frame;
using probity::ingest::FrameDecoder;
using probity::ingest::FrameStatus;

struct Seen {
  FrameStatus status;
  std::string bytes;
  std::size_t claimed_length;
  bool operator==(const Seen&) const = default;
};

void take_all(FrameDecoder& decoder, std::size_t max, std::vector<Seen>& out, bool at_end) {
  for (;;) {
    const Frame f = at_end ? decoder.finish() : decoder.next();
    if (f.status == FrameStatus::need_more) return;
    // A frame larger than the limit would defeat the memory bound the limit exists for.
    if (f.bytes.size() > max) __builtin_trap();
    out.push_back({f.status, std::string(f.bytes), f.claimed_length});
    if (at_end) return;  // finish() reports at most the one trailing frame
  }
}

std::vector<Seen> decode(std::string_view stream, std::size_t max, std::size_t chunk) {
  FrameDecoder decoder(max);
  std::vector<Seen> out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    decoder.feed(stream.substr(at, chunk));
    take_all(decoder, max, out, false);
  }
  take_all(decoder, max, out, true);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first two bytes choose a small limit (so too_long is reachable) and a chunk size.
  const std::size_t max = 16 + data[0];
  const std::size_t chunk = 1 + data[1] % 32;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto whole = decode(stream, max, stream.size() + 1);
  const auto chunked = decode(stream, max, chunk);
  if (whole != chunked) __builtin_trap();
  return 0;
}
