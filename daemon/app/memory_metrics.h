// Where the daemon's memory goes, on /metrics: all of it resident, the allocator's live
// allocations and resident pages (jemalloc builds), each RocksDB database's memtables, block
// cache and table readers, and the correlation state by its budget's own measure. RSS alone
// says how much, not what.
#pragma once

#include "http/http.h"
#include "state/store.h"

namespace probity::app {

struct PipelineCounters;

void register_memory_metrics(http::MetricsRegistry& metrics, const state::Store& main,
                             const state::Store& correlation, const PipelineCounters& counters);

}  // namespace probity::app
