# lib.sh - what the bench scripts share, sourced by them: the dcsim of a
# build folder, a work folder removed at exit, GNU time, the timing harness
# (bench/cputime.c), the median of a column of numbers, and the
# Latin-hypercube sweep files that bench_sweep.sh and bench_sweep_validate.sh
# time.
# shellcheck shell=bash

# bench_harness SCRIPT BUILD_DIR - sets cputime, BUILD_DIR's timing harness
# (cputime OUT CMD [ARG...] writes "cpu_s wall_s max_rss_kB" of CMD to OUT);
# exits 2 without it, naming SCRIPT.
bench_harness() {
  # shellcheck disable=SC2034 # read by the scripts that source this file
  cputime="$2/bench/cputime"
  [ -x "$cputime" ] || {
    echo "$1: no timing harness at $cputime: build the project in $2 (cmake --build $2)" >&2
    exit 2
  }
}

# bench_init SCRIPT BUILD_DIR - sets dcsim (BUILD_DIR's) and work (a new
# folder, removed at exit); exits 2 without GNU time, naming SCRIPT.
bench_init() {
  # shellcheck disable=SC2034 # read by the scripts that source this file
  dcsim="$2/cli/dcsim"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  [ -x /usr/bin/time ] || { echo "$1 needs GNU time (apt-get install time)"; exit 2; }
}

# bench_scenario FILE -> the absolute path of scenarios/lib/FILE.
bench_scenario() {
  echo "$(cd "$(dirname "${BASH_SOURCE[0]}")/../scenarios/lib" && pwd)/$1"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# sweep_file NAME BASE N -> a sweep (in $work) named NAME-N of N points over
# BASE: a Latin hypercube of fixed checkpoint intervals from 5 min to 2 h.
sweep_file() {
  cat >"$work/sweep-$3.yaml" <<YAML
name: $1-$3
base: $2
set:
  checkpoint.policy: fixed
design:
  - lhs:
      points: $3
      ranges:
        checkpoint.interval: [5min, 2h]
YAML
  echo "$work/sweep-$3.yaml"
}
