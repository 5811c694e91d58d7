#!/usr/bin/env bash
# The house rules as gates (STYLE.md): every tracked C++ file in daemon/ and tests/ is
# formatted as .clang-format says, and daemon/ has no clang-tidy finding from the checks in
# .clang-tidy (all errors). tests/run.sh runs this after the suite, given its build
# directory (where it configures the compile commands clang-tidy reads).
#   bash tests/lint.sh [BUILD_DIR]     both gates (default build dir: build)
#   bash tests/lint.sh --fix           reformat in place instead of failing
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t sources < <(git ls-files 'daemon/*.h' 'daemon/*.cpp' 'tests/*.h' 'tests/*.cpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format-16 -i "${sources[@]}"
  exit 0
fi
build=${1:-build}
status=0

if ! clang-format-16 --dry-run --Werror "${sources[@]}"; then
  echo "lint: files above are not formatted; run: bash tests/lint.sh --fix" >&2
  status=1
fi

# One clang-tidy per unity batch of daemon/ sources (CMake's, 8 files each), two at a time:
# a batch parses Asio, RocksDB and the other headers once for its 8 files, which takes a
# third of the time of checking each file alone. Findings in the batch's own files are
# reported as in a main file (--header-filter); in headers, as before, not. The checks are
# named explicitly: .clang-tidy is not above a build directory outside the tree.
db="$build/lint-commands"
cmake -S . -B "$db" -DCMAKE_UNITY_BUILD=ON -DBUILD_TESTING=OFF >/dev/null
mapfile -t units < <(grep -o '"file": "[^"]*"' "$db/compile_commands.json" | cut -d'"' -f4)
if [ "${#units[@]}" -eq 0 ] ||
   ! printf '%s\n' "${units[@]}" |
     xargs -P 2 -n 1 clang-tidy-16 -p "$db" --config-file=.clang-tidy --quiet \
       --warnings-as-errors='*' --header-filter='/daemon/.*\.cpp$' 2>/dev/null; then
  echo "lint: clang-tidy findings above (.clang-tidy lists the checks)" >&2
  status=1
fi
exit $status
