// libFuzzer target: the Proofpoint on Demand message-log decoder (format pod); each input
// line is the MSG of one syslog message.
// Not a check of decoded values; tests/unit/decode has those.
#include <cstddef>
#include <cstdint>

#include "decode_driver.h"

using namespace probity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::decode_payload_lines(fuzz::default_source("proofpoint-pod"), data, size);
  return 0;
}
