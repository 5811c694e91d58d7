#!/usr/bin/env bash
# The test suite built with AddressSanitizer + UndefinedBehaviorSanitizer (gcc by default)
# in build-asan: every unit test, and the e2e tests, whose `probity` is then the
# instrumented one. Any leak, memory error or UB report fails the test that caused it.
# Not the normal suite (tests/run.sh) and not fuzzing (tests/fuzz/run.sh).
# Run through `bash tests/run.sh --sanitize [CTEST ARGS]`, which installs the dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${ASAN_BUILD_DIR:-build-asan}
# -O1 -g1 (asserts on): the usual sanitizer trade, much quicker to build than -O2 -g and
# still with file:line in every stack. No -Werror: at -O1 with sanitizers gcc 12 warns
# falsely inside libstdc++ <regex> and Boost.Asio; the normal build polices warnings.
cmake -S . -B "$build" -DPROBITY_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" >/dev/null
cmake --build "$build" -j2

# Left out, for time only (nothing in them is unsafe under ASan; the normal pass runs them):
#   pack.score_force_*  score a generated week of 1,000 staff; minutes each even unsanitized.
skip='^pack\.score_force_'

# Reports go to files as well as failing the process: an e2e test may not look at how the
# daemon it started exited, so the folder is checked after ctest, whatever ctest said.
reports="$PWD/$build/sanitizer-reports"
# World-writable: the consultation-trail tests run the CLI as other users.
rm -rf "$reports" && mkdir "$reports" && chmod 1777 "$reports"
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitize.supp:print_suppressions=0"
# Sanitized code is slower (2-5x); the per-test timeout scales with it.
status=0
ctest --test-dir "$build" --output-on-failure -j2 --timeout 900 -E "$skip" "$@" || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitize: sanitizer reports (from tests or the programs they started):" >&2
  for f in "$reports"/*; do echo "== $f" >&2; cat "$f" >&2; done
  status=1
fi
exit $status
