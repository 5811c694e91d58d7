#!/usr/bin/env bash
# Builds the libFuzzer targets (clang-16, ASan + UBSan, in build-asan) and runs each one on
# its seed corpus for a while; fails if any target crashes, leaks, hangs or trips UBSan.
# Not for finding the last bug: it is the short habit CI keeps. Usage:
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   each target for SECONDS (default 30)
#   tests/fuzz/run.sh --long [TARGET...]      each target for 10 minutes (before a release)
# Targets are named as in tests/fuzz (framing, rfc5424, postfix, rules, ...); default all.
# New inputs found go to build-asan/corpus/<target> (not into the repo's seeds); crashes to
# build-asan/artifacts/. Reproduce one with: build-asan/tests/fuzz/<target>_fuzz <file>
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=30
if [ "${1:-}" = "--long" ]; then
  seconds=600
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi

if ! command -v clang++-16 >/dev/null 2>&1 ||
   [ ! -d /usr/lib/llvm-16/lib/clang/16/lib/linux ]; then
  echo "fuzz: needs clang-16 and libclang-rt-16-dev (bash deploy/install-deps.sh --tests)" >&2
  exit 1
fi

# The instrumented build the sanitizer suite uses too (build-asan): one compile serves both.
build=$(bash tests/instrumented_build.sh probity_fuzz)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in tests/fuzz/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

mkdir -p "$build/artifacts" "$build/logs"
run_one() {  # target: runs it, leaves its log, returns the fuzzer's status
  local t=$1
  mkdir -p "$build/corpus/$t"
  # The first corpus folder receives new inputs; the repo's seeds are only read.
  "$build/tests/fuzz/${t}_fuzz" "$build/corpus/$t" "tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$build/artifacts/$t-" -print_final_stats=1 \
    >"$build/logs/$t.log" 2>&1
}

# Two at a time: each fuzzer uses one core, and the machine has two.
failed=()
declare -A pids
for t in "${targets[@]}"; do
  [ -x "$build/tests/fuzz/${t}_fuzz" ] || { echo "fuzz: no target $t" >&2; exit 1; }
  while [ "$(jobs -rp | wc -l)" -ge "${FUZZ_JOBS:-2}" ]; do wait -n || true; done
  run_one "$t" &
  pids[$t]=$!
done
for t in "${targets[@]}"; do
  if wait "${pids[$t]}"; then
    echo "fuzz: $t ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' \
      "$build/logs/$t.log" | grep -o '[0-9]*$') runs in ${seconds}s)"
  else
    failed+=("$t")
    echo "fuzz: $t FAILED; log $build/logs/$t.log:" >&2
    tail -n 40 "$build/logs/$t.log" >&2
  fi
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failed: ${failed[*]}" >&2; exit 1; }
