#!/usr/bin/env bash
# Memory and start-up benchmark: Probity with the shipped rule pack and a large force,
#   STAFF (100,000) staff: bench_tool staff, in generate.py's columns, all serving and vetted;
#   LIST_ENTRIES (1,000,000) list entries: half in watchlist_subjects, half in staff_nominals
#     (lists the pack looks every record access up in), ids the stream never hits;
#   the rest (systems, registers, site facts, small lists) from a 500-staff synthetic force.
# Then:
#   1. fill: KEY_EVENTS (1,000,000) look-ups sent unpaced (bench_tool keys): event i is user
#      i % STAFF looking up subject i % SUBJECTS (1,000,000) from a workstation, with a
#      free-text reason, so every user opens a key in each correlation fed by look-ups
#      (volume baselines, distinct subjects, first system, look-up-then-email sequence, two
#      sites and workstations, templated justification by user and text). The fill's rate
#      is the maximum rate for this stream. Correlation keys held (and evicted: each rule's
#      max_keys caps them) are read from /metrics.
#   2. restart: SIGTERM (the correlation state is checkpointed), then start-up to ready
#      (launch until /healthz answers 200) with all that state: the figure for "< 5 s".
#   3. soak: the stream goes on at half the fill's rate for SOAK seconds (600), RSS (VmRSS)
#      printed every SAMPLE (10) seconds, then the peak (VmHWM) and whether it is < 1 GiB.
# Usage: tests/bench/memory.sh
# Env: STAFF, LIST_ENTRIES, SUBJECTS, KEY_EVENTS, SOAK, SAMPLE, SOAK_RATE (events/s; to
#      compare two daemons at one rate, since half of each one's fill rate differs), and
#      lib.sh's BUILD_DIR, PROBITY, BENCH_TOOL, RULES, STALL.
set -euo pipefail
cd "$(dirname "$0")/../.."
staff=${STAFF:-100000}
list_entries=${LIST_ENTRIES:-1000000}
subjects=${SUBJECTS:-1000000}
key_events=${KEY_EVENTS:-1000000}
soak=${SOAK:-600}
sample=${SAMPLE:-10}
source tests/bench/lib.sh
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }

# The state: a small force's reference data, its staff and two pack lists made large.
force=$work/force
make_force "$force" 500
echo "writing $staff staff and $list_entries list entries..."
"$tool" staff "$staff" "$force/staff.csv"
"$tool" list $((list_entries / 2)) "$force/lists/watchlist_subjects.txt" 2000000
"$tool" list $((list_entries - list_entries / 2)) "$force/lists/staff_nominals.txt" 3000000
# The small force's declarations name its own staff, absent from this force.
head -n 1 "$force/associations.csv" > "$force/associations.csv.new"
mv "$force/associations.csv.new" "$force/associations.csv"
state=$work/state
t0=$(now)
import_state "$force" "$state"
echo "state imported in $(since "$t0") s ($(du -sh "$state" | cut -f1))"

# Where it goes, from probity_memory_bytes (summed over databases), in MiB.
parts() {
  curl -s "http://127.0.0.1:$http/metrics" | awk '
    index($1, "probity_memory_bytes{") == 1 {
      match($1, /part="[a-z_]+"/); p = substr($1, RSTART + 6, RLENGTH - 7); v[p] += $2 }
    END { printf "heap allocated %d (resident %d), memtables %d, block caches %d, table readers %d, correlation state %d",
      v["heap_allocated"] / 1048576, v["heap_resident"] / 1048576,
      v["memtables"] / 1048576, v["block_cache"] / 1048576, v["table_readers"] / 1048576,
      v["correlation_state"] / 1048576 }'
}
port=$(free_port) http=$(free_port)
start_probity "$state" "$port" "$http" "$work/probity.log"
echo "start-up to ready, empty correlation state: $startup_secs s"
echo "fill: $key_events look-ups by $staff users of $subjects subjects, unpaced..."
t0=$(now)
"$tool" keys "$port" --users "$staff" --subjects "$subjects" --count "$key_events" >/dev/null
"$tool" await "$http" "$key_events" "$stall"
fill_secs=$(since "$t0")
max_rate=$(awk -v n="$key_events" -v s="$fill_secs" 'BEGIN {printf "%.0f", n / s}')
sleep 1.1 # the correlation gauges are refreshed on the evaluator's one-second tick
echo "fill: $max_rate events/s; correlation keys held: $(metric "$http" probity_correlation_keys)," \
  "evicted: $(metric "$http" probity_correlation_evicted_keys_total); RSS $(mib "$(rss_kib "$probity_pid")") MiB," \
  "peak $(mib "$(peak_rss_kib "$probity_pid")") MiB; MiB: $(parts)"
fill_peak=$(peak_rss_kib "$probity_pid")
stop "$probity_pid"

port=$(free_port) http=$(free_port)
start_probity "$state" "$port" "$http" "$work/probity-2.log"
ready_secs=$startup_secs
sleep 1.1
echo "start-up to ready with that state: $ready_secs s (target < 5 s); correlation keys" \
  "restored: $(metric "$http" probity_correlation_keys)"

rate=${SOAK_RATE:-$((max_rate / 2))}
echo "soak: $rate events/s for $soak s; RSS every $sample s:"
spawn "$work/soak.out" "$tool" keys "$port" --users "$staff" --subjects "$subjects" \
  --from "$key_events" --rate "$rate" --seconds "$soak"
sender=$spawned
t0=$(now)
next=$sample
rss_line() { printf "  %5s s  RSS %5s MiB  correlation keys %s; MiB: %s\n" "$1" \
  "$(mib "$(rss_kib "$probity_pid")")" "$(metric "$http" probity_correlation_keys)" "$(parts)"; }
while alive "$sender"; do
  if awk -v t="$(since "$t0")" -v n="$next" 'BEGIN {exit !(t >= n)}'; then
    rss_line "$next"
    next=$((next + sample))
  fi
  sleep 0.2
done
reap "$sender"
rss_line "$(since "$t0" | cut -d. -f1)"
read -r sent _ < "$work/soak.out"
"$tool" await "$http" "$sent" "$stall" || echo "probity did not keep up with the soak" >&2
peak=$(peak_rss_kib "$probity_pid")
if ((fill_peak > peak)); then peak=$fill_peak; fi
stop "$probity_pid"
verdict="NOT below 1 GiB (target < 1 GiB)"
if ((peak < 1024 * 1024)); then verdict="below 1 GiB"; fi
echo "peak RSS $(mib "$peak") MiB over fill and soak: $verdict; start-up with the state $ready_secs s"
