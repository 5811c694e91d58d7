// libFuzzer target: the strict RFC 5424 parser, including SD-PARAM unescaping of every
// value it returns. Not a conformance check; tests/unit/syslog compares against vectors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "syslog/syslog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto msg = probity::syslog::parse_rfc5424(bytes);
  if (!msg) return 0;
  for (const auto& element : msg->structured_data)
    for (const auto& param : element.params)
      if (param.escaped) (void)probity::syslog::unescape_param_value(param.value);
  return 0;
}
