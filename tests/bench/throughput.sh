#!/usr/bin/env bash
# Throughput benchmark: two streams, each over 1 and over 4 TCP connections, sent to
#   1. a null sink (shows the sender is not the bottleneck),
#   2. Debian's rsyslog (imptcp -> omfile on tmpfs; RSYSLOG_INPUT=imtcp for the classic input),
#   3. Probity with the shipped rule pack (rules/) and the state it needs: a synthetic force
#      from deploy/demo/generate.py (staff, vetting, associations, systems, every named
#      list, registers, site facts), imported as an administrator would.
# Streams:
#   stress     EVENTS access and email events drawn from the force (bench_tool generate
#              --force), octet-counted; two thirds match a rule: an alert storm.
#   realistic  the force's own events.log: a day of access audit, Postfix and Mimecast
#              lines, newline-framed; what a force sends.
# With N connections the messages are dealt round-robin (bench_tool send --connections), or
# with SPLIT=host each sending host's on one connection; rsyslog and Probity get the same N. Each receiver runs RUNS times, alternately, from
# a fresh start (Probity from a fresh copy of the imported state); the table shows the
# median rate and the largest peak RSS (VmHWM). Completion is read from each receiver's
# own output, never from a sleep: rsyslog's file reaching the message count, Probity's
# /metrics saying every message was taken and every event it made evaluated (bench_tool
# await). A receiver that stops progressing for STALL seconds fails the run.
# Usage: tests/bench/throughput.sh [EVENTS]        (default 1,000,000 stress events)
#        tests/bench/throughput.sh --smoke         (CI: 20,000 messages of each stream, one
#                                                  run, one connection; fails if a receiver
#                                                  does not complete)
# Env: RUNS (3), CONNECTIONS ("1 4"), STREAMS ("stress realistic"), SPLIT (message), STAFF (5000),
#      FORCE_DIR (reuse a force), REALISTIC_LINES (all), RSYSLOG_INPUT (imptcp), and
#      METRICS_OUT (a file: Probity's last /metrics is copied there, per-detection costs
#      included), and lib.sh's BUILD_DIR, PROBITY, BENCH_TOOL, RULES, STALL.
set -euo pipefail
cd "$(dirname "$0")/../.."
smoke=0
if [ "${1:-}" = "--smoke" ]; then
  smoke=1
  shift
fi
if ((smoke)); then
  events=${1:-20000} runs=${RUNS:-1} connections=${CONNECTIONS:-1} staff=${STAFF:-500}
  realistic_lines=${REALISTIC_LINES:-$events}
else
  events=${1:-1000000} runs=${RUNS:-3} connections=${CONNECTIONS:-"1 4"} staff=${STAFF:-5000}
  realistic_lines=${REALISTIC_LINES:-all}
fi
streams=${STREAMS:-"stress realistic"}
rsyslog_input=${RSYSLOG_INPUT:-imptcp}
split=()
[ "${SPLIT:-message}" = host ] && split=(--by-host)
source tests/bench/lib.sh
rsyslogd=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
[ -x "$rsyslogd" ] || { echo "rsyslogd missing: apt-get install rsyslog" >&2; exit 2; }

force=${FORCE_DIR:-$work/force}
make_force "$force" "$staff"
declare -A file messages
for stream in $streams; do
  case $stream in
    stress)
      echo "generating $events stress events..."
      "$tool" generate "$events" "$work/stress.log" --force "$force"
      file[stress]=$work/stress.log ;;
    realistic)
      if [ "$realistic_lines" = all ]; then
        file[realistic]=$force/events.log
      else
        head -n "$realistic_lines" "$force/events.log" > "$work/realistic.log"
        file[realistic]=$work/realistic.log
      fi ;;
    *) echo "unknown stream $stream (stress, realistic)" >&2; exit 2 ;;
  esac
  messages[$stream]=$("$tool" count "${file[$stream]}")
  bytes=$(stat -c %s "${file[$stream]}")
  echo "$stream stream: ${messages[$stream]} messages, $bytes bytes, $((bytes / messages[$stream])) bytes/message"
done

echo "importing the force's state..."
template=$work/state-template
import_state "$force" "$template"

# The sender alone: every byte into a sink that discards it. Sets $rate (messages/s).
run_sink() { # FILE MESSAGES CONNECTIONS
  local port out=$work/sink.out pid
  port=$(free_port)
  spawn "$out" "$tool" sink "$port" "$(stat -c %s "$1")" "$3"
  pid=$spawned
  until grep -q ready "$out"; do
    alive "$pid" || { echo "sink did not start:" >&2; cat "$out" >&2; exit 1; }
    sleep 0.02
  done
  "$tool" send "$1" "$port" --connections "$3" "${split[@]}" >/dev/null
  reap "$pid"
  rate=$(awk -v n="$2" 'NR == 2 {printf "%.0f", n / $2}' "$out")
}

# rsyslog as a fast relay would be set: messages up to Probity's 64 KiB limit, one file
# written in 1 MiB blocks at each batch's end, large dequeue batches; imptcp reads
# connections on its own threads (imtcp here, 8.2302, is single-threaded). The input has
# its own ruleset, so rsyslog's own messages never reach the file being counted.
rsyslog_conf() { # DIR PORT
  local module="module(load=\"imptcp\" threads=\"2\")"
  [ "$rsyslog_input" = imtcp ] && module="module(load=\"imtcp\")"
  cat <<CONF
global(workDirectory="$1" maxMessageSize="64k")
main_queue(queue.dequeueBatchSize="1024")
$module
ruleset(name="bench") {
  action(type="omfile" file="$1/out.log" ioBufferSize="1m" asyncWriting="off" flushOnTXEnd="on")
}
input(type="$rsyslog_input" address="127.0.0.1" port="$2" ruleset="bench")
CONF
}

# Each run sets $rate (messages/s) and $rss (peak, KiB).
run_rsyslog() { # FILE MESSAGES CONNECTIONS
  local dir=$work/rsyslog port t0 pid
  rm -rf "$dir" && mkdir -p "$dir"
  port=$(free_port)
  rsyslog_conf "$dir" "$port" > "$dir/rsyslog.conf"
  spawn "$dir/rsyslogd.log" "$rsyslogd" -n -f "$dir/rsyslog.conf" -i "$dir/pid"
  pid=$spawned
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    alive "$pid" || { echo "rsyslogd did not start:" >&2; cat "$dir/rsyslogd.log" >&2; exit 1; }
    sleep 0.02
  done
  t0=$(now)
  "$tool" send "$1" "$port" --connections "$3" "${split[@]}" >/dev/null
  "$tool" follow "$dir/out.log" "$2" "$stall" || { echo "rsyslog did not complete" >&2; exit 1; }
  rate=$(awk -v n="$2" -v s="$(since "$t0")" 'BEGIN {printf "%.0f", n / s}')
  rss=$(peak_rss_kib "$pid")
  stop "$pid"
}

run_probity() { # FILE MESSAGES CONNECTIONS
  local state=$work/state port http t0
  rm -rf "$state" && cp -a "$template" "$state"
  port=$(free_port) http=$(free_port)
  start_probity "$state" "$port" "$http" "$work/probity.log"
  t0=$(now)
  "$tool" send "$1" "$port" --connections "$3" "${split[@]}" >/dev/null
  "$tool" await "$http" "$2" "$stall" || { echo "probity did not complete" >&2; exit 1; }
  rate=$(awk -v n="$2" -v s="$(since "$t0")" 'BEGIN {printf "%.0f", n / s}')
  rss=$(peak_rss_kib "$probity_pid")
  last_matches=$(metric "$http" probity_rule_matches_total)
  last_rejected=$(metric "$http" probity_events_rejected_total)
  last_evaluated=$(metric "$http" probity_events_evaluated_total)
  if [ -n "${METRICS_OUT:-}" ]; then curl -s "http://127.0.0.1:$http/metrics" >"$METRICS_OUT"; fi
  stop "$probity_pid"
}

kib_to_mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
max_of() { printf '%s\n' "$@" | sort -g | tail -1; }

rows=()
details=()
for stream in $streams; do
  for conns in $connections; do
    echo "$stream stream, $conns connection(s): sink, then $runs x (rsyslog, probity)..."
    run_sink "${file[$stream]}" "${messages[$stream]}" "$conns"
    sink_rate=$rate
    r_rates=() r_rss=() p_rates=() p_rss=()
    for ((run = 1; run <= runs; run++)); do
      run_rsyslog "${file[$stream]}" "${messages[$stream]}" "$conns"
      r_rates+=("$rate") r_rss+=("$rss")
      run_probity "${file[$stream]}" "${messages[$stream]}" "$conns"
      p_rates+=("$rate") p_rss+=("$rss")
    done
    r=$(median "${r_rates[@]}") p=$(median "${p_rates[@]}")
    rows+=("$(printf "%-10s %5s %9s %11s %11s %11s %8s %9s %9s" "$stream" "$conns" \
      "${messages[$stream]}" "$sink_rate" "$r" "$p" \
      "$(awk -v p="$p" -v r="$r" 'BEGIN {printf "%.2fx", p / r}')" \
      "$(kib_to_mib "$(max_of "${r_rss[@]}")")" "$(kib_to_mib "$(max_of "${p_rss[@]}")")")")
    details+=("$stream/$conns: rsyslog runs ${r_rates[*]}; probity runs ${p_rates[*]}; last probity run: ${last_evaluated:-0} events evaluated, ${last_matches:-0} rule matches, ${last_rejected:-0} rejected")
  done
done

echo
echo "messages/s, median of $runs run(s); peak RSS in MiB, largest of the runs; rsyslog: $rsyslog_input -> omfile;" \
  "connections split by ${SPLIT:-message}"
printf "%-10s %5s %9s %11s %11s %11s %8s %9s %9s\n" stream conns messages "sender" rsyslog probity \
  "p/r" "rsys MiB" "prob MiB"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${details[@]}"
((smoke)) && echo "smoke: every receiver completed"
echo "target: probity/rsyslog >= 1.5x on both streams, 1 and 4 connections (issue 15)"
