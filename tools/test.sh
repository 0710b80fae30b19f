#!/usr/bin/env bash
# test.sh - the whole test suite, as CI runs it: installs what is missing,
# checks the C format, builds with warnings as errors and runs every test,
# checks that the profile-guided Release build (tools/build.sh) gives the
# same outputs, then builds again with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs every test again, then builds the libFuzzer targets with clang
# (tests/fuzz) and replays their corpora. The last lines are ctest's own
# summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
jobs=$(nproc)

echo "== format (clang-format --dry-run --Werror)"
find sim models scenarios analysis cli tests bench -name '*.[ch]' -print0 | xargs -0 clang-format --dry-run --Werror

echo "== build with -Werror"
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCSIM_WERROR=ON >/dev/null
cmake --build build-ci -j "$jobs"
echo "== tests"
ctest --test-dir build-ci --output-on-failure -j "$jobs"

echo "== the profile-guided Release build of tools/build.sh gives the same outputs"
DCSIM_TARGET=dcsim bash tools/build.sh build-pgo >/dev/null
bash tools/same-outputs.sh build-ci/cli/dcsim build-pgo/cli/dcsim

echo "== build with AddressSanitizer and UndefinedBehaviorSanitizer"
# The Python, notebook and browser tests run in the first pass only: they
# test no C code of their own, and the first pass ran them on this code.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDCSIM_WERROR=ON \
  -DDCSIM_SANITIZE=address,undefined -DDCSIM_PYTHON_TESTS=OFF >/dev/null
cmake --build build-asan -j "$jobs"
echo "== tests under the sanitizers"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== fuzz targets (clang, libFuzzer with the sanitizers): replay of the corpora"
# Only the fuzz targets are built here (clang, DCSIM_FUZZ): the sanitizer
# pass above builds and tests everything else with the default compiler.
CC=${FUZZ_CC:-clang-14} cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDCSIM_WERROR=ON -DDCSIM_FUZZ=ON -DDCSIM_SANITIZE=address,undefined -DDCSIM_PYTHON_TESTS=OFF \
  -DDCSIM_MPI=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target dcsim_fuzz
ctest --test-dir build-fuzz --output-on-failure -j "$jobs" -L fuzz
