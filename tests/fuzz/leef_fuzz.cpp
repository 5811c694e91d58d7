// libFuzzer target: the LEEF 1.0/2.0 payload decoder (embedded leef source); each input
// line is one MSG.
// Not a check of decoded values; tests/unit/decode has those.
#include <cstddef>
#include <cstdint>

#include "decode_driver.h"

using namespace probity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::decode_payload_lines(fuzz::default_source("leef"), data, size);
  return 0;
}
