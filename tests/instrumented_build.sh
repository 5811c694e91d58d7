#!/usr/bin/env bash
# Configures and builds the one instrumented build, shared by the sanitizer suite
# (tests/sanitize.sh) and the fuzz pass (tests/fuzz/run.sh), so CI compiles it once:
# clang-16 with ASan + UBSan and libFuzzer's coverage in every library, the tests and the
# fuzz targets side by side. Without clang-16 it falls back to gcc (ASan + UBSan, no fuzz
# targets). Prints the build directory on stdout.
#   bash tests/instrumented_build.sh [TARGET...]   build these targets (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${ASAN_BUILD_DIR:-build-asan}
# A unity build (sources compiled in batches; tests/CMakeLists.txt says why): CI's time.
# clang-tidy reads a configure of its own (tests/lint.sh).
options=(-DPROBITY_SANITIZE=ON -DBUILD_TESTING=ON -DCMAKE_UNITY_BUILD=ON)
if command -v clang++-16 >/dev/null 2>&1 && [ -d /usr/lib/llvm-16/lib/clang/16/lib/linux ]; then
  export CC=clang-16 CXX=clang++-16
  options+=(-DPROBITY_FUZZ=ON)
fi
command -v ccache >/dev/null 2>&1 &&
  options+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# -O1 -g1 (asserts on): the usual sanitizer trade, much quicker to build than -O2 -g and
# still with file:line in every stack. No -Werror: the normal gcc build polices warnings.
cmake -S . -B "$build" "${options[@]}" -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" >&2
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build" -j2 "${targets[@]}" >&2
echo "$build"
