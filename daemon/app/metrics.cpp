// The metric names operators see. Counters end in _total; rejections share one name
// with a reason label so a dashboard can sum them.
#include "app/metrics.h"

namespace probity::app {

void register_metrics(http::MetricsRegistry& m, const Counters& c) {
  using T = http::MetricsRegistry::Type;
  auto read = [](const std::atomic<std::uint64_t>& a) { return [&a] { return a.load(); }; };
  m.add("connections_accepted_total", "Syslog connections accepted", T::counter, "",
        read(c.ingest.connections_accepted));
  m.add("connections_refused_total",
        "Syslog connections refused (max_connections, per address or handshakes)", T::counter, "",
        read(c.ingest.connections_refused));
  m.add("accept_failures_total", "Syslog accept() errors (e.g. out of file descriptors)",
        T::counter, "", read(c.ingest.accept_failures));
  m.add("accept_fd_exhausted", "1 while syslog accepts fail for want of file descriptors", T::gauge,
        "", read(c.ingest.accept_fd_exhausted));
  m.add("connections_open", "Syslog connections open now", T::gauge, "",
        read(c.ingest.connections_open));
  m.add("tls_handshake_failures_total",
        "TLS handshakes that failed (bad or missing client "
        "certificate, protocol mismatch)",
        T::counter, "", read(c.ingest.tls_handshake_failures));
  m.add("bytes_received_total", "Bytes read from syslog connections", T::counter, "",
        read(c.ingest.bytes_received));
  m.add("events_received_total", "Syslog messages received (whole frames)", T::counter, "",
        read(c.ingest.messages_received));
  m.add("udp_datagrams_total",
        "Datagrams received on UDP listeners (lost ones are the kernel's RcvbufErrors)", T::counter,
        "", read(c.ingest.udp_datagrams));
  m.add("relp_acknowledged_total", "RELP messages answered 200 once durable", T::counter, "",
        read(c.ingest.relp_acknowledged));
  m.add("relp_refused_total", "RELP messages answered 500 (not made durable; the sender re-sends)",
        T::counter, "", read(c.ingest.relp_refused));
  m.add("relp_protocol_errors_total", "RELP sessions closed for breaking the protocol", T::counter,
        "", read(c.ingest.relp_protocol_errors));
  m.add("relp_resent_skipped_total",
        "RELP messages a sender re-sent that were already journaled (answered, not evaluated "
        "twice)",
        T::counter, "", read(c.journal.resent_skipped));
  m.add("journal_appended_total", "Messages written to the ingest journal", T::counter, "",
        read(c.journal.appended));
  m.add("journal_write_failures_total",
        "Ingest journal writes or syncs that failed (messages evaluated, not kept)", T::counter, "",
        read(c.journal.write_failures));
  m.add("journal_replayed_total",
        "Messages received before a stop or crash and evaluated at this start", T::counter, "",
        read(c.journal.replayed));
  m.add("journal_unevaluated", "Journaled messages past the last saved evaluation position",
        T::gauge, "", read(c.journal.pending));
  m.add("events_parsed_total", "Syslog messages parsed as RFC 5424 or RFC 3164", T::counter, "",
        read(c.pipeline.parsed));
  const char* rejected = "Messages rejected, by reason";
  m.add("events_rejected_total", rejected, T::counter, "reason=\"too_long\"",
        read(c.ingest.rejected_too_long));
  m.add("events_rejected_total", rejected, T::counter, "reason=\"bad_frame\"",
        read(c.ingest.rejected_bad_frame));
  m.add("events_rejected_total", rejected, T::counter, "reason=\"parse\"",
        read(c.pipeline.rejected_parse));
  m.add("events_rejected_total", rejected, T::counter, "reason=\"no_source\"",
        read(c.decode.no_source));
  m.add("events_rejected_total", rejected, T::counter, "reason=\"bad_payload\"",
        read(c.decode.bad_payload));
  m.add("events_rejected_total", rejected, T::counter, "reason=\"missing_field\"",
        read(c.decode.missing_field));
  m.add("events_rejected_total", rejected, T::counter, "reason=\"bad_value\"",
        read(c.decode.bad_value));
  m.add("events_decoded_total", "Canonical events produced by decoding", T::counter, "",
        read(c.pipeline.events));
  m.add("gateway_lines_assembled_total", "Gateway log lines held for multi-line assembly",
        T::counter, "", read(c.decode.assembled_lines));
  const char* evicted = "Gateway messages flushed before they completed, by reason";
  m.add("gateway_messages_evicted_total", evicted, T::counter, "reason=\"timeout\"",
        read(c.decode.evicted_timeout));
  m.add("gateway_messages_evicted_total", evicted, T::counter, "reason=\"max_open\"",
        read(c.decode.evicted_capacity));
  m.add("gateway_messages_evicted_total", evicted, T::counter, "reason=\"max_bytes\"",
        read(c.decode.evicted_bytes));
  for (std::size_t f = 0; f < decode::kPayloadFormatCount; ++f) {
    const auto format = static_cast<decode::PayloadFormat>(f);
    if (!decode::is_assembled(format)) continue;
    m.add("gateway_flushed_incomplete_total",
          "Gateway messages flushed (timeout, max_open, max_bytes or shutdown) before their "
          "final line, by gateway format; what they knew was emitted",
          T::counter, "gateway=\"" + std::string(decode::to_string(format)) + "\"",
          read(c.decode.flushed_incomplete[f]));
  }
  m.add("decode_streams_evicted_total",
        "Per-stream header layouts and connection ids forgotten at their table's cap (least "
        "recently used)",
        T::counter, "", read(c.decode.streams_evicted));
  m.add("events_evaluated_total", "Events run through the rules", T::counter, "",
        read(c.pipeline.evaluated));
  m.add("rule_matches_total", "Rule matches", T::counter, "", read(c.pipeline.rule_matches));
  m.add("alerts_stored_total", "Alerts durably stored", T::counter, "", read(c.alerts.stored));
  m.add_histogram("event_to_alert_seconds",
                  "From an event's arrival (journaled) to its alert stored, raised or folded "
                  "into the open one",
                  c.pipeline.event_to_alert);
  m.add_histogram("event_evaluation_seconds",
                  "One event's evaluation: every rule, its correlations and raising what they "
                  "matched",
                  c.pipeline.event_evaluation);
  m.add("alerts_already_raised_total",
        "Matches of an event whose alert was already raised (re-sent or replayed): not raised "
        "or mailed again",
        T::counter, "", read(c.pipeline.already_raised));
  m.add("alerts_store_failures_total", "Alerts that could not be stored", T::counter, "",
        read(c.alerts.store_failures));
  m.add("alerts_sent_total", "Alerts delivered to a destination (email, webhook, SIEM)", T::counter,
        "", read(c.alerts.sent));
  m.add("alerts_send_failures_total", "Failed delivery attempts (retried)", T::counter, "",
        read(c.alerts.send_failures));
  m.add("alerts_outbox_pending", "Deliveries waiting in the outbox", T::gauge, "",
        read(c.alerts.pending));
  m.add("alerts_mail_held_total",
        "Deliveries left to a digest (a digest route, or past a route's rate limit)", T::counter,
        "", read(c.alerts.mail_held));
  m.add("alerts_digests_sent_total", "Digests delivered", T::counter, "",
        read(c.alerts.digests_sent));
}

void register_destination_metrics(http::MetricsRegistry& metrics,
                                  const alerts::AlertPipeline& pipeline) {
  using T = http::MetricsRegistry::Type;
  using Status = alerts::AlertPipeline::DestinationStatus;
  const auto family = [&pipeline](std::uint64_t Status::*value) {
    return [&pipeline, value] {
      http::MetricsRegistry::Family out;
      for (const auto& d : pipeline.destinations())
        out.push_back({{{"destination", d.name}, {"kind", d.kind}}, d.*value});
      return out;
    };
  };
  metrics.add_family("alert_destination_delivered_total",
                     "Alerts and digests delivered, per destination", T::counter,
                     family(&Status::delivered));
  metrics.add_family("alert_destination_failures_total",
                     "Failed delivery attempts (retried), per destination", T::counter,
                     family(&Status::failed));
  metrics.add_family("alert_destination_pending", "Deliveries waiting, per destination", T::gauge,
                     family(&Status::pending));
}

}  // namespace probity::app
