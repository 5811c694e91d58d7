// Every stage's counters in one place, and their names on /metrics.
#pragma once

#include "alerts/alerts.h"
#include "app/journaling_sink.h"
#include "app/pipeline.h"
#include "decode/decode.h"
#include "http/http.h"
#include "ingest/ingest.h"

namespace probity::app {

struct Counters {
  ingest::IngestCounters ingest;
  PipelineCounters pipeline;
  decode::DecodeCounters decode;
  alerts::AlertCounters alerts;
  JournalCounters journal;
};

void register_metrics(http::MetricsRegistry& metrics, const Counters& counters);

/// Per destination (recipient group, webhook, SIEM): deliveries, failed attempts, pending.
void register_destination_metrics(http::MetricsRegistry& metrics,
                                  const alerts::AlertPipeline& pipeline);

}  // namespace probity::app
