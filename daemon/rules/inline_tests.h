// Inline rule tests (`tests:` in a detection): compiled into events at load, run by
// run_inline_tests() against a MemoryReference of the caller's base rows plus the test's own.
// Not a replay tool for recorded feeds.
#pragma once

#include <string>
#include <vector>

#include "event/event.h"
#include "rules/loader.h"

namespace probity::rules {

struct InlineTest {
  std::string name;
  SourcePos pos;
  bool expect_match = true;
  event::Event event;
  state::ReferenceTables reference;  ///< the test's own rows
  std::vector<event::Event> events;  ///< correlation tests: in order
  std::optional<std::size_t> alerts;
  std::int64_t advance_us = 0;
};

/// Builds the test events, checking field names and values; false after reporting errors.
bool compile_tests(const std::vector<InlineTestDef>& defs, Reporter& report,
                   std::vector<InlineTest>& out);

}  // namespace probity::rules
