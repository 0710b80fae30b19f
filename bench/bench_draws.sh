#!/usr/bin/env bash
# bench_draws.sh BUILD_DIR - what checking every replication's draws costs
# (cli/drawcheck.h): `dcsim validate --set simulation.replications=N` on
# scenarios/lib/llama3-405b-uncertain.yaml (12 uncertain inputs) and on
# tests/cli/data/uncertain-corr.yaml (3 of them rank-correlated), against a
# run of the same N replications (N_DRAWS, default 10,000; the run
# N_RUN, default 1,000, scaled). CPU time (user + sys, GNU time), the median
# of REPEATS runs (default 3), per replication.
# Requirement: on the flagship the check costs at most 20 % of the run's CPU
# per replication (a replication's load from the text parsed once, not a
# parse of its text: 0.15 ms against about 1.2 ms for its run).
set -euo pipefail
build=${1:-build}
repeats=${REPEATS:-3}
n=${N_DRAWS:-10000}
nrun=${N_RUN:-1000}
dcsim="$build/cli/dcsim"
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "bench_draws.sh needs GNU time (apt-get install time)"; exit 2; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# cpu CMD... -> the median CPU seconds of REPEATS runs
cpu() {
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%U %S" -o "$work/time" "$@" >/dev/null
    awk '{print $1 + $2}' "$work/time"
  done | median
}

status=0
for s in "$root/scenarios/lib/llama3-405b-uncertain.yaml" "$root/tests/cli/data/uncertain-corr.yaml"; do
  check=$(cpu "$dcsim" validate --set simulation.replications="$n" "$s")
  run=$(cpu "$dcsim" run "$s" -n "$nrun" -j 1 -q -f -o "$work/out.h5")
  awk -v f="$(basename "$s")" -v c="$check" -v n="$n" -v r="$run" -v m="$nrun" 'BEGIN {
    printf "%s: draw check %.3f ms/replication (%s s CPU for %d), run %.3f ms/replication (%s s for %d): %.1f %%\n",
      f, 1000 * c / n, c, n, 1000 * r / m, r, m, 100 * (c / n) / (r / m) }'
  case "$s" in *llama3*)
    if ! awk -v c="$check" -v n="$n" -v r="$run" -v m="$nrun" 'BEGIN { exit !((c / n) <= 0.2 * (r / m)) }'; then
      echo "requirement not met: the draw check costs more than 20 % of the run per replication"
      status=1
    fi ;;
  esac
done
exit $status
