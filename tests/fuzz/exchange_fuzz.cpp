// libFuzzer target: the Exchange assembler, for both the on-premises message
// tracking log (CSV with #Fields) and Exchange Online's JSON trace; one syslog message a line.
// Not a check of decoded values; tests/unit/decode has those.
#include <cstddef>
#include <cstdint>

#include "decode_driver.h"

using namespace probity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::decode_syslog_lines(
      {fuzz::default_source("exchange"), fuzz::default_source("exchange-online")}, data, size);
  return 0;
}
