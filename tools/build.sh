#!/usr/bin/env bash
# build.sh [BUILD_DIR] [cmake options...] - installs what is missing,
# configures and builds dcsim (Release by default) into BUILD_DIR (build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
bash tools/deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
