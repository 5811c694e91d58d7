#!/usr/bin/env bash
# Latency benchmark: the stress stream (throughput.sh's, drawn from a synthetic force) sent
# over one TCP connection at FRACTION (50 %) of Probity's maximum rate, paced by the sender
# (bench_tool send --rate), for DURATION seconds. The latency is the daemon's own: the
# histogram probity_event_to_alert_seconds, from an event's arrival to its alert being
# stored, read from /metrics once every event has been evaluated. p50/p99/p999 are
# interpolated linearly within the histogram's buckets (as Prometheus's
# histogram_quantile does), so they are as fine as the buckets. They are printed for the
# whole run and again for what followed the first WARMUP seconds, read from the histogram
# as it stood then: the start-up's cold caches and a first checkpoint's fresh buffers are
# paid once per start, the rest for as long as the daemon runs.
# The maximum rate is MAX_RATE when given, else measured first on the paced stream itself,
# sent unpaced to a fresh Probity (its length sized by a PROBE_EVENTS probe: FRACTION of
# that rate for DURATION seconds). Each run starts from a fresh copy of the imported state.
# Usage: tests/bench/latency.sh [MAX_RATE]
# Env: DURATION (30), FRACTION (0.5), WARMUP (5), PROBE_EVENTS (200000), STAFF (5000), FORCE_DIR,
#      METRICS_OUT (a file: the paced run's last /metrics is copied there), and lib.sh's BUILD_DIR, PROBITY, BENCH_TOOL, RULES, STALL.
set -euo pipefail
cd "$(dirname "$0")/../.."
max_rate=${1:-${MAX_RATE:-}}
duration=${DURATION:-30}
fraction=${FRACTION:-0.5}
warmup=${WARMUP:-5}
probe_events=${PROBE_EVENTS:-200000}
source tests/bench/lib.sh
histogram=probity_event_to_alert_seconds

force=${FORCE_DIR:-$work/force}
make_force "$force" "${STAFF:-5000}"
echo "importing the force's state..."
template=$work/state-template
import_state "$force" "$template"

# fresh_probity: Probity on a fresh copy of the state; sets $port, $http.
fresh_probity() {
  rm -rf "$work/state" && cp -a "$template" "$work/state"
  port=$(free_port) http=$(free_port)
  start_probity "$work/state" "$port" "$http" "$work/probity.log"
  if ! curl -s "http://127.0.0.1:$http/metrics" | grep -q "^${histogram}_bucket"; then
    echo "probity does not export the histogram $histogram (${histogram}_bucket{le=...}," \
      "_sum, _count) in /metrics: this daemon cannot be measured for latency" >&2
    exit 1
  fi
}

# measure_max_rate FILE EVENTS: sets $max_rate, FILE's events sent unpaced to a fresh Probity.
measure_max_rate() {
  fresh_probity
  t0=$(now)
  "$tool" send "$1" "$port" >/dev/null
  "$tool" await "$http" "$2" "$stall"
  max_rate=$(awk -v n="$2" -v s="$(since "$t0")" 'BEGIN {printf "%.0f", n / s}')
  stop "$probity_pid"
}

# Unless MAX_RATE is given, the maximum is the paced stream's own: the stress stream grows
# heavier as its correlations fill (the last of 900 k events cost more than the first
# 200 k), so a rate measured on a short probe put a long run near saturation, not at half.
# A short probe sizes the stream; the stream itself, sent unpaced, gives the maximum.
if [ -z "$max_rate" ]; then
  echo "sizing the stream: $probe_events events, unpaced..."
  "$tool" generate "$probe_events" "$work/probe.log" --force "$force"
  measure_max_rate "$work/probe.log" "$probe_events"
fi
events=$(awk -v m="$max_rate" -v f="$fraction" -v d="$duration" 'BEGIN {printf "%.0f", m * f * d}')
"$tool" generate "$events" "$work/paced.log" --force "$force"
if [ -z "${1:-${MAX_RATE:-}}" ]; then
  echo "measuring the maximum rate on the stream itself: $events events, unpaced..."
  measure_max_rate "$work/paced.log" "$events"
fi
rate=$(awk -v m="$max_rate" -v f="$fraction" 'BEGIN {printf "%.0f", m * f}')
echo "maximum $max_rate events/s; sending $events events at $rate events/s" \
  "($(awk -v n="$events" -v r="$rate" 'BEGIN {printf "%.0f", n / r}') s)..."
fresh_probity
"$tool" send "$work/paced.log" "$port" --rate "$rate" > "$work/send.out" &
sender=$!
# The histogram as it stands once the daemon has run WARMUP seconds under load: the lines
# "after warm-up" count only what came after it.
sleep "$warmup"
curl -s "http://127.0.0.1:$http/metrics" > "$work/warm.txt"
wait "$sender"
read -r _ send_secs < "$work/send.out"
"$tool" await "$http" "$events" "$stall"
curl -s "http://127.0.0.1:$http/metrics" > "$work/metrics.txt"
if [ -n "${METRICS_OUT:-}" ]; then cp "$work/metrics.txt" "$METRICS_OUT"; fi
stop "$probity_pid"

# Quantiles from the cumulative buckets: the bucket holding rank q*count, and a linear
# position within it (from the previous bound, 0 for the first). A rank in the +Inf
# bucket can only be said to lie above the largest finite bound. With two files, the
# first (at the end of the warm-up) is subtracted from the second (at the end).
quantiles() { # LABEL [WARM_METRICS] METRICS
  awk -v h="$histogram" -v label="$1" '
    FNR == 1 { file++ }
    index($1, h "_bucket{") == 1 && match($1, /le="[^"]*"/) {
      le = substr($1, RSTART + 4, RLENGTH - 5)
      cum[le] += (file == files ? $2 : -$2)
    }
    $1 == h "_count" { count += (file == files ? $2 : -$2) }
    $1 == h "_sum" { sum += (file == files ? $2 : -$2) }
    function quantile(q,    rank, i, lo, prev) {
      rank = q * count
      lo = 0; prev = 0
      for (i = 1; i <= n; i++) {
        if (cum[les[i]] >= rank) {
          if (les[i] == "+Inf") return sprintf("> %.3f ms", lo * 1000)
          if (cum[les[i]] == prev) return sprintf("%.3f ms", les[i] * 1000)
          return sprintf("%.3f ms", (lo + (les[i] - lo) * (rank - prev) / (cum[les[i]] - prev)) * 1000)
        }
        lo = les[i]; prev = cum[les[i]]
      }
      return "n/a"
    }
    END {
      for (le in cum) if (le != "+Inf") les[++n] = le
      # insertion sort by numeric bound, +Inf last
      for (i = 2; i <= n; i++) for (j = i; j > 1 && les[j - 1] + 0 > les[j] + 0; j--) {
        t = les[j]; les[j] = les[j - 1]; les[j - 1] = t }
      if ("+Inf" in cum) les[++n] = "+Inf"
      if (count <= 0) { printf "%s: no alert was stored: nothing to measure\n", label; exit 1 }
      printf "%s, event -> alert stored, %d alerts: mean %.3f ms\n", label, count, sum / count * 1000
      printf "  p50 %s   p99 %s   p999 %s   (target p99 < 5 ms)\n", quantile(0.5), quantile(0.99), quantile(0.999)
    }' files="$(($# - 1))" "${@:2}"
}

awk -v sent="$events" -v secs="$send_secs" \
  'BEGIN {printf "sent %d events in %.1f s (%.0f events/s)\n", sent, secs, sent / secs}'
quantiles "whole run" "$work/metrics.txt"
quantiles "after the first ${warmup} s" "$work/warm.txt" "$work/metrics.txt"
