// libFuzzer entry point for the syslog parsers (built only with -DPROBITY_FUZZ=ON and clang).
// Checks what the gtest robustness test checks, on coverage-guided input: no crash, no UB,
// views and error offsets inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "syslog/syslog.h"

namespace {

void check(std::string_view in, const probity::Result<probity::syslog::SyslogMessage>& got) {
  const auto inside = [&](std::string_view v) {
    return v.empty() || (v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size());
  };
  if (!got) {
    if (got.error().pos.offset > in.size()) std::abort();
    return;
  }
  for (const auto* field : {&got->timestamp, &got->hostname, &got->app_name, &got->proc_id,
                            &got->msg_id, &got->message}) {
    if (*field && !inside(**field)) std::abort();
  }
  for (const auto& element : got->structured_data) {
    if (!inside(element.id)) std::abort();
    for (const auto& param : element.params) {
      if (!inside(param.name) || !inside(param.value)) std::abort();
      (void)probity::syslog::unescape_param_value(param.value);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check(in, probity::syslog::parse_syslog(in));
  check(in, probity::syslog::parse_rfc5424(in));
  check(in, probity::syslog::parse_rfc3164(in));
  return 0;
}
