#!/usr/bin/env bash
# build.sh [BUILD_DIR] [cmake options...] - installs what is missing,
# configures and builds dcsim (Release by default) into BUILD_DIR (build).
# With GCC the build is profile-guided (cmake/DcsimWarnings.cmake): dcsim is
# built to count where its code goes, runs the shipped scenarios
# (tools/pgo-train.sh, a few seconds), and is built again with the counts
# (~10 % less CPU a replication). DCSIM_PGO=OFF in the environment skips it;
# DCSIM_TARGET=dcsim builds the program alone.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
bash tools/deps.sh
pgo=""
# GCC, not clang (which defines __GNUC__ too): its predefined macros.
macros=$(echo | "${CC:-cc}" -dM -E - 2>/dev/null || true)
if [ "${DCSIM_PGO:-on}" != OFF ] && [[ $macros == *__GNUC__* && $macros != *__clang__* ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DDCSIM_PGO=generate "$@" >/dev/null
  find "$build" -name '*.gcda' -delete
  cmake --build "$build" -j "$(nproc)" --target dcsim
  bash tools/pgo-train.sh "$build/cli/dcsim"
  pgo=use
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DDCSIM_PGO="$pgo" "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" ${DCSIM_TARGET:+--target "$DCSIM_TARGET"}
