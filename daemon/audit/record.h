// Internal to audit/: one trail record to and from its JSON line, and the hash that chains
// it. The trail (trail.cpp) and the verifier (verify.cpp) share these so they cannot drift.
#pragma once

#include <string>
#include <string_view>

#include "audit/audit.h"

namespace probity::audit::detail {

/// The line for `r` (no newline), with r.hash computed over everything before it.
std::string to_line(Record& r);

/// A line read back: the record as far as it could be read, and the hash its content has
/// now (to compare with record.hash). Errors (audit.chain) when the line is not JSON or
/// lacks seq, prev or hash.
struct ReadLine {
  Record record;
  std::string content_hash;
};
Result<ReadLine> read_line(std::string_view line);

std::string sha256_hex(std::string_view bytes);

}  // namespace probity::audit::detail
