#!/usr/bin/env bash
# Runs dcsim's benchmarks from a build directory and prints their output.
# usage: bench/run.sh [BUILD_DIR] [--quick]
#   BUILD_DIR defaults to "build"; configure it with -DCMAKE_BUILD_TYPE=Release
#   for figures worth reporting. --quick is passed on for a smoke run.
set -uo pipefail
failed=()

build="${1:-build}"
shift || true

bin="$build/bench/bench_queue"
if [[ ! -x "$bin" ]]; then
    echo "run.sh: $bin not found; build the project in $build first" >&2
    exit 2
fi

type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)"
if [[ "$type" != "Release" ]]; then
    echo "run.sh: warning: $build is a '${type:-unknown}' build, not Release" >&2
fi

quick=0
[[ " $* " == *" --quick "* ]] && quick=1

echo "== bench_queue =="
"$bin" "$@" || failed+=(bench_queue)

echo
echo "== bench_failures =="
"$build/bench/bench_failures" "$@" || failed+=(bench_failures)

echo
echo "== bench_llama =="
if ((quick)); then
    REPEATS=1 N_RATE=300 bash "$(dirname "$0")/bench_llama.sh" "$build" || failed+=(bench_llama)
else
    bash "$(dirname "$0")/bench_llama.sh" "$build" || failed+=(bench_llama)
fi

echo
echo "== bench_energy =="
if ((quick)); then
    REPEATS=1 N_RATE=200 bash "$(dirname "$0")/bench_energy.sh" "$build" || failed+=(bench_energy)
else
    bash "$(dirname "$0")/bench_energy.sh" "$build" || failed+=(bench_energy)
fi

echo
echo "== bench_sweep =="
if ((quick)); then
    REPEATS=1 REPS=20 RSS_TOTAL=400 bash "$(dirname "$0")/bench_sweep.sh" "$build" || failed+=(bench_sweep)
else
    bash "$(dirname "$0")/bench_sweep.sh" "$build" || failed+=(bench_sweep)
fi

echo
echo "== bench_trace =="
if ((quick)); then
    REPEATS=1 N_TRACE=20 bash "$(dirname "$0")/bench_trace.sh" "$build" || failed+=(bench_trace)
else
    bash "$(dirname "$0")/bench_trace.sh" "$build" || failed+=(bench_trace)
fi

echo
if ((${#failed[@]})); then
    echo "benchmarks whose requirement was not met: ${failed[*]}"
    exit 1
fi
echo "every benchmark requirement met"
