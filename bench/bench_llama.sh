#!/usr/bin/env bash
# bench_llama.sh BUILD_DIR - whole-run benchmark of the Llama-3-scale
# scenario (16,384 accelerators, one failure clock each, plus node and job
# clocks): replications per second on 1 and 2 threads, and peak resident
# memory at 1,000 and 10,000 replications. Each timing is the median of
# REPEATS runs (default 3); memory is GNU time's maximum resident set size.
# Requirements checked: 2 threads >= 1.8x one thread; peak memory at
# 10,000 replications no more than 10% (or 8 MB) above the figure at 1,000.
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
n_rate=${N_RATE:-2000}
dcsim="$build/cli/dcsim"
scenario="$(dirname "$0")/../scenarios/lib/llama3-405b-rented.yaml"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "bench_llama.sh needs GNU time (apt-get install time)"; exit 2; }

# run_once THREADS N -> prints "seconds max_rss_kb"
run_once() {
  /usr/bin/time -f "%e %M" -o "$work/time" \
    "$dcsim" run "$scenario" -n "$2" -j "$1" -q -f -o "$work/out.h5" >/dev/null
  cat "$work/time"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "Llama-3-scale scenario: $scenario"
printf "%-8s %-8s %-10s %-12s %s\n" threads reps "median s" "reps/s" "runs (s)"
declare -A rate
for j in 1 2; do
  times=()
  for _ in $(seq "$repeats"); do times+=("$(run_once "$j" "$n_rate" | cut -d' ' -f1)"); done
  med=$(printf "%s\n" "${times[@]}" | median)
  rate[$j]=$(awk -v n="$n_rate" -v t="$med" 'BEGIN {printf "%.1f", n / t}')
  printf "%-8s %-8s %-10s %-12s %s\n" "$j" "$n_rate" "$med" "${rate[$j]}" "${times[*]}"
done
speedup=$(awk -v a="${rate[1]}" -v b="${rate[2]}" 'BEGIN {printf "%.2f", b / a}')
echo "speed-up 2 threads / 1 thread: ${speedup}x (requirement >= 1.8x)"

rss1k=$(run_once 2 1000 | cut -d' ' -f2)
rss10k=$(run_once 2 10000 | cut -d' ' -f2)
echo "peak RSS: 1,000 replications ${rss1k} kB; 10,000 replications ${rss10k} kB"
growth=$(awk -v a="$rss1k" -v b="$rss10k" 'BEGIN {printf "%.1f", 100 * (b - a) / a}')
echo "memory growth from 1,000 to 10,000 replications: ${growth}%"

ok=1
awk -v s="$speedup" 'BEGIN {exit !(s >= 1.8)}' || { echo "FAIL: speed-up below 1.8x"; ok=0; }
awk -v a="$rss1k" -v b="$rss10k" 'BEGIN {exit !(b - a <= 0.10 * a || b - a <= 8192)}' ||
  { echo "FAIL: peak memory grows with the number of replications"; ok=0; }
[ "$ok" -eq 1 ] && echo "PASS: llama benchmark requirements met"
[ "$ok" -eq 1 ]
