# shellcheck shell=bash
# Shared by the benchmark scripts (throughput.sh, latency.sh, memory.sh); sourced, not run.
# Gives: the binaries ($probity, $tool), a work directory on tmpfs ($work) removed at exit
# with every process started through `spawn`, and the steps each script repeats: a
# synthetic force, its state imported as an administrator would, Probity started and
# stopped, peak RSS.
# Env: BUILD_DIR (build), or PROBITY and BENCH_TOOL for the binaries themselves (ctest);
#      RULES (rules/), STALL (30: seconds without progress before a run is failed).

build=${BUILD_DIR:-build}
probity=${PROBITY:-$build/daemon/probity}
tool=${BENCH_TOOL:-$build/tests/bench/probity_bench_tool}
rules=${RULES:-rules}
# shellcheck disable=SC2034  # used by the scripts that source this
stall=${STALL:-30}
if [ ! -x "$probity" ] || [ ! -x "$tool" ]; then
  echo "build first: bash tests/run.sh (or cmake --build $build)" >&2
  exit 2
fi

work=$(mktemp -d /dev/shm/probity-bench.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Every run uses one copy of the binaries: a rebuild during the benchmark cannot mix two
# daemons in one table.
mkdir "$work/bin"
if ! cp "$probity" "$tool" "$work/bin/"; then
  echo "cannot copy $probity and $tool (being rebuilt?)" >&2
  exit 2
fi
probity=$work/bin/$(basename "$probity") tool=$work/bin/$(basename "$tool")

# spawn LOG CMD...: starts CMD in the background (output to LOG), its pid in $spawned.
spawn() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  spawned=$!
  pids+=("$spawned")
}

# alive PID: running (a child that exited stays a zombie, which kill -0 still finds).
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# reap PID: waits for a spawned process; its exit status is reap's.
reap() {
  local pid=$1 kept=() p status=0
  wait "$pid" || status=$?
  for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  pids=("${kept[@]}")
  return $status
}

# stop PID: SIGTERM (Probity drains, rsyslog flushes), SIGKILL after 20 s.
stop() {
  local pid=$1 i=0
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && ((i++ < 400)); do sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  reap "$pid" || true
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
peak_rss_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
  print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

# make_force DIR STAFF: a synthetic force (deploy/demo/generate.py), unless DIR has one.
make_force() {
  [ -f "$1/staff.csv" ] && return 0
  echo "generating a synthetic force of $2 staff..."
  /usr/bin/python3 deploy/demo/generate.py --out "$1" --staff "$2" --days 1 \
    >/dev/null 2>"$work/generate.log" || { cat "$work/generate.log" >&2; exit 1; }
}

# import_state FORCE STATE: the force's reference data, as an administrator imports it.
import_state() {
  local force=$1 state=$2 kind list register
  for kind in staff associations systems; do
    "$probity" state import "$kind" "$force/$kind.csv" --state-dir "$state" >/dev/null
  done
  for list in "$force"/lists/*.txt; do
    "$probity" state import list "$list" --list "$(basename "$list" .txt)" --state-dir "$state" >/dev/null
  done
  for register in "$force"/register/*.csv; do
    [ -f "$register" ] || continue
    "$probity" state import "$(basename "$register" .csv)" "$register" --state-dir "$state" >/dev/null
  done
  # The force's site facts (reference formats, partner domains, office-hours groups).
  install -m 0600 "$force/site.yaml" "$state/site.yaml"
}

# start_probity STATE PORT HTTP_PORT LOG [RUN ARGS...]: `probity run` with the shipped
# rules, waited for until /healthz answers 200; sets $probity_pid and $startup_secs (from
# launch to ready).
start_probity() {
  local state=$1 port=$2 http=$3 log=$4 t0
  shift 4
  t0=$(now)
  spawn "$log" "$probity" run --state-dir "$state" --rules "$rules" --listen "127.0.0.1:$port" \
    --http "127.0.0.1:$http" --log-level warn "$@"
  probity_pid=$spawned
  until curl -sf -o /dev/null "http://127.0.0.1:$http/healthz"; do
    alive "$probity_pid" || { echo "probity did not start:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.02
  done
  # shellcheck disable=SC2034  # read by the caller
  startup_secs=$(since "$t0")
}

# metric HTTP_PORT NAME: a series' value (summed over its labels) from /metrics.
metric() {
  curl -s "http://127.0.0.1:$1/metrics" |
    awk -v m="$2" '$1 == m || index($1, m "{") == 1 {s += $2; n++} END {if (n) print s}'
}
