#!/usr/bin/env bash
# bench_sweep_validate.sh BUILD_DIR - whole-command benchmark of
# `dcsim validate` on a sweep of the Llama 3 scenario
# (scenarios/lib/llama3-405b.yaml): a Latin hypercube of fixed checkpoint
# intervals from 5 min to 2 h with SMALL (default 1,000) and POINTS
# (default 100,000) points. Every point is loaded and checked (its world
# made) before anything would run. Prints the CPU time (user + sys, GNU
# time) of each, the median of REPEATS runs (default 3), and the fixed and
# per-point costs they give. Requirement (issue 11): the large sweep
# validates in no more than 3.5 s of CPU.
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
small=${SMALL:-1000}
points=${POINTS:-100000}
limit=${LIMIT_S:-3.5}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init bench_sweep_validate.sh "$build"
scenario=$(bench_scenario llama3-405b.yaml)

# cpu_once SWEEP -> CPU seconds (user + sys) of one validation
cpu_once() {
  /usr/bin/time -f "%U %S" -o "$work/time" "$dcsim" validate "$1" >/dev/null
  awk '{printf "%.2f\n", $1 + $2}' "$work/time"
}

declare -A cpu
echo "dcsim validate, Llama-3 sweep (lhs over checkpoint.interval), CPU s = user + sys"
for n in "$small" "$points"; do
  f=$(sweep_file bench-validate "$scenario" "$n")
  runs=()
  for _ in $(seq "$repeats"); do runs+=("$(cpu_once "$f")"); done
  cpu[$n]=$(printf "%s\n" "${runs[@]}" | median)
  echo "$n points: median ${cpu[$n]} CPU s (runs: ${runs[*]})"
done
awk -v a="${cpu[$small]}" -v b="${cpu[$points]}" -v n="$small" -v m="$points" 'BEGIN {
  per = (b - a) / (m - n); printf "per point: %.1f us of CPU; fixed: %.3f s\n", per * 1e6, a - per * n }'
if awk -v b="${cpu[$points]}" -v l="$limit" 'BEGIN {exit !(b <= l)}'; then
  echo "PASS: $points points validate in ${cpu[$points]} CPU s (requirement <= $limit s)"
else
  echo "FAIL: $points points take ${cpu[$points]} CPU s (requirement <= $limit s)"
  exit 1
fi
