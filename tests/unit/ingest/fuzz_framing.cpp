// libFuzzer entry point for FrameDecoder (built only with -DPROBITY_FUZZ=ON and clang). The
// first byte picks the size limit; the rest is the stream, decoded whole and a byte at a
// time, which must agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/framing.h"

namespace {

using probity::ingest::FrameDecoder;
using probity::ingest::FrameStatus;

std::vector<std::string> decode(std::string_view stream, std::size_t max, std::size_t chunk) {
  FrameDecoder d(max);
  std::vector<std::string> out;
  const auto drain = [&](bool at_end) {
    for (;;) {
      const auto f = at_end ? d.finish() : d.next();
      if (f.status == FrameStatus::need_more) return;
      if (f.status == FrameStatus::frame && (f.bytes.empty() || f.bytes.size() > max)) std::abort();
      out.push_back(std::to_string(static_cast<int>(f.status)) + ":" + std::string(f.bytes) + ":" +
                    std::to_string(f.claimed_length));
    }
  };
  for (std::size_t k = 0; k < stream.size(); k += chunk) {
    d.feed(stream.substr(k, chunk));
    drain(false);
  }
  drain(true);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t max = 1 + data[0] % 64;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (decode(stream, max, stream.size() + 1) != decode(stream, max, 1)) std::abort();
  return 0;
}
