// libFuzzer target: RELP framing (ingest/relp_frame.h). Besides crashes it checks that the
// frames do not depend on how the stream was chunked, and that the decoder never holds
// more than one frame's worth of bytes however long the DATALEN it is told.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/relp_frame.h"

namespace {

using probity::ingest::RelpFrame;
using probity::ingest::RelpFrameDecoder;
using probity::ingest::RelpStatus;

struct Seen {
  RelpStatus status;
  std::uint32_t txnr;
  std::string command;
  std::string data;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> decode(std::string_view stream, std::size_t max, std::size_t chunk) {
  RelpFrameDecoder decoder(max);
  std::vector<Seen> out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    decoder.feed(stream.substr(at, chunk));
    // Header (9 + 1 + 32 + 1 + 9 + 1 bytes) and one frame's data, plus a chunk not yet read.
    if (decoder.buffered() > max + 64 + chunk) __builtin_trap();
    for (;;) {
      const RelpFrame f = decoder.next();
      if (f.status == RelpStatus::need_more) break;
      if (f.data.size() > max) __builtin_trap();
      out.push_back({f.status, f.txnr, std::string(f.command), std::string(f.data)});
      // A broken frame ends the session: nothing after it is read.
      if (f.status == RelpStatus::bad_frame) return out;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t max = 8 + data[0];
  const std::size_t chunk = 1 + data[1] % 32;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (decode(stream, max, stream.size() + 1) != decode(stream, max, chunk)) __builtin_trap();
  return 0;
}
