#!/usr/bin/env bash
# bench_mpi.sh BUILD_DIR - what MPI costs (issue 15). Skipped, with a note and
# exit status 0, when mpirun is missing or dcsim was built without MPI.
#   1. The Llama-3 sweep of bench_sweep.sh (POINTS, default 20, fixed
#      checkpoint intervals from 5 min to 2 h on llama3-405b-rented.yaml,
#      REPS, default 500, replications each) as 2 ranks x 1 thread (mpirun
#      -n 2 dcsim sweep -j 1) against 1 process x 2 threads (dcsim sweep -j
#      2), run in turn, A B A B ..., REPEATS times (default 3). The ratio of
#      each pair, (1 x 2 wall time) / (2 x 1 wall time), is the speed of the
#      ranks relative to the threads; its median must be >= 0.9.
#   2. The coordinator: a sweep of N_POINTS (default 1,000) points of the
#      small LoRA scenario (lora-small.yaml, checkpoint interval from 5 min
#      to 2 h), N_SMALL (default 10) replications each, on 2 ranks x 1 thread,
#      with DCSIM_COORDINATOR_STATS=1: rank 0 prints, over its run calls (the
#      replications, not the sweep's checks before them), the items it handed
#      out per second and the CPU time of its main thread (the coordinator:
#      it hands out chunks, receives results and writes them), as a fraction
#      of one core and of rank 0's CPU time (its computing thread too); the
#      medians of REPEATS runs. They are reported, not judged.
# MPIRUN_OPTS (default "--bind-to none") go to mpirun: the two layouts then
# share the machine's cores the same way (Open MPI binds 2 ranks to a core
# each by default, which a busy machine can make slower or faster).
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
points=${POINTS:-20}
reps=${REPS:-500}
npoints=${N_POINTS:-1000}
nsmall=${N_SMALL:-10}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
read -r -a mpiopts <<<"${MPIRUN_OPTS:---bind-to none}"
[ "$(id -u)" = 0 ] && mpiopts+=(--allow-run-as-root)

if ! command -v mpirun >/dev/null 2>&1; then
  echo "skipped: no mpirun (Open MPI: apt-get install openmpi-bin libopenmpi-dev)"
  exit 0
fi
# Built with MPI: the module dcsim loads under mpirun sits beside it.
if [ ! -e "$build/cli/dcsim-mpi.so" ]; then
  echo "skipped: $build/cli/dcsim was built without MPI (no dcsim-mpi.so beside it)"
  exit 0
fi
bench_init bench_mpi.sh "$build"

# timed FILE CMD... -> runs CMD, writes "wall user system" of it (and of
# its children: mpirun's ranks) to FILE.
timed() {
  local file=$1
  shift
  /usr/bin/time -f "%e %U %S" -o "$file" "$@"
}

s=$(sweep_file llama "$(bench_scenario llama3-405b-rented.yaml)" "$points")
echo "Llama-3 sweep: $points points x $reps replications; 2 ranks x 1 thread (A) against"
echo "1 process x 2 threads (B), in turn; mpirun ${mpiopts[*]}"
printf "%-6s %-8s %-8s %-8s %-10s %-10s %s\n" pair "A s" "B s" "B / A" "A CPU s" "B CPU s" \
  "A / B CPU"
ratios=() cpus=()
for i in $(seq "$repeats"); do
  timed "$work/a" mpirun "${mpiopts[@]}" -n 2 "$dcsim" sweep "$s" -n "$reps" -j 1 -q -f \
    -o "$work/a.h5" >/dev/null
  timed "$work/b" "$dcsim" sweep "$s" -n "$reps" -j 2 -q -f -o "$work/b.h5" >/dev/null
  a=$(cut -d' ' -f1 "$work/a") b=$(cut -d' ' -f1 "$work/b")
  ac=$(awk '{printf "%.2f", $2 + $3}' "$work/a") bc=$(awk '{printf "%.2f", $2 + $3}' "$work/b")
  r=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')
  rc=$(awk -v a="$ac" -v b="$bc" 'BEGIN {printf "%.3f", a / b}')
  ratios+=("$r") cpus+=("$rc")
  printf "%-6s %-8s %-8s %-8s %-10s %-10s %s\n" "$i" "$a" "$b" "$r" "$ac" "$bc" "$rc"
done
ratio=$(printf "%s\n" "${ratios[@]}" | median)
cpu=$(printf "%s\n" "${cpus[@]}" | median)
echo "2 ranks x 1 thread run at ${ratio}x the speed of 1 process x 2 threads (median of" \
  "$repeats pairs; requirement >= 0.9x), using ${cpu}x its CPU time (user + system of mpirun"\
  "and its ranks: MPI's start, the coordinator, packing the results; on an idle machine the"\
  "speed ratio tends to 1 / that)"
# The two files hold the same datasets: MPI changes nothing in them.
for ds in /summary /stats /sweep/points; do
  h5dump -d "$ds" -bLE -o "$work/a.bin" "$work/a.h5" >/dev/null
  h5dump -d "$ds" -bLE -o "$work/b.bin" "$work/b.h5" >/dev/null
  cmp -s "$work/a.bin" "$work/b.bin" || { echo "FAIL: $ds differs between the layouts"; exit 1; }
done

c=$(sweep_file coord "$(bench_scenario lora-small.yaml)" "$npoints")
echo
echo "Coordinator: $npoints points x $nsmall replications of lora-small.yaml, 2 ranks x 1 thread"
printf "%-4s %-9s %-10s %-12s %-10s %-12s %s\n" run "wall s" "items/s" "coord CPU s" "of a core" \
  "of rank 0" "writing s"
rates=() shares=() cores=()
for i in $(seq "$repeats"); do
  DCSIM_COORDINATOR_STATS=1 timed "$work/c" mpirun "${mpiopts[@]}" -x DCSIM_COORDINATOR_STATS \
    -n 2 "$dcsim" sweep "$c" -n "$nsmall" -j 1 -q -f -o "$work/c.h5" >/dev/null 2>"$work/c.err"
  line=$(grep "coordinator:" "$work/c.err") || { echo "no coordinator line:"; cat "$work/c.err"; exit 1; }
  wall=$(cut -d' ' -f1 "$work/c")
  rate=$(echo "$line" | sed -n 's/.*(\([0-9.]*\) items\/s).*/\1/p')
  cpu=$(echo "$line" | sed -n 's/.*main thread CPU \([0-9.]*\) s.*/\1/p')
  core=$(echo "$line" | sed -n 's/.*(\([0-9.]*\)% of one core.*/\1/p')
  share=$(echo "$line" | sed -n "s/.*; \([0-9.]*\)% of rank 0's.*/\1/p")
  writing=$(echo "$line" | sed -n 's/.*writing the file \([0-9.]*\) s.*/\1/p')
  rates+=("$rate") shares+=("$share") cores+=("$core")
  printf "%-4s %-9s %-10s %-12s %-10s %-12s %s\n" "$i" "$wall" "$rate" "$cpu" "$core%" "$share%" \
    "$writing"
done
echo "coordinator: $(printf "%s\n" "${rates[@]}" | median) items/s handed out while the" \
  "replications ran; rank 0's main thread used $(printf "%s\n" "${cores[@]}" | median)% of one" \
  "core, $(printf "%s\n" "${shares[@]}" | median)% of rank 0's CPU time (medians of $repeats;" \
  "its time includes writing the file, which one process does too)"

if awk -v r="$ratio" 'BEGIN {exit !(r >= 0.9)}'; then
  echo "PASS: MPI benchmark requirement met"
else
  echo "FAIL: 2 ranks x 1 thread below 0.9x of 1 process x 2 threads"
  exit 1
fi
