#!/usr/bin/env bash
# The threaded parts under ThreadSanitizer: the daemon runs ingest and evaluation on two
# threads, alert delivery, retention and the HTTP server on their own, all sharing the
# store, the reference overlay, metrics and the alert feed. ThreadSanitizer cannot share
# the ASan build, and a second instrumented build of the whole tree would not fit CI's
# time, so this builds only what runs threads (the daemon, the base/alerts/app/http unit
# tests, base for the start-up read-ahead, and the end-to-end tests, which drive the
# instrumented daemon with real clients) in build-tsan, and runs those tests. Any data
# race or lock-order report fails the run.
# Run through `bash tests/run.sh --tsan [CTEST ARGS]`, which installs the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# PROBITY_TSAN_SCOPE=unit (CI, for its time budget): the alerts and HTTP unit tests only,
# which run the delivery, triage and HTTP threads in-process; without it also the app unit
# tests (evaluation, retention, control socket threads) and the e2e tests.
build=${TSAN_BUILD_DIR:-build-tsan}
targets=(probity_unit_base probity_unit_alerts probity_unit_http)
[ "${PROBITY_TSAN_SCOPE:-all}" = unit ] || targets+=(probity_unit_app probity probity_e2e)
options=(-DPROBITY_TSAN=ON -DBUILD_TESTING=ON -DCMAKE_UNITY_BUILD=ON)  # as instrumented_build.sh
if command -v clang++-16 >/dev/null 2>&1; then export CC=clang-16 CXX=clang++-16; fi
command -v ccache >/dev/null 2>&1 &&
  options+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# -O1 -g1 as the ASan build: quick to compile, file:line in both stacks of a race.
cmake -S . -B "$build" "${options[@]}" -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" >/dev/null
build_args=()
for t in "${targets[@]}"; do build_args+=(--target "$t"); done
cmake --build "$build" -j2 "${build_args[@]}"

source tests/sanitizer_reports.sh
reports=$(reports_dir "$build")
symbolizer=/usr/lib/llvm-16/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export TSAN_SYMBOLIZER_PATH=$symbolizer
# halt_on_error: the first race fails the process that had it; the report also goes to a
# file, since an e2e test may not look at how the daemon it started exited.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$reports/tsan:suppressions=$PWD/tests/tsan.supp"

# Only the tests of the targets built above: ctest registers an unbuilt target's tests as
# one `<target>_NOT_BUILT` test. The pack scoring is skipped for time, as under ASan, and the
# benches' smoke runs need the bench tool, which is not built here.
skip='_NOT_BUILT$|^pack\.score_force_|^deploy\.|^bench\.'
# The tests that run the daemon binary, when it is not built.
[ "${PROBITY_TSAN_SCOPE:-all}" = unit ] && skip="$skip|^pack\.|^gateway_samples_parse$|^live_page_in_chromium$"
status=0
ctest --test-dir "$build" --output-on-failure -j2 --timeout 900 -E "$skip" "$@" || status=$?
reports_found "$reports" && status=1
exit $status
