// probity_memory_bytes{part=...}: read at scrape time.
#include "app/memory_metrics.h"

#include <unistd.h>

#include <fstream>

#include "app/heap_policy.h"
#include "app/pipeline.h"

namespace probity::app {

namespace {

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

void register_memory_metrics(http::MetricsRegistry& metrics, const state::Store& main,
                             const state::Store& correlation, const PipelineCounters& counters) {
  metrics.add_family(
      "memory_bytes",
      "Memory by part: resident (RSS, all of it); the allocator's live allocations and what it "
      "keeps resident for them; RocksDB memtables, block cache and table readers per "
      "database; correlation state (its budget's measure)",
      http::MetricsRegistry::Type::gauge, [&main, &correlation, &counters] {
        http::MetricsRegistry::Family out;
        out.push_back({{{"part", "resident"}}, resident_bytes()});
        if (const auto heap = heap_use()) {
          out.push_back({{{"part", "heap_allocated"}}, heap->allocated});
          out.push_back({{{"part", "heap_resident"}}, heap->resident});
        }
        for (const auto& [name, store] :
             {std::pair{"main", &main}, {"correlation", &correlation}}) {
          const auto use = store->memory_use();
          out.push_back({{{"part", "memtables"}, {"db", name}}, use.memtables});
          out.push_back({{{"part", "block_cache"}, {"db", name}}, use.block_cache});
          out.push_back({{{"part", "table_readers"}, {"db", name}}, use.table_readers});
        }
        out.push_back({{{"part", "correlation_state"}}, counters.correlation_state_bytes.load()});
        return out;
      });
}

}  // namespace probity::app
