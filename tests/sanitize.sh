#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer, then a short fuzz pass,
# both from the one instrumented build (tests/instrumented_build.sh: clang-16 when present).
# Every unit test runs, and the e2e tests, whose `probity` is then the instrumented one. Any
# leak, memory error or UB report fails the test that caused it. CI runs this after the
# normal suite. Run through `bash tests/run.sh --sanitize [CTEST ARGS]`, which installs the
# dependencies. PROBITY_FUZZ_SECONDS (default 5: 20 targets, and CI has a time budget) is each fuzz
# target's time; 0 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."

build=$(bash tests/instrumented_build.sh)

# Left out, for time only (nothing in them is unsafe under ASan; the normal pass runs them):
#   pack.score_force_*  score a generated week of 1,000 staff; minutes each even unsanitized.
#   bench.*             the benchmark smoke run: a load test, meaningless when instrumented.
skip='^pack\.score_force_|^bench\.'

# Reports go to files as well as failing the process (tests/sanitizer_reports.sh).
source tests/sanitizer_reports.sh
reports=$(reports_dir "$build")
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
symbolizer=/usr/lib/llvm-16/bin/llvm-symbolizer
[ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitize.supp:print_suppressions=0"
# Sanitized code is slower (2-5x); the per-test timeout scales with it.
status=0
ctest --test-dir "$build" --output-on-failure -j2 --timeout 900 -E "$skip" "$@" || status=$?
reports_found "$reports" && status=1
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

# The fuzz pass reuses this build (its targets exist only in a clang build). Skipped when
# ctest arguments narrowed the run: that is someone chasing one test.
seconds=${PROBITY_FUZZ_SECONDS:-5}
if [ $# -eq 0 ] && [ "$seconds" != 0 ] && [ -d "$build/tests/fuzz" ]; then
  ASAN_BUILD_DIR=$build bash tests/fuzz/run.sh "$seconds" || status=1
fi
exit $status
