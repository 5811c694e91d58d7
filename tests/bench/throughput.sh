#!/usr/bin/env bash
# Throughput benchmark: the same 1 M RFC 5424 access events, over one TCP connection, to
#   1. a null sink (shows the sender is not the bottleneck),
#   2. Debian's rsyslog (imtcp -> omfile on tmpfs),
#   3. Probity with the shipped rule pack (rules/) and the state it needs: a synthetic force
#      from deploy/demo/generate.py (staff, vetting, associations, systems, every named
#      list), imported as an administrator would.
# The events are drawn from that force (bench_tool generate --force): real user ids,
# systems, associates, nominals, watch-listed subjects, and a quarter email to partner,
# webmail, media and PI domains, so look-ups and rules hit as in production.
# Completion is read from each receiver's own output (rsyslog's file, Probity's
# /metrics), never from a sleep. Peak RSS is VmHWM.
# Usage: tests/bench/throughput.sh [EVENTS]   (env: STAFF=5000, FORCE_DIR to reuse a force)
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-1000000}
build=${BUILD_DIR:-build}
rules=${RULES:-rules}
probity="$build/daemon/probity"
tool="$build/tests/bench/probity_bench_tool"
[ -x "$probity" ] && [ -x "$tool" ] || { echo "build first: bash tests/run.sh (or cmake --build $build)" >&2; exit 2; }
command -v rsyslogd >/dev/null || [ -x /usr/sbin/rsyslogd ] || { echo "rsyslogd missing: apt-get install rsyslog" >&2; exit 2; }

work=$(mktemp -d /dev/shm/probity-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

force=${FORCE_DIR:-$work/force}
if [ ! -f "$force/staff.csv" ]; then
  echo "generating a synthetic force of ${STAFF:-5000} staff..."
  /usr/bin/python3 deploy/demo/generate.py --out "$force" --staff "${STAFF:-5000}" --days 1 >/dev/null
fi
echo "generating $events events..."
"$tool" generate "$events" "$work/events.txt" --force "$force"
bytes=$(stat -c %s "$work/events.txt")
echo "stream: $bytes bytes, $(( bytes / events )) bytes/event"

# 1. null sink
port=$(free_port)
"$tool" sink "$port" "$bytes" > "$work/sink.out" & pids+=($!)
until grep -q ready "$work/sink.out" 2>/dev/null; do sleep 0.05; done
"$tool" send "$work/events.txt" "$port" >/dev/null
wait "${pids[-1]}" || true
null_secs=$(awk '{print $2}' "$work/sink.out")
null_rate=$(rate "$events" "$null_secs")

# 2. rsyslog
port=$(free_port)
mkdir -p "$work/rsyslog"
cat > "$work/rsyslog.conf" <<CONF
global(workDirectory="$work/rsyslog" maxMessageSize="64k")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$port")
action(type="omfile" file="$work/rsyslog/out.log")
CONF
/usr/sbin/rsyslogd -n -f "$work/rsyslog.conf" -i "$work/rsyslog/pid" & pids+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.05; done
start=$(now)
"$tool" send "$work/events.txt" "$port" >/dev/null
until [ "$(wc -l < "$work/rsyslog/out.log" 2>/dev/null || echo 0)" -ge "$events" ]; do sleep 0.05; done
rsyslog_secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
rsyslog_rate=$(rate "$events" "$rsyslog_secs")
rsyslog_rss=$(awk '/VmHWM/ {print $2}' /proc/"${pids[-1]}"/status)
kill "${pids[-1]}"

# 3. Probity, with the shipped rules and the synthetic force's reference data
port=$(free_port); http=$(free_port)
state="$work/probity-state"
for kind in staff associations systems; do
  "$probity" state import "$kind" "$force/$kind.csv" --state-dir "$state" >/dev/null
done
for list in "$force"/lists/*.txt; do
  "$probity" state import list "$list" --list "$(basename "$list" .txt)" --state-dir "$state" >/dev/null
done
for register in "$force"/register/*.csv; do
  [ -f "$register" ] && "$probity" state import "$(basename "$register" .csv)" "$register" --state-dir "$state" >/dev/null
done
# The force's site facts (reference formats, partner domains, office-hours groups).
install -m 0600 "$force/site.yaml" "$state/site.yaml"
"$probity" run --state-dir "$state" --rules "$rules" --listen "127.0.0.1:$port" --http "127.0.0.1:$http" \
  --log-level warn > "$work/probity.log" 2>&1 & pids+=($!)
until (exec 3<>/dev/tcp/127.0.0.1/$http) 2>/dev/null; do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "probity did not start:" >&2; cat "$work/probity.log" >&2; exit 1; }
  sleep 0.05
done
metric() { curl -s "http://127.0.0.1:$http/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
start=$(now)
"$tool" send "$work/events.txt" "$port" >/dev/null
until [ "$(metric probity_events_evaluated_total)" -ge "$events" ] 2>/dev/null; do sleep 0.05; done
probity_secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
probity_rate=$(rate "$events" "$probity_secs")
probity_rss=$(awk '/VmHWM/ {print $2}' /proc/"${pids[-1]}"/status)
matches=$(metric probity_rule_matches_total)
rejected=$(curl -s "http://127.0.0.1:$http/metrics" | awk '/^probity_events_rejected_total/ {s += $2} END {print s + 0}')

echo
printf "%-28s %12s %10s %12s\n" "receiver" "events/s" "seconds" "peak RSS KiB"
printf "%-28s %12s %10.3f %12s\n" "null sink (sender ceiling)" "$null_rate" "$null_secs" "-"
printf "%-28s %12s %10.3f %12s\n" "rsyslog imtcp->omfile" "$rsyslog_rate" "$rsyslog_secs" "$rsyslog_rss"
printf "%-28s %12s %10.3f %12s\n" "probity (rules + state)" "$probity_rate" "$probity_secs" "$probity_rss"
echo
awk -v p="$probity_rate" -v r="$rsyslog_rate" -v n="$null_rate" 'BEGIN {
  printf "probity / rsyslog = %.2fx   (target 1.5x)\n", p / r
  printf "sender ceiling / rsyslog = %.1fx\n", n / r }'
echo "probity rule matches: ${matches:-0}, rejected: ${rejected:-0}"
