// libFuzzer target: the Postfix assembler; each input line is one syslog message, so
// a sequence of lines opens, completes and evicts messages.
// Not a check of decoded values; tests/unit/decode has those.
#include <cstddef>
#include <cstdint>

#include "decode_driver.h"

using namespace probity;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::decode_syslog_lines({fuzz::default_source("postfix")}, data, size);
  return 0;
}
