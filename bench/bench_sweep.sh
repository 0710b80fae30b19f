#!/usr/bin/env bash
# bench_sweep.sh BUILD_DIR - whole-command benchmark of dcsim sweep on the
# Llama-3-scale scenario (scenarios/lib/llama3-405b-rented.yaml): a Latin
# hypercube of POINTS (default 20) fixed checkpoint intervals from 5 min to
# 2 h, REPS (default 500) replications each, as one pool of work items:
#   - wall time on 1 and 2 threads, the median of REPEATS runs (default 3),
#     and the speed-up (requirement: 2 threads >= 1.8x one thread);
#   - peak resident memory (GNU time's %M) of sweeps of 20 and 200 points
#     at the same total of RSS_TOTAL replications (default 10,000: 500 and
#     50 per point) on 2 threads, the median of REPEATS runs (requirement:
#     200 points no more than 10% or 8 MB above 20 points, since a point's
#     world, ~170 KB, lives only while its replications run).
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
points=${POINTS:-20}
reps=${REPS:-500}
rss_total=${RSS_TOTAL:-10000}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init bench_sweep.sh "$build"
scenario=$(bench_scenario llama3-405b-rented.yaml)

# run_once SWEEP THREADS N -> prints "seconds max_rss_kb"
run_once() {
  /usr/bin/time -f "%e %M" -o "$work/time" \
    "$dcsim" sweep "$1" -n "$3" -j "$2" -q -f -o "$work/out.h5" >/dev/null
  cat "$work/time"
}

s=$(sweep_file bench-sweep "$scenario" "$points")
echo "Llama-3-scale sweep: $points points x $reps replications ($scenario)"
printf "%-8s %-10s %-12s %s\n" threads "median s" "reps/s" "runs (s)"
declare -A wall
for j in 1 2; do
  times=()
  for _ in $(seq "$repeats"); do times+=("$(run_once "$s" "$j" "$reps" | cut -d' ' -f1)"); done
  wall[$j]=$(printf "%s\n" "${times[@]}" | median)
  rate=$(awk -v n=$((points * reps)) -v t="${wall[$j]}" 'BEGIN {printf "%.1f", n / t}')
  printf "%-8s %-10s %-12s %s\n" "$j" "${wall[$j]}" "$rate" "${times[*]}"
done
speedup=$(awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN {printf "%.2f", a / b}')
echo "speed-up 2 threads / 1 thread: ${speedup}x (requirement >= 1.8x)"

declare -A rss
for n in 20 200; do
  f=$(sweep_file bench-sweep "$scenario" "$n")
  kb=()
  for _ in $(seq "$repeats"); do kb+=("$(run_once "$f" 2 $((rss_total / n)) | cut -d' ' -f2)"); done
  rss[$n]=$(printf "%s\n" "${kb[@]}" | median)
  echo "peak RSS, $n points x $((rss_total / n)) replications: ${rss[$n]} kB (runs: ${kb[*]})"
done
growth=$(awk -v a="${rss[20]}" -v b="${rss[200]}" 'BEGIN {printf "%.1f", 100 * (b - a) / a}')
echo "memory growth from 20 to 200 points: ${growth}%"

ok=1
awk -v s="$speedup" 'BEGIN {exit !(s >= 1.8)}' || { echo "FAIL: speed-up below 1.8x"; ok=0; }
awk -v a="${rss[20]}" -v b="${rss[200]}" 'BEGIN {exit !(b - a <= 0.10 * a || b - a <= 8192)}' ||
  { echo "FAIL: peak memory grows with the number of points"; ok=0; }
[ "$ok" -eq 1 ] && echo "PASS: sweep benchmark requirements met"
[ "$ok" -eq 1 ]
