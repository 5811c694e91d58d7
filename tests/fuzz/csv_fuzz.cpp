// libFuzzer target: the CSV payload decoder with a header row per stream; each input
// line is one MSG, so the first line is the header.
// Not a check of decoded values; tests/unit/decode has those.
#include <cstddef>
#include <cstdint>

#include "decode_driver.h"

using namespace probity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::decode_payload_lines(fuzz::generic_source(decode::PayloadFormat::csv), data, size);
  return 0;
}
