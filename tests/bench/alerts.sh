#!/usr/bin/env bash
# Alert-storm benchmark: can Probity store alerts as fast as a storm raises them while it
# goes on taking events? The stress stream (throughput.sh's, drawn from a synthetic force)
# is sent unpaced over one TCP connection to two Probity daemons, each from a fresh copy of
# the force's imported state:
#   pack    the shipped rule pack (rules/): a handful of alerts, the ingest rate to keep;
#   storm   the same pack plus one detection that raises an alert for every access event,
#           with no suppression: three quarters of the stream become alerts, each stored
#           with its outbox rows and JSONL line, logged, routed past the mail rate limits
#           (held for a digest) and published to the live page.
# Alerts stored per second is probity_alerts_stored_total over the time from the first
# byte sent to every event evaluated (bench_tool await), so an alert counts only once it is
# durable. The ingest ratio is the storm's event rate over the pack's.
# Usage: tests/bench/alerts.sh [EVENTS]    (default 300,000)
#        tests/bench/alerts.sh --smoke     (CI: 20,000 events, one run; fails if a daemon
#                                           does not complete or stores no storm alert)
# Env: RUNS (3), STAFF (5000), FORCE_DIR, and lib.sh's BUILD_DIR, PROBITY, BENCH_TOOL, RULES,
#      STALL.
set -euo pipefail
cd "$(dirname "$0")/../.."
smoke=0
if [ "${1:-}" = "--smoke" ]; then
  smoke=1
  shift
fi
if ((smoke)); then
  events=${1:-20000} runs=${RUNS:-1} staff=${STAFF:-500}
else
  events=${1:-300000} runs=${RUNS:-3} staff=${STAFF:-5000}
fi
source tests/bench/lib.sh

force=${FORCE_DIR:-$work/force}
make_force "$force" "$staff"
echo "generating $events stress events..."
"$tool" generate "$events" "$work/stress.log" --force "$force"
echo "importing the force's state..."
import_state "$force" "$work/state-template"

# The storm: the pack and one more detection, which every access event matches.
mkdir -p "$work/storm-rules"
cp "$rules"/*.yaml "$work/storm-rules/"
cat > "$work/storm-rules/zz-storm.yaml" <<'YAML'
- detection: bench-alert-storm
  title: Every record access (alert-storm benchmark)
  description: Raises one alert per access event, to measure how fast alerts are stored.
  guidance: None; this rule exists only in tests/bench/alerts.sh.
  severity: low
  condition: event.kind == "access"
  fields: [user.id, subject.id, source.system]
YAML

# Sets $rate (events/s) and $stored (alerts stored).
run_probity() { # RULES_DIR
  local rules=$1 # start_probity reads $rules: bash's dynamic scope gives it this one
  local state=$work/state port http t0
  rm -rf "$state" && cp -a "$work/state-template" "$state"
  port=$(free_port) http=$(free_port)
  start_probity "$state" "$port" "$http" "$work/probity.log"
  t0=$(now)
  "$tool" send "$work/stress.log" "$port" >/dev/null
  "$tool" await "$http" "$events" "$stall" || { echo "probity did not complete" >&2; exit 1; }
  local secs
  secs=$(since "$t0")
  rate=$(awk -v n="$events" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
  stored=$(metric "$http" probity_alerts_stored_total)
  stored_rate=$(awk -v n="${stored:-0}" -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
  stop "$probity_pid"
}

pack_rates=() storm_rates=() storm_stored=() storm_stored_rates=() pack_stored=0
for ((run = 1; run <= runs; run++)); do
  echo "run $run of $runs: pack, then pack + storm..."
  run_probity "$rules"
  pack_rates+=("$rate") pack_stored=$stored
  run_probity "$work/storm-rules"
  storm_rates+=("$rate") storm_stored+=("$stored") storm_stored_rates+=("$stored_rate")
done
pack=$(median "${pack_rates[@]}") storm=$(median "${storm_rates[@]}")
alerts_per_sec=$(median "${storm_stored_rates[@]}")

echo
echo "$events stress events over one connection, median of $runs run(s)"
printf "%-12s %10s %15s\n" rules events/s "alerts stored"
printf "%-12s %10s %15s\n" pack "$pack" "$pack_stored"
printf "%-12s %10s %15s\n" "pack+storm" "$storm" "${storm_stored[-1]}"
echo "runs: pack ${pack_rates[*]} events/s; storm ${storm_rates[*]} events/s, ${storm_stored_rates[*]} alerts/s"
echo "storm: $alerts_per_sec alerts/s stored; ingest $(awk -v s="$storm" -v p="$pack" \
  'BEGIN {printf "%.2fx", s / p}') of the rate without the storm"
if ((smoke)); then
  ((${storm_stored[-1]:-0} > pack_stored)) || { echo "smoke: the storm stored no alert" >&2; exit 1; }
  echo "smoke: both daemons completed and the storm's alerts were stored"
fi
echo "target: >= 10,000 alerts/s stored without blocking ingest (issue 15)"
