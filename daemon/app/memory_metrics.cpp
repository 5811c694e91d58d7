// probity_memory_bytes{part=...}: read at scrape time.
#include "app/memory_metrics.h"

#include <malloc.h>

#include "app/pipeline.h"

namespace probity::app {

void register_memory_metrics(http::MetricsRegistry& metrics, const state::Store& main,
                             const state::Store& correlation, const PipelineCounters& counters) {
  metrics.add_family(
      "memory_bytes",
      "Memory by part: heap in use; heap free (kept by glibc for reuse, its pages given back "
      "every 5 s); RocksDB memtables, block cache and table readers per database; correlation "
      "state (its budget's measure, part of the heap)",
      http::MetricsRegistry::Type::gauge, [&main, &correlation, &counters] {
        http::MetricsRegistry::Family out;
        // mallinfo2 walks every arena under its lock: fine once a scrape.
        const struct mallinfo2 heap = mallinfo2();
        out.push_back({{{"part", "heap_in_use"}}, heap.uordblks + heap.hblkhd});
        out.push_back({{{"part", "heap_free"}}, heap.fordblks});
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
