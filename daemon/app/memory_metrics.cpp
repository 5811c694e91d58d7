// probity_memory_bytes{part=...}: read at scrape time.
#include "app/memory_metrics.h"

#include <unistd.h>

#include <fstream>

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
      "Memory by part: resident (RSS, all of it); RocksDB memtables, block cache and table "
      "readers per database; correlation state (its budget's measure)",
      http::MetricsRegistry::Type::gauge, [&main, &correlation, &counters] {
        http::MetricsRegistry::Family out;
        // Not mallinfo2(): it walks every free chunk under its arena's lock, and with a
        // fragmented heap a scrape stalled evaluation for seconds.
        out.push_back({{{"part", "resident"}}, resident_bytes()});
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
