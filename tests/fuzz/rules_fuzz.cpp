// libFuzzer target: the rule loader end to end (YAML reader, collector, expression
// lexer/parser, macros, checker, compiler) on one rule file held in memory, and the
// report's formatting, which quotes the offending line under a caret.
// Not a check of load messages; tests/rules and tests/unit/rules have those.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/rules.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  probity::rules::LoadOptions options;  // UTC, the system zoneinfo, no site file
  probity::rules::LoadReport report;
  (void)probity::rules::load_rules_from_string(text, "fuzz.yaml", options, report);
  (void)report.format();
  return 0;
}
