#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, builds with warnings as
# errors, and runs every test (unit and end-to-end with real syslog clients and SMTP).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DPROBITY_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure -j2 --timeout 300 "$@"
