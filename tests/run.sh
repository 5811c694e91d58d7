#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, builds with warnings as
# errors, and runs every test (unit and end-to-end with real syslog clients and SMTP),
# then a short fuzz pass over the parsers and decoders (tests/fuzz/run.sh).
#   bash tests/run.sh [CTEST ARGS]   the suite; with ctest arguments (-R ...) only those
#                                    tests and no fuzz pass
#   bash tests/run.sh --sanitize     the suite built with ASan + UBSan (see sanitize.sh)
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
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DPROBITY_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300 "$@"
if [ $# -eq 0 ]; then
  bash tests/fuzz/run.sh "${FUZZ_SECONDS:-20}"
else
  echo "run.sh: a subset of the tests was asked for; skipping the fuzz pass" >&2
fi
