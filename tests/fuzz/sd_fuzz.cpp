// libFuzzer target: the SD-params decoder, through the two embedded SD sources, on
// whole RFC 5424 messages (one per line).
// Not a check of decoded values; tests/unit/decode has those.
#include <cstddef>
#include <cstdint>

#include "decode_driver.h"

using namespace probity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::decode_syslog_lines(
      {fuzz::default_source("probity-access"), fuzz::default_source("probity-email")}, data, size);
  return 0;
}
