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

# script NAME QUICK_SETTINGS... - runs bench/NAME.sh on the build, with the
# environment settings of a short run when --quick was given.
script() {
    local name=$1
    shift
    echo
    echo "== $name =="
    if ((quick)); then
        env "$@" bash "$(dirname "$0")/$name.sh" "$build" || failed+=("$name")
    else
        bash "$(dirname "$0")/$name.sh" "$build" || failed+=("$name")
    fi
}

script bench_llama REPEATS=1 N_RATE=300
script bench_energy REPEATS=1 N_RATE=200
script bench_sweep REPEATS=1 REPS=20 RSS_TOTAL=400
script bench_trace REPEATS=1 N_TRACE=20
script bench_engine REPEATS=1 N_ENGINE=20
script bench_mpi REPEATS=1 REPS=20 N_POINTS=100
script bench_python REPEATS=1 N_SMALL=100 N_LARGE=1000
script bench_sweep_validate REPEATS=1 POINTS=10000 LIMIT_S=0.35
script bench_draws REPEATS=1 N_DRAWS=1000 N_RUN=200

echo
if ((${#failed[@]})); then
    echo "benchmarks whose requirement was not met: ${failed[*]}"
    exit 1
fi
echo "every benchmark requirement met"
