#!/usr/bin/env bash
# bench_engine.sh BUILD_DIR - the fast engine against the reference one
# (simulation.engine) on the Llama-3-scale scenario: CPU seconds per
# replication of each, one thread, and their ratio; then the same for a
# cluster 8x larger (131,072 accelerators, the same per-unit failure
# rates) against the 16,384 of the scenario, fast engine.
# Each figure is the median of REPEATS runs (default 3), A and B in turn.
# CPU per replication is (CPU(N) - CPU(1)) / (N - 1): the fixed cost of a
# run (start-up, the output file) is measured apart, by `dcsim run -n 1`.
# Targets (issue 14): fast >= 15x reference; 131,072 <= 2x 16,384;
# `dcsim run -n 1` <= 30 ms CPU. They are reported, not enforced.
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
n=${N_ENGINE:-200}
dcsim="$build/cli/dcsim"
scenario="$(dirname "$0")/../scenarios/lib/llama3-405b-rented.yaml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "bench_engine.sh needs GNU time (apt-get install time)"; exit 2; }

# cpu N ARGS... -> CPU seconds (user + system) of one run
cpu() {
  local reps=$1
  shift
  /usr/bin/time -f "%U %S" -o "$work/time" \
    "$dcsim" run "$scenario" -n "$reps" -j 1 -q -f -o "$work/out.h5" "$@" >/dev/null
  awk '{printf "%.4f\n", $1 + $2}' "$work/time"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# per_rep NAME ARGS... -> sets per[NAME] to the median CPU ms per replication
declare -A per
per_rep() {
  local name=$1
  shift
  local xs=()
  for _ in $(seq "$repeats"); do
    local a b
    a=$(cpu "$n" "$@")
    b=$(cpu 1 "$@")
    xs+=("$(awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN {printf "%.4f", 1000 * (a - b) / (n - 1)}')")
  done
  per[$name]=$(printf "%s\n" "${xs[@]}" | median)
  printf "%-34s %10s ms CPU/replication   (runs: %s)\n" "$name" "${per[$name]}" "${xs[*]}"
}

echo "Llama-3-scale scenario: $scenario, $n replications, 1 thread"
per_rep "fast, 16,384 accelerators"
per_rep "reference, 16,384 accelerators" --set simulation.engine=reference
big=(--set cluster.nodes=16384 --set cluster.spare_nodes=256)
per_rep "fast, 131,072 accelerators" "${big[@]}"
echo "reference / fast: $(awk -v a="${per[reference, 16,384 accelerators]}" \
  -v b="${per[fast, 16,384 accelerators]}" 'BEGIN {printf "%.1f", a / b}')x (target >= 15x)"
echo "131,072 / 16,384 accelerators, fast: $(awk -v a="${per[fast, 131,072 accelerators]}" \
  -v b="${per[fast, 16,384 accelerators]}" 'BEGIN {printf "%.2f", a / b}')x (target <= 2x)"
ones=()
for _ in $(seq "$repeats"); do ones+=("$(cpu 1)"); done
echo "dcsim run -n 1: $(printf "%s\n" "${ones[@]}" | median) s CPU (target <= 0.030 s; runs: ${ones[*]})"
