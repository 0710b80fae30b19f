#!/usr/bin/env bash
# bench_python.sh BUILD_DIR - dcsim against a plain Python loop on the
# Daly-style job of bench/daly-1024.yaml (1,024 GPUs, exponential per-GPU
# failures, a checkpoint every hour, 720 h of work). bench/daly_loop.py
# samples the time to the next failure directly; dcsim runs the scenario on
# one thread. Both are timed as whole processes by the same harness (CPU =
# user + system, BUILD_DIR/bench/cputime), so each side pays its own start
# (the interpreter; dcsim's load, world and output file). Each figure is the median of REPEATS runs
# (default 3), the two programs alternating, at N_SMALL (1,000) and N_LARGE
# (10,000) replications. Also checks that the two agree on the mean
# makespan: |difference| < 4 combined standard errors (a false alarm has
# probability 6e-5 per comparison; both seeds are fixed).
# Requirement checked: dcsim at least 20x less CPU per replication than
# the loop at both counts (issue 14).
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
counts="${N_SMALL:-1000} ${N_LARGE:-10000}"
here="$(dirname "$0")"
dcsim="$build/cli/dcsim"
scenario="$here/daly-1024.yaml"
python=${PYTHON:-python3}
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
bench_harness "$0" "$build"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# cpu_of FILE: the CPU seconds the harness wrote
cpu_of() { awk '{printf "%.4f", $1}' "$1"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "Daly-style job, 1 thread: $scenario against $here/daly_loop.py ($($python -V 2>&1))"
printf "%-8s %-12s %-12s %-8s %-6s %s\n" reps "dcsim us/rep" "python us/rep" ratio load "makespan h: dcsim, python (SE)"
ok=1
for n in $counts; do
  d=() p=()
  for _ in $(seq "$repeats"); do
    "$cputime" "$work/t" \
      "$dcsim" run "$scenario" -n "$n" -j 1 -q -f -o "$work/out.h5" >/dev/null
    d+=("$(cpu_of "$work/t")")
    "$cputime" "$work/t" "$python" "$here/daly_loop.py" "$n" 1 >"$work/py.txt"
    p+=("$(cpu_of "$work/t")")
  done
  md=$(printf "%s\n" "${d[@]}" | median)
  mp=$(printf "%s\n" "${p[@]}" | median)
  ratio=$(awk -v a="$md" -v b="$mp" 'BEGIN {printf "%.1f", (a > 0) ? b / a : 0}')
  # dcsim's mean makespan and its standard error from /stats (CSV).
  read -r dm dse < <("$dcsim" report "$work/out.h5" --format csv |
    awk -F, '$2 == "makespan_h" {print $5, $6 / sqrt($4)}')
  pm=$(awk '$1 == "mean_makespan_h" {print $2}' "$work/py.txt")
  pse=$(awk '$1 == "se_h" {print $2}' "$work/py.txt")
  z=$(awk -v a="$dm" -v b="$pm" -v s="$dse" -v t="$pse" \
    'BEGIN {d = a - b; if (d < 0) d = -d; printf "%.2f", d / sqrt(s * s + t * t)}')
  printf "%-8s %-12s %-12s %-8s %-6s %s\n" "$n" \
    "$(awk -v c="$md" -v n="$n" 'BEGIN {printf "%.1f", c / n * 1e6}')" \
    "$(awk -v c="$mp" -v n="$n" 'BEGIN {printf "%.1f", c / n * 1e6}')" "${ratio}x" "$(load)" \
    "$dm, $pm ($dse, $pse): $z SE apart"
  awk -v r="$ratio" 'BEGIN {exit !(r >= 20)}' || { echo "  not met at $n: ${ratio}x < 20x"; ok=0; }
  awk -v z="$z" 'BEGIN {exit !(z < 4)}' ||
    { echo "FAIL: the mean makespans differ by $z standard errors at $n"; exit 1; }
done
if [ "$ok" -eq 1 ]; then
  echo "PASS: dcsim at least 20x faster per replication than the Python loop"
else
  echo "NOT MET: dcsim less than 20x faster than the Python loop (see docs/design-notes.md)"
  exit 1
fi
