// libFuzzer target: the RFC 3164 (BSD syslog) parser, and parse_syslog's choice between
// the two parsers on the same bytes. Not a conformance check (see tests/unit/syslog).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "syslog/syslog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)probity::syslog::parse_rfc3164(bytes);
  (void)probity::syslog::parse_syslog(bytes);
  return 0;
}
