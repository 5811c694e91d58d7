#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, builds with warnings as
# errors, runs every test (unit and end-to-end with real syslog clients and SMTP), then the
# format and clang-tidy gates (tests/lint.sh).
#   bash tests/run.sh [CTEST ARGS]   the suite; with ctest arguments (-R ...) only those
#   bash tests/run.sh --sanitize     the suite built with ASan + UBSan (see sanitize.sh)
#   bash tests/run.sh --tsan         the threaded parts under ThreadSanitizer (see tsan.sh)
#   bash tests/fuzz/run.sh [SECONDS] the libFuzzer targets (clang-16), SECONDS each
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh --tests
# playwright-core for the live-page test, exactly as locked (no browser download).
if [ ! -d tests/e2e/live/node_modules/playwright-core ]; then
  npm ci --prefix tests/e2e/live --no-audit --no-fund --loglevel=error
fi
if [ "${1:-}" = "--sanitize" ]; then
  shift
  exec bash tests/sanitize.sh "$@"
fi
if [ "${1:-}" = "--tsan" ]; then
  shift
  exec bash tests/tsan.sh "$@"
fi
build=${BUILD_DIR:-build}
# No debug info: line tables alone cost a third of the compile time here (measured on
# store_writes.cpp and store_test.cpp), and the sanitizer builds, where a stack's file:line
# matters, keep them (-g1). A crash here still shows function names.
# A unity build (sources compiled in batches of 8, tests/CMakeLists.txt): CI's time. lint.sh
# checks the daemon's batches from a configure of its own, without the tests.
cmake -S . -B "$build" -DPROBITY_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON >/dev/null
cmake --build "$build" -j2
status=0
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300 "$@" || status=$?
# The house rules (format, clang-tidy) on a whole run; a narrowed run is someone at work.
[ $# -eq 0 ] && { bash tests/lint.sh "$build" || status=1; }
exit $status
