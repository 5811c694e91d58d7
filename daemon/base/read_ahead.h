// A scan run on a thread of its own, its entries handed to the caller in chunks: reading
// (for RocksDB, block reads and decompression) overlaps what the caller does with each
// entry. For whole-table reads at start-up, where both halves cost about the same.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "base/result.h"

namespace probity {

/// Calls its argument for each entry, in order, until that returns false.
using EntryScan = std::function<Result<void>(
    const std::function<bool(std::string_view key, std::string_view value)>& entry)>;

/// Runs `scan` on a reader thread and `each` on the caller's, for every entry in the scan's
/// order; the views are valid only during the call. The reader keeps at most `chunks` chunks
/// of about `chunk_bytes` each ahead of the caller (memory stays bounded). Returns the
/// scan's error after the entries read before it. Should `each` throw, the reader is
/// stopped and joined before the exception leaves.
Result<void> read_ahead(
    const EntryScan& scan,
    const std::function<void(std::string_view key, std::string_view value)>& each,
    std::size_t chunk_bytes = std::size_t{1} << 20, std::size_t chunks = 4);

}  // namespace probity
